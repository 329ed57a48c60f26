/** A program did something that fails at run time (no syscall failed): shown on its stderr. */
export class RuntimeError extends Error {}
