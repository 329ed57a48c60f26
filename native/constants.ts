// Linux x86_64 / glibc constants, and the symbolic names used to render flags in traces.
// Values checked against the kernel and glibc headers (see test/native.test.ts for the
// ones that matter at run time). No koffi here: this module is plain data.

import { constants as osConstants } from 'node:os';

const ERRNO = {
  EPERM: 1, ENOENT: 2, ESRCH: 3, EINTR: 4, EIO: 5, ENXIO: 6, E2BIG: 7, ENOEXEC: 8, EBADF: 9,
  ECHILD: 10, EAGAIN: 11, EWOULDBLOCK: 11, ENOMEM: 12, EACCES: 13, EFAULT: 14, EBUSY: 16,
  EEXIST: 17, EXDEV: 18, ENODEV: 19, ENOTDIR: 20, EISDIR: 21, EINVAL: 22, ENFILE: 23,
  EMFILE: 24, ENOTTY: 25, ETXTBSY: 26, EFBIG: 27, ENOSPC: 28, ESPIPE: 29, EROFS: 30,
  EMLINK: 31, EPIPE: 32, EDOM: 33, ERANGE: 34, EDEADLK: 35, ENAMETOOLONG: 36, ENOLCK: 37,
  ENOSYS: 38, ENOTEMPTY: 39, ELOOP: 40, ENOMSG: 42, EIDRM: 43, ENODATA: 61, ETIME: 62,
  EOVERFLOW: 75, EBADFD: 77, ENOTSOCK: 88, EDESTADDRREQ: 89, EMSGSIZE: 90, EPROTOTYPE: 91,
  ENOPROTOOPT: 92, EPROTONOSUPPORT: 93, EOPNOTSUPP: 95, ENOTSUP: 95, EAFNOSUPPORT: 97,
  EADDRINUSE: 98, EADDRNOTAVAIL: 99, ENETDOWN: 100, ENETUNREACH: 101, ECONNABORTED: 103,
  ECONNRESET: 104, ENOBUFS: 105, EISCONN: 106, ENOTCONN: 107, ESHUTDOWN: 108, ETIMEDOUT: 110,
  ECONNREFUSED: 111, EHOSTUNREACH: 113, EALREADY: 114, EINPROGRESS: 115,
} as const;

export const C = {
  // open(2) / fcntl(2)
  O_RDONLY: 0, O_WRONLY: 0o1, O_RDWR: 0o2, O_ACCMODE: 0o3,
  O_CREAT: 0o100, O_EXCL: 0o200, O_NOCTTY: 0o400, O_TRUNC: 0o1000, O_APPEND: 0o2000,
  O_NONBLOCK: 0o4000, O_DSYNC: 0o10000, O_LARGEFILE: 0o100000, O_DIRECTORY: 0o200000,
  O_NOFOLLOW: 0o400000, O_CLOEXEC: 0o2000000, O_SYNC: 0o4010000,
  F_DUPFD: 0, F_GETFD: 1, F_SETFD: 2, F_GETFL: 3, F_SETFL: 4,
  F_GETLK: 5, F_SETLK: 6, F_SETLKW: 7, F_DUPFD_CLOEXEC: 1030,
  F_OFD_GETLK: 36, F_OFD_SETLK: 37, F_OFD_SETLKW: 38,
  FD_CLOEXEC: 1,
  F_RDLCK: 0, F_WRLCK: 1, F_UNLCK: 2,
  SEEK_SET: 0, SEEK_CUR: 1, SEEK_END: 2,
  // poll(2)
  POLLIN: 0x1, POLLPRI: 0x2, POLLOUT: 0x4, POLLERR: 0x8, POLLHUP: 0x10, POLLNVAL: 0x20,
  POLLRDNORM: 0x40, POLLWRNORM: 0x100, POLLRDHUP: 0x2000,
  // mmap(2)
  PROT_NONE: 0, PROT_READ: 0x1, PROT_WRITE: 0x2, PROT_EXEC: 0x4,
  MAP_SHARED: 0x1, MAP_PRIVATE: 0x2, MAP_FIXED: 0x10, MAP_ANONYMOUS: 0x20,
  MFD_CLOEXEC: 0x1, MFD_ALLOW_SEALING: 0x2,
  // SysV IPC
  IPC_PRIVATE: 0, IPC_CREAT: 0o1000, IPC_EXCL: 0o2000, IPC_NOWAIT: 0o4000,
  IPC_RMID: 0, IPC_SET: 1, IPC_STAT: 2, IPC_INFO: 3,
  MSG_NOERROR: 0o10000, MSG_EXCEPT: 0o20000, MSG_COPY: 0o40000,
  SHM_RDONLY: 0o10000, SHM_RND: 0o20000,
  // semaphores
  SEM_VALUE_MAX: 2147483647,
  // sockets
  AF_UNSPEC: 0, AF_UNIX: 1, AF_INET: 2,
  SOCK_STREAM: 1, SOCK_DGRAM: 2, SOCK_SEQPACKET: 5, SOCK_NONBLOCK: 0o4000, SOCK_CLOEXEC: 0o2000000,
  SOL_SOCKET: 1, SO_REUSEADDR: 2, SO_TYPE: 3, SO_ERROR: 4, SO_SNDBUF: 7, SO_RCVBUF: 8, SO_REUSEPORT: 15,
  IPPROTO_TCP: 6, IPPROTO_UDP: 17,
  MSG_OOB: 0x1, MSG_PEEK: 0x2, MSG_TRUNC: 0x20, MSG_DONTWAIT: 0x40, MSG_WAITALL: 0x100,
  MSG_NOSIGNAL: 0x4000,
  SHUT_RD: 0, SHUT_WR: 1, SHUT_RDWR: 2,
  // ioctl(2)
  FIONREAD: 0x541b, SIOCINQ: 0x541b, TIOCOUTQ: 0x5411, SIOCOUTQ: 0x5411, FIONBIO: 0x5421,
  SIOCGIFFLAGS: 0x8913, SIOCSIFFLAGS: 0x8914, IFF_UP: 0x1,
  // namespaces (unshare(2), setns(2))
  CLONE_NEWIPC: 0x08000000, CLONE_NEWNET: 0x40000000,
  // signals / timers / clocks
  RLIMIT_FSIZE: 1, RLIMIT_CORE: 4, RLIMIT_NPROC: 6, RLIMIT_NOFILE: 7, RLIMIT_AS: 9,
  SIG_DFL: 0, SIG_IGN: 1, ITIMER_REAL: 0, CLOCK_REALTIME: 0, CLOCK_MONOTONIC: 1,
  // errno values (EAGAIN, EINTR, ...)
  ...ERRNO,
} as const;

export type Constants = typeof C;

// ---- signals ---------------------------------------------------------------------------

const SIGRTMIN = 34; // glibc: kernel 32 and 33 are taken by NPTL
const SIGRTMAX = 64;

// Canonical names first so that signame() picks them over aliases (SIGIOT, SIGPOLL, ...).
const SIG_TABLE: Record<string, number> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8,
  SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15,
  SIGSTKFLT: 16, SIGCHLD: 17, SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22,
  SIGURG: 23, SIGXCPU: 24, SIGXFSZ: 25, SIGVTALRM: 26, SIGPROF: 27, SIGWINCH: 28, SIGIO: 29,
  SIGPWR: 30, SIGSYS: 31,
};
// Aliases accepted by signum(); Node's table fills in anything else it knows.
const SIG_ALIASES: Record<string, number> = { SIGIOT: 6, SIGPOLL: 29, SIGCLD: 17, SIGUNUSED: 31 };
for (const [k, v] of Object.entries(osConstants.signals as Record<string, number>)) {
  if (!(k in SIG_TABLE) && !(k in SIG_ALIASES)) SIG_ALIASES[k] = v;
}
const SIG_NAMES: string[] = [];
for (const [k, v] of Object.entries(SIG_TABLE)) SIG_NAMES[v] = k;

/** 'SIGUSR1' (or 'USR1', or 'SIGRTMIN+2') -> 10; throws on an unknown name. */
export function signum(name: string): number {
  if (typeof name !== 'string') throw new TypeError(`signum: not a signal name: ${String(name)}`);
  const up = name.trim().toUpperCase();
  const n = up.startsWith('SIG') ? up : 'SIG' + up;
  const v = SIG_TABLE[n] ?? SIG_ALIASES[n];
  if (v !== undefined) return v;
  const rt = /^SIGRT(MIN|MAX)(?:([+-])(\d+))?$/.exec(n);
  if (rt) {
    const base = rt[1] === 'MIN' ? SIGRTMIN : SIGRTMAX;
    const off = rt[3] === undefined ? 0 : Number(rt[3]) * (rt[2] === '-' ? -1 : 1);
    const s = base + off;
    if (s >= SIGRTMIN && s <= SIGRTMAX) return s;
  }
  throw new RangeError(`unknown signal: ${name}`);
}

/** 10 -> 'SIGUSR1'; realtime signals as 'SIGRTMIN+k'; anything else 'SIG<n>'. */
export function signame(n: number): string {
  const s = SIG_NAMES[n];
  if (s !== undefined) return s;
  if (n === SIGRTMIN) return 'SIGRTMIN';
  if (n > SIGRTMIN && n <= SIGRTMAX) return `SIGRTMIN+${n - SIGRTMIN}`;
  return `SIG${n}`;
}

// ---- symbolic rendering tables (used only when a tracer wants details) ------------------

export type FlagTable = readonly (readonly [string, number])[];

export const OPEN_FLAGS: FlagTable = [
  ['O_CREAT', C.O_CREAT], ['O_EXCL', C.O_EXCL], ['O_NOCTTY', C.O_NOCTTY], ['O_TRUNC', C.O_TRUNC],
  ['O_APPEND', C.O_APPEND], ['O_NONBLOCK', C.O_NONBLOCK], ['O_SYNC', C.O_SYNC], ['O_DSYNC', C.O_DSYNC],
  ['O_LARGEFILE', C.O_LARGEFILE], ['O_DIRECTORY', C.O_DIRECTORY], ['O_NOFOLLOW', C.O_NOFOLLOW],
  ['O_CLOEXEC', C.O_CLOEXEC],
];
export const FCNTL_CMDS: Record<number, string> = {
  0: 'F_DUPFD', 1: 'F_GETFD', 2: 'F_SETFD', 3: 'F_GETFL', 4: 'F_SETFL', 5: 'F_GETLK', 6: 'F_SETLK',
  7: 'F_SETLKW', 1030: 'F_DUPFD_CLOEXEC', 36: 'F_OFD_GETLK', 37: 'F_OFD_SETLK', 38: 'F_OFD_SETLKW',
};
export const LOCK_TYPES: Record<number, string> = { 0: 'F_RDLCK', 1: 'F_WRLCK', 2: 'F_UNLCK' };
export const WHENCE: Record<number, string> = { 0: 'SEEK_SET', 1: 'SEEK_CUR', 2: 'SEEK_END' };
export const POLL_FLAGS: FlagTable = [
  ['POLLIN', C.POLLIN], ['POLLPRI', C.POLLPRI], ['POLLOUT', C.POLLOUT], ['POLLERR', C.POLLERR],
  ['POLLHUP', C.POLLHUP], ['POLLNVAL', C.POLLNVAL], ['POLLRDNORM', C.POLLRDNORM],
  ['POLLWRNORM', C.POLLWRNORM], ['POLLRDHUP', C.POLLRDHUP],
];
export const PROT_FLAGS: FlagTable = [['PROT_READ', C.PROT_READ], ['PROT_WRITE', C.PROT_WRITE], ['PROT_EXEC', C.PROT_EXEC]];
export const MAP_FLAGS: FlagTable = [
  ['MAP_SHARED', C.MAP_SHARED], ['MAP_PRIVATE', C.MAP_PRIVATE], ['MAP_FIXED', C.MAP_FIXED],
  ['MAP_ANONYMOUS', C.MAP_ANONYMOUS],
];
export const MFD_FLAGS: FlagTable = [['MFD_CLOEXEC', C.MFD_CLOEXEC], ['MFD_ALLOW_SEALING', C.MFD_ALLOW_SEALING]];
/** IPC_* | low 9 bits printed as an octal mode. */
export const IPC_FLAGS: FlagTable = [
  ['IPC_CREAT', C.IPC_CREAT], ['IPC_EXCL', C.IPC_EXCL], ['IPC_NOWAIT', C.IPC_NOWAIT],
  ['MSG_NOERROR', C.MSG_NOERROR], ['MSG_EXCEPT', C.MSG_EXCEPT], ['MSG_COPY', C.MSG_COPY],
];
export const SHMAT_FLAGS: FlagTable = [['SHM_RDONLY', C.SHM_RDONLY], ['SHM_RND', C.SHM_RND]];
export const IPC_CMDS: Record<number, string> = { 0: 'IPC_RMID', 1: 'IPC_SET', 2: 'IPC_STAT', 3: 'IPC_INFO' };
export const AF_NAMES: Record<number, string> = { 0: 'AF_UNSPEC', 1: 'AF_UNIX', 2: 'AF_INET' };
export const SOCK_TYPES: Record<number, string> = { 1: 'SOCK_STREAM', 2: 'SOCK_DGRAM', 5: 'SOCK_SEQPACKET' };
export const SOCK_FLAGS: FlagTable = [['SOCK_NONBLOCK', C.SOCK_NONBLOCK], ['SOCK_CLOEXEC', C.SOCK_CLOEXEC]];
export const MSG_FLAGS: FlagTable = [
  ['MSG_OOB', C.MSG_OOB], ['MSG_PEEK', C.MSG_PEEK], ['MSG_TRUNC', C.MSG_TRUNC],
  ['MSG_DONTWAIT', C.MSG_DONTWAIT], ['MSG_WAITALL', C.MSG_WAITALL], ['MSG_NOSIGNAL', C.MSG_NOSIGNAL],
];
export const SHUT_HOW: Record<number, string> = { 0: 'SHUT_RD', 1: 'SHUT_WR', 2: 'SHUT_RDWR' };
export const SOL_NAMES: Record<number, string> = { 1: 'SOL_SOCKET' };
export const SO_NAMES: Record<number, string> = {
  2: 'SO_REUSEADDR', 3: 'SO_TYPE', 4: 'SO_ERROR', 7: 'SO_SNDBUF', 8: 'SO_RCVBUF', 15: 'SO_REUSEPORT',
};
export const IOCTL_REQS: Record<number, string> = { 0x541b: 'FIONREAD', 0x5411: 'SIOCOUTQ', 0x5421: 'FIONBIO', 0x8913: 'SIOCGIFFLAGS', 0x8914: 'SIOCSIFFLAGS' };
