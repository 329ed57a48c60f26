// errno names, messages and the SyscallError every wrapper throws.

import { koffi, F } from './libc';

// Names preferred when two share a value (as strace prints them).
const PREFERRED = new Set(['EAGAIN', 'EDEADLK', 'EOPNOTSUPP']);
const NAMES: string[] = [];
for (const [name, value] of Object.entries(koffi.os.errno)) {
  if (NAMES[value] === undefined || PREFERRED.has(name)) NAMES[value] = name;
}

/** 11 -> 'EAGAIN'; an unknown number gives 'E<n>'. */
export function errnoName(n: number): string {
  return NAMES[n] ?? `E${n}`;
}

const MESSAGES = new Map<number, string>();

/** strerror(3) text, cached (only ever computed on an error path). */
export function errnoMessage(n: number): string {
  let m = MESSAGES.get(n);
  if (m === undefined) {
    m = (F.strerror(n) as string | null) ?? `Unknown error ${n}`;
    MESSAGES.set(n, m);
  }
  return m;
}

export class SyscallError extends Error {
  /** libc function name: 'read', 'sem_wait', 'accept4', ... */
  call: string;
  /** errno name: 'EAGAIN' */
  code: string;
  errno: number;
  constructor(call: string, errno: number) {
    const code = errnoName(errno);
    super(`${call}: ${code} (${errnoMessage(errno)})`);
    this.name = 'SyscallError';
    this.call = call;
    this.code = code;
    this.errno = errno;
  }
}
