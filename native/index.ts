// What the rest of the project imports from native/. Nothing outside native/ imports koffi.

export { SyscallError, errnoName, errnoMessage } from './errno';
export { type Tracer, setTracer } from './trace';
export { C, signum, signame, type Constants } from './constants';
export { sys, type Sys, type Ptr } from './sys';
export { fmtBytes, fmtFlags, fmtOpenFlags, fmtEnum, fmtMode, fmtPtr } from './trace';
export { OPEN_FLAGS, FCNTL_CMDS, LOCK_TYPES, WHENCE, PROT_FLAGS, MAP_FLAGS, AF_NAMES, SOCK_TYPES, MSG_FLAGS } from './constants';
export { spawnProcess, reap, onPidfdReadable, type SpawnSpec, type ExitStatus } from './spawn';
