// A ring record of a call, as strace would print it: `read(3, "hello", 1024) = 5`. Buffers
// are shown from the record's preview (the first 48 bytes); addresses of the run's own
// objects (sockets' peers) from what the server made.

import { CALLS } from '../../lib/wire';
import {
  AF_NAMES, FCNTL_CMDS, LOCK_TYPES, MAP_FLAGS, MSG_FLAGS, OPEN_FLAGS, PROT_FLAGS, SOCK_TYPES, WHENCE,
  errnoName, fmtBytes, fmtEnum, fmtFlags, fmtMode, fmtOpenFlags, fmtPtr, signame, type ExitStatus,
} from '../../native/index';
import type { RingRecord } from './control';

export interface Formatted {
  name: string;
  args: string;
  ret: string;
  errno: string | null;
}

const n = (v: bigint) => Number(v);

function sigset(bits: bigint): string {
  const names: string[] = [];
  for (let s = 1; s <= 64; s++) if (bits & (1n << BigInt(s - 1))) names.push(signame(s).replace(/^SIG/, ''));
  return `[${names.join(' ')}]`;
}

/** The argument list of a call record; peer: the address a sendto or connect names. */
function argsOf(name: string, r: RingRecord, peer: string): string {
  const [a0, a1, a2, a3] = r.a;
  const buf = fmtBytes(r.data, r.data.length);
  const bufOut = r.ret > 0n ? buf : '""';
  switch (name) {
    case 'read':
      return `${a0}, ${r.ret >= 0n ? bufOut : '0x...'}, ${a2}`;
    case 'write':
      return `${a0}, ${buf}, ${a2}`;
    case 'pread':
      return `${a0}, ${bufOut}, ${a2}, ${a3}`;
    case 'send':
      return `${a0}, ${buf}, ${a2}, ${fmtFlags(n(a3), MSG_FLAGS)}`;
    case 'recv':
      return `${a0}, ${bufOut}, ${a2}, ${fmtFlags(n(a3), MSG_FLAGS)}`;
    case 'sendto':
      return `${a0}, ${buf}, ${a2}, ${fmtFlags(n(a3), MSG_FLAGS)}, ${peer}`;
    case 'recvfrom':
      return `${a0}, ${bufOut}, ${a2}, ${fmtFlags(n(a3), MSG_FLAGS)}, NULL, NULL`;
    case 'accept':
      return `${a0}, NULL, NULL`;
    case 'connect':
      return `${a0}, ${peer}, ${a2}`;
    case 'socket':
      return `${fmtEnum(n(a0), AF_NAMES)}, ${fmtEnum(n(a1) & 0xf, SOCK_TYPES)}, ${a2}`;
    case 'open':
      return `${JSON.stringify(r.data.toString())}, ${fmtOpenFlags(n(a1), OPEN_FLAGS)}${n(a1) & 0o100 ? `, ${fmtMode(n(a2))}` : ''}`;
    case 'close':
      return `${a0}`;
    case 'lseek':
      return `${a0}, ${a2}, ${fmtEnum(n(a3), WHENCE)}`;
    case 'fstat':
      return `${a0}, {st_size=${a2}, ...}`;
    case 'fcntl': {
      const cmd = fmtEnum(n(a1), FCNTL_CMDS);
      if (/LK/.test(cmd)) return `${a0}, ${cmd}, {l_type=${fmtEnum(n(a2), LOCK_TYPES)}, l_whence=SEEK_SET, l_start=0, l_len=0}`;
      if (cmd === 'F_GETFL' || cmd === 'F_GETFD') return `${a0}, ${cmd}`;
      return cmd === 'F_SETFL' ? `${a0}, ${cmd}, ${fmtOpenFlags(n(a2), OPEN_FLAGS)}` : `${a0}, ${cmd}, ${a2}`;
    }
    case 'msgsnd':
      return `${a0}, {${a1}, ${buf}}, ${a2}, ${a3}`;
    case 'msgrcv':
      return `${a0}, {${r.ret >= 0n ? bufOut : '...'}}, ${a2}, ${a1}, ${fmtFlags(n(a3), [['IPC_NOWAIT', 0o4000], ['MSG_NOERROR', 0o10000], ['MSG_EXCEPT', 0o20000]])}`;
    case 'mq_send':
      return `${a0}, ${buf}, ${a2}, ${a3}`;
    case 'mq_receive':
      return `${a0}, ${bufOut}, ${a2}, NULL`;
    case 'mq_open':
    case 'sem_open':
    case 'shm_open':
      return `${JSON.stringify(r.data.toString())}, ${fmtOpenFlags(n(a1), OPEN_FLAGS)}`;
    case 'sem_wait':
    case 'sem_post':
    case 'sem_trywait':
      return fmtPtr(a0);
    case 'kill':
      return `${a0}, ${signame(n(a1))}`;
    case 'pause':
      return '';
    case 'sigsuspend':
      return sigset(a0);
    case 'sigprocmask':
      return `${['SIG_BLOCK', 'SIG_UNBLOCK', 'SIG_SETMASK'][n(a0)] ?? a0}, ${a2 ? sigset(a1) : 'NULL'}, ...`;
    case 'nanosleep':
      return `{tv_sec=${a0}, tv_nsec=${a1}}, ...`;
    case 'sigaction':
      return `${signame(n(a0))}, {${a2 === 0n ? 'SIG_DFL' : a2 === 1n ? 'SIG_IGN' : 'handler'}${a1 >= 0n ? `, ${(n(a1) & 0x10000000) !== 0 ? 'SA_RESTART' : '0'}` : ''}}, NULL`;
    case 'shmat':
      return `${a0}, NULL, ${a2}`;
    case 'alarm':
      return `${a0}`;
    case 'poll':
      return pollArgs(r);
    case 'mq_setattr':
      return `${a0}, {mq_flags=${n(a1) ? fmtOpenFlags(n(a1), OPEN_FLAGS) : '0'}, ...}, NULL`;
    case 'mmap':
      return `NULL, ${a0}, ${fmtFlags(n(a1), PROT_FLAGS, 'PROT_NONE')}, ${fmtFlags(n(a2), MAP_FLAGS)}, ${a3}, 0`;
    case 'fork':
      return '';
    case 'waitpid':
      return `${a0}, ${r.ret > 0n ? `[${waitStatus(n(a1))}]` : 'NULL'}, ${n(a2) ? 'WNOHANG' : '0'}`;
    case 'sendmsg':
    case 'recvmsg':
      return `${a0}, ${msghdr(r, name === 'sendmsg' || r.ret > 0n ? buf : '""')}, ${fmtFlags(n(a2), MSG_FLAGS)}`;
    default:
      return '';
  }
}

/** A wait status (waitpid's) as an exit code or a signal. */
export function decodeWaitStatus(st: number): ExitStatus {
  const sig = st & 0x7f;
  return sig === 0 ? { code: (st >> 8) & 0xff, signal: null } : { code: null, signal: signame(sig) };
}

/** A wait status as strace shows it: [{WIFEXITED(s) && WEXITSTATUS(s) == 3}]. */
function waitStatus(st: number): string {
  const { code, signal } = decodeWaitStatus(st);
  if (signal === null) return `{WIFEXITED(s) && WEXITSTATUS(s) == ${code}}`;
  return `{WIFSIGNALED(s) && WTERMSIG(s) == ${signal}${st & 0x80 ? ' && WCOREDUMP(s)' : ''}}`;
}

/** A msghdr as strace shows it, with the SCM_RIGHTS descriptor the call passed or received (a1, -1: none). */
function msghdr(r: RingRecord, bytes: string): string {
  const controllen = Number(r.a[3] >> 32n);
  const iovLen = Number(r.a[3] & 0xffffffffn);
  // cmsg_len is CMSG_LEN(sizeof(int)): a 16-byte header and the int, on 64-bit Linux
  const control = r.a[1] >= 0n ? `[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[${r.a[1]}]}]` : 'NULL';
  return `{msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=${bytes}, iov_len=${iovLen}}], msg_iovlen=1, msg_control=${control}, msg_controllen=${controllen}, msg_flags=0}`;
}

const POLL_EVENTS: [string, number][] = [['POLLIN', 0x1], ['POLLPRI', 0x2], ['POLLOUT', 0x4], ['POLLERR', 0x8], ['POLLHUP', 0x10], ['POLLNVAL', 0x20]];

/** The struct pollfd array a poll record carries (as the call left it: events asked, revents found). */
function pollfds(r: RingRecord): { fd: number; events: number; revents: number }[] {
  const fds = [];
  for (let off = 0; off + 8 <= r.data.length; off += 8) {
    fds.push({ fd: r.data.readInt32LE(off), events: r.data.readInt16LE(off + 4), revents: r.data.readInt16LE(off + 6) });
  }
  return fds;
}

/** poll's arguments as strace shows them: what was asked, and the timeout. */
function pollArgs(r: RingRecord): string {
  const fds = pollfds(r);
  const asked = fds.map((f) => `{fd=${f.fd}, events=${fmtFlags(f.events, POLL_EVENTS)}}`).join(', ');
  return `[${asked}${fds.length < Number(r.a[0]) ? ', ...' : ''}], ${r.a[0]}, ${r.a[1]}`;
}

/** Which pollfds poll found ready, as strace adds after the result: ([{fd=5, revents=POLLIN}]). */
function pollReady(r: RingRecord): string {
  const out = pollfds(r)
    .filter((f) => f.revents)
    .map((f) => `{fd=${f.fd}, revents=${fmtFlags(f.revents, POLL_EVENTS)}}`);
  return out.length ? ` ([${out.join(', ')}])` : r.ret === 0n ? ' (Timeout)' : '';
}

export function formatRecord(r: RingRecord, peer = '{...}'): Formatted {
  const name = CALLS[r.call] ?? `call${r.call}`;
  const pointerRet = name === 'shmat' || name === 'mmap' || name === 'sem_open';
  let ret = r.ret < 0n ? '-1' : pointerRet && r.ret > 0n ? fmtPtr(r.ret) : String(r.ret);
  if (name === 'poll' && r.ret >= 0n) ret += pollReady(r);
  return { name, args: argsOf(name, r, peer), ret, errno: r.ret < 0n && r.err ? errnoName(r.err) : null };
}
