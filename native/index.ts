// What the rest of the project imports from native/. Nothing outside native/ imports koffi.

export { SyscallError, errnoName, errnoMessage } from './errno';
export { type Tracer, setTracer } from './trace';
export { C, signum, signame, type Constants } from './constants';
export { sys, type Sys, type Ptr } from './sys';
