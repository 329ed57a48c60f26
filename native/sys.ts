// Typed wrappers over glibc. Each traced wrapper:
//   1. calls the koffi function declared once in libc.ts,
//   2. reads errno immediately on failure (koffi.errno(); for .async, the worker's errno),
//   3. if a tracer is set, reports name/args/ret/errno/ms to it (args only when detail),
//   4. on failure throws SyscallError.
// Hot-path wrappers (read, write, send, recv, msgsnd, msgrcv) are written out by hand:
// with no tracer or detail=false they allocate nothing but what their result requires.

import { koffi, F, OFF, MAP_FAILED, PIDFD } from './libc';
import {
  C, signame, OPEN_FLAGS, FCNTL_CMDS, LOCK_TYPES, WHENCE, POLL_FLAGS, PROT_FLAGS, MAP_FLAGS, MFD_FLAGS,
  IPC_FLAGS, SHMAT_FLAGS, IPC_CMDS, AF_NAMES, SOCK_TYPES, SOCK_FLAGS, MSG_FLAGS, SHUT_HOW, IOCTL_REQS,
} from './constants';
import { SyscallError, errnoName } from './errno';
import {
  tracer, emit, fmtBytes, fmtStr, fmtPtr, fmtFlags, fmtOpenFlags, fmtIpcFlags, fmtMode, fmtEnum,
} from './trace';

/** An opaque native pointer (a BigInt in koffi 3; null is NULL). */
export type Ptr = unknown;

const kerrno = koffi.errno as () => number;
const now = () => performance.now();

// ---- generic traced-call helpers (closures: for calls off the hot path) ---------------------

type ArgsFn<R> = ((r: R) => string) | null;

/** A call returning an int/ssize_t, -1 (negative) on failure. */
function intCall(name: string, invoke: () => number, args: ArgsFn<number>): number {
  const t = tracer;
  if (t === null) {
    const r = invoke();
    if (r < 0) throw new SyscallError(name, kerrno());
    return r;
  }
  const d = t.detail;
  const t0 = d ? now() : 0;
  const r = invoke();
  const e = r < 0 ? kerrno() : 0;
  const ms = d ? now() - t0 : 0;
  emit(t, name, t.detail && args !== null ? args(r) : null, String(r), e === 0 ? null : errnoName(e), ms);
  if (r < 0) throw new SyscallError(name, e);
  return r;
}

/** Like intCall but returns the errno instead of throwing for the listed soft errors. */
function intCallSoft(name: string, invoke: () => number, args: ArgsFn<number>, soft: readonly number[]): number {
  const t = tracer;
  const t0 = t === null ? 0 : now();
  const r = invoke();
  const e = r < 0 ? kerrno() : 0;
  if (t !== null) {
    const ms = now() - t0;
    emit(t, name, t.detail && args !== null ? args(r) : null, String(r), e === 0 ? null : errnoName(e), ms);
  }
  if (r < 0) {
    if (soft.includes(e)) return -e;
    throw new SyscallError(name, e);
  }
  return r;
}

/**
 * A call with out-parameters in scratch memory: `decode` runs right after the call (before
 * the tracer, which may itself make calls that reuse the scratch buffers), only on success.
 */
function outCall<R>(name: string, invoke: () => number, decode: (r: number) => R, args: ((r: number, out: R | undefined) => string) | null): R {
  const t = tracer;
  const t0 = t === null ? 0 : now();
  const r = invoke();
  const e = r < 0 ? kerrno() : 0;
  const out = r < 0 ? undefined : decode(r);
  if (t !== null) {
    const ms = now() - t0;
    emit(t, name, t.detail && args !== null ? args(r, out) : null, String(r), e === 0 ? null : errnoName(e), ms);
  }
  if (r < 0) throw new SyscallError(name, e);
  return out as R;
}

/** A call returning a pointer; `failed` tells the failure value (NULL or MAP_FAILED). */
function ptrCall(name: string, invoke: () => unknown, failed: unknown, failRet: string, args: ArgsFn<unknown>): Ptr {
  const t = tracer;
  if (t === null) {
    const p = invoke();
    if (p === failed) throw new SyscallError(name, kerrno());
    return p;
  }
  const d = t.detail;
  const t0 = d ? now() : 0;
  const p = invoke();
  const e = p === failed ? kerrno() : 0;
  const ms = d ? now() - t0 : 0;
  emit(t, name, t.detail && args !== null ? args(p) : null, p === failed ? failRet : fmtPtr(p), e === 0 ? null : errnoName(e), ms);
  if (p === failed) throw new SyscallError(name, e);
  return p;
}

interface AsyncFn {
  async: (...args: unknown[]) => void;
}

/** Run an int-returning call on the threadpool; report with the worker's errno. */
function asyncInt(name: string, f: AsyncFn, argv: unknown[], args: ArgsFn<number>): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const t0 = now();
    f.async(...argv, (err: unknown, r: number) => {
      if (err) {
        reject(err);
        return;
      }
      const e = r < 0 ? kerrno() : 0;
      const ms = now() - t0;
      // Settle first (handlers run later, as microtasks), so a throwing tracer cannot
      // leave the promise pending forever.
      if (r < 0) reject(new SyscallError(name, e));
      else resolve(r);
      const t = tracer;
      if (t !== null) {
        emit(t, name, t.detail && args !== null ? args(r) : null, String(r), e === 0 ? null : errnoName(e), ms);
      }
    });
  });
}

function badLen(call: string, len: number, buf: Uint8Array): RangeError {
  return new RangeError(`${call}: length ${len} outside buffer of ${buf.length} bytes`);
}

// 64-bit integers in Buffers without BigInt (values stay below 2^53).
function readI64(b: Buffer, o: number): number {
  return b.readInt32LE(o + 4) * 4294967296 + b.readUInt32LE(o);
}
function writeI64(b: Buffer, o: number, v: number): void {
  const lo = v % 4294967296;
  const l = lo < 0 ? lo + 4294967296 : lo;
  b.writeUInt32LE(l, o);
  b.writeInt32LE((v - l) / 4294967296, o + 4);
}

// ---- reused scratch memory (single-threaded: only sync calls use these) ----------------------

const pipeFds = new Int32Array(2);
const intOut = new Int32Array(1);
const uintOut = new Uint32Array(1);
const lenOut = new Uint32Array(1);
const flockBuf = Buffer.alloc(OFF.flock.size);
const statBuf = Buffer.alloc(OFF.stat.size);
const tsBuf = Buffer.alloc(OFF.timespec.size);
const itvBuf = Buffer.alloc(OFF.itimerval.size);
const sigactBuf = Buffer.alloc(OFF.sigaction.size);
const msqBuf = Buffer.alloc(OFF.msqid_ds.size);
const shmdsBuf = Buffer.alloc(OFF.shmid_ds.size);
const mqAttrBuf = Buffer.alloc(OFF.mq_attr.size);
const sinBuf = Buffer.alloc(OFF.sockaddr_in.size);
const sunBuf = Buffer.alloc(OFF.sockaddr_un.size);
const sockNameBuf = Buffer.alloc(128); // sockaddr_storage
let pollBuf: Buffer = Buffer.alloc(OFF.pollfd.size * 16);
let msgSndBuf: Buffer = Buffer.alloc(8 + 8192); // struct msgbuf { long mtype; char mtext[]; }
let msgRcvBuf: Buffer = Buffer.alloc(8 + 8192);
let mqRcvBuf: Buffer = Buffer.alloc(8192);

function grow(b: Buffer, need: number): Buffer {
  if (b.length >= need) return b;
  let n = b.length;
  while (n < need) n *= 2;
  return Buffer.alloc(n);
}

// Names remembered for readable traces (detail only): sem_t* -> "/name".
const semNames = new Map<unknown, string>();
function fmtSem(s: Ptr): string {
  const n = semNames.get(s);
  return n === undefined ? fmtPtr(s) : `${fmtPtr(s)} ${fmtStr(n)}`;
}

// Lengths of our own mmap()s, to bounds-check memRead/memWrite at a mapping's base.
const mapLens = new Map<bigint, number>();

// ---- process & signals -----------------------------------------------------------------------

function getpid(): number {
  return intCall('getpid', () => F.getpid(), () => '');
}

function kill(pid: number, sig: number): void {
  intCall('kill', () => F.kill(pid, sig), () => `${pid}, ${sig === 0 ? '0' : signame(sig)}`);
}

function setSigHandler(sig: number, handler: number, hname: string): void {
  sigactBuf.fill(0);
  sigactBuf.writeUInt32LE(handler, OFF.sigaction.handler); // SIG_DFL = 0, SIG_IGN = 1 (high word stays 0)
  intCall('sigaction', () => F.sigaction(sig, sigactBuf, null), () => `${signame(sig)}, {sa_handler=${hname}}, NULL`);
}

/** pidfd_open(pid, 0), or null where glibc or the kernel lacks it (ENOSYS): callers fall back to kill(). */
function pidfdOpen(pid: number): number | null {
  const f = PIDFD.open;
  if (f === null) return null;
  if (!(Number.isInteger(pid) && pid > 0)) throw new RangeError(`pidfd_open: bad pid ${pid}`);
  const r = intCallSoft('pidfd_open', () => f(pid, 0), () => `${pid}, 0`, [C.ENOSYS]);
  return r === -C.ENOSYS ? null : r;
}

/** pidfd_send_signal(fd, sig, NULL, 0); false when that process has already exited (ESRCH). */
function pidfdSignal(fd: number, sig: number): boolean {
  const f = PIDFD.sendSignal;
  if (f === null) throw new Error('pidfd_send_signal is not available');
  return intCallSoft('pidfd_send_signal', () => f(fd, sig, null, 0), () => `${fd}, ${sig === 0 ? '0' : signame(sig)}, NULL, 0`, [C.ESRCH]) >= 0;
}

/** sigaction(sig, SIG_DFL): e.g. undo Node's SIGUSR1 inspector hook or its SIGPIPE ignore. */
function sigDefault(sig: number): void {
  setSigHandler(sig, C.SIG_DFL, 'SIG_DFL');
}

function sigIgnore(sig: number): void {
  setSigHandler(sig, C.SIG_IGN, 'SIG_IGN');
}

/** _exit(2): ends the process now, even with .async calls still blocked. Untraced. */
function exitNow(code: number): never {
  F._exit(code);
  throw new Error('_exit returned');
}

/** One-shot ITIMER_REAL (SIGALRM after ms); 0 disarms. Untraced. */
function setitimerMs(ms: number): void {
  itvBuf.fill(0);
  const m = Math.max(0, Math.floor(ms));
  itvBuf.writeUInt32LE(Math.floor(m / 1000), OFF.itimerval.valueSec);
  itvBuf.writeUInt32LE((m % 1000) * 1000, OFF.itimerval.valueUsec);
  if (F.setitimer(C.ITIMER_REAL, itvBuf, null) < 0) throw new SyscallError('setitimer', kerrno());
}

/** setrlimit(2) with soft = hard = limit (struct rlimit: two u64). Untraced: the host's own set-up. */
function setrlimit(resource: number, limit: number): void {
  const b = Buffer.alloc(16);
  b.writeBigUInt64LE(BigInt(limit), 0);
  b.writeBigUInt64LE(BigInt(limit), 8);
  if (F.setrlimit(resource, b) < 0) throw new SyscallError('setrlimit', kerrno());
}

// ---- namespaces ------------------------------------------------------------------------------
// unshare(2) and setns(2) act on the calling thread only: Node's main thread, where every
// synchronous koffi call and every spawn() runs.

function unshare(flags: number): void {
  intCall('unshare', () => F.unshare(flags), () => fmtFlags(flags, NS_FLAGS));
}

function setns(fd: number, nstype: number): void {
  intCall('setns', () => F.setns(fd, nstype), () => `${fd}, ${fmtFlags(nstype, NS_FLAGS)}`);
}

const NS_FLAGS: [string, number][] = [['CLONE_NEWIPC', C.CLONE_NEWIPC], ['CLONE_NEWNET', C.CLONE_NEWNET]];

/** Sets IFF_UP on the loopback interface of the calling thread's network namespace. */
function loopbackUp(): void {
  const fd = socket(C.AF_INET, C.SOCK_DGRAM | C.SOCK_CLOEXEC, 0);
  try {
    const ifreq = Buffer.alloc(40); // struct ifreq: char ifr_name[16]; union { short ifr_flags; ... }
    ifreq.write('lo', 0, 'latin1');
    intCall('ioctl', () => F.ioctl(fd, C.SIOCGIFFLAGS, ifreq), () => `${fd}, SIOCGIFFLAGS, {ifr_name="lo"}`);
    ifreq.writeInt16LE(ifreq.readInt16LE(16) | C.IFF_UP, 16);
    intCall('ioctl', () => F.ioctl(fd, C.SIOCSIFFLAGS, ifreq), () => `${fd}, SIOCSIFFLAGS, {ifr_name="lo", ifr_flags=IFF_UP|...}`);
  } finally {
    close(fd);
  }
}

// ---- fds -------------------------------------------------------------------------------------

function pipe2(flags: number): [number, number] {
  return outCall('pipe2', () => F.pipe2(pipeFds, flags), (): [number, number] => [pipeFds[0], pipeFds[1]], (_r, out) =>
    (out ? `[${out[0]}, ${out[1]}]` : '[?, ?]') + `, ${fmtFlags(flags, OPEN_FLAGS)}`);
}

function socketpair(domain: number, type: number): [number, number] {
  return outCall('socketpair', () => F.socketpair(domain, type, 0, pipeFds), (): [number, number] => [pipeFds[0], pipeFds[1]], (_r, out) =>
    `${fmtEnum(domain, AF_NAMES)}, ${fmtEnum(type & 0xf, SOCK_TYPES)}${type & C.SOCK_CLOEXEC ? '|SOCK_CLOEXEC' : ''}, 0, ` + (out ? `[${out[0]}, ${out[1]}]` : '[?, ?]'));
}

function close(fd: number): void {
  intCall('close', () => F.close(fd), () => `${fd}`);
}

function read(fd: number, buf: Buffer, len: number): number {
  const r = readNb(fd, buf, len);
  if (r === -1) throw new SyscallError('read', C.EAGAIN); // traced by readNb already
  return r;
}

/** read(2); EAGAIN returns -1 (traced, not thrown: an exception costs 1.5-4 us). `read` throws it. */
function readNb(fd: number, buf: Buffer, len: number): number {
  if (!(len >= 0 && len <= buf.length)) throw badLen('read', len, buf);
  const t = tracer;
  if (t === null) {
    const r = F.read(fd, buf, len) as number;
    if (r < 0) {
      const e = kerrno();
      if (e === C.EAGAIN) return -1;
      throw new SyscallError('read', e);
    }
    return r;
  }
  const d = t.detail;
  const t0 = d ? now() : 0;
  const r = F.read(fd, buf, len) as number;
  const e = r < 0 ? kerrno() : 0;
  if (d || !t.count) emit(t, 'read', d ? `${fd}, ${r > 0 ? fmtBytes(buf, r) : '""'}, ${len}` : null, String(r), e === 0 ? null : errnoName(e), d ? now() - t0 : 0);
  else t.count('read', e);
  if (r < 0) {
    if (e === C.EAGAIN) return -1;
    throw new SyscallError('read', e);
  }
  return r;
}

function write(fd: number, buf: Buffer, len: number): number {
  const r = writeNb(fd, buf, len);
  if (r === -1) throw new SyscallError('write', C.EAGAIN); // traced by writeNb already
  return r;
}

/** write(2); EAGAIN returns -1 (traced, not thrown: an exception costs 1.5-4 us). `write` throws it. */
function writeNb(fd: number, buf: Buffer, len: number): number {
  if (!(len >= 0 && len <= buf.length)) throw badLen('write', len, buf);
  const t = tracer;
  if (t === null) {
    const r = F.write(fd, buf, len) as number;
    if (r < 0) {
      const e = kerrno();
      if (e === C.EAGAIN) return -1;
      throw new SyscallError('write', e);
    }
    return r;
  }
  const d = t.detail;
  const t0 = d ? now() : 0;
  const r = F.write(fd, buf, len) as number;
  const e = r < 0 ? kerrno() : 0;
  if (d || !t.count) emit(t, 'write', d ? `${fd}, ${fmtBytes(buf, len)}, ${len}` : null, String(r), e === 0 ? null : errnoName(e), d ? now() - t0 : 0);
  else t.count('write', e);
  if (r < 0) {
    if (e === C.EAGAIN) return -1;
    throw new SyscallError('write', e);
  }
  return r;
}

function pread(fd: number, buf: Buffer, len: number, offset: number): number {
  if (!(len >= 0 && len <= buf.length)) throw badLen('pread', len, buf);
  return intCall('pread', () => F.pread(fd, buf, len, offset), (r) => `${fd}, ${r > 0 ? fmtBytes(buf, r) : '""'}, ${len}, ${offset}`);
}

function openArgs(path: string, flags: number, mode: number): string {
  return `${fmtStr(path)}, ${fmtOpenFlags(flags, OPEN_FLAGS)}` + (flags & C.O_CREAT ? `, ${fmtMode(mode)}` : '');
}

function open(path: string, flags: number, mode = 0o600): number {
  return intCall('open', () => F.open(path, flags, mode), () => openArgs(path, flags, mode));
}

/** Blocking open (e.g. a FIFO waiting for its other side) on the threadpool. */
function openAsync(path: string, flags: number, mode = 0o600): Promise<number> {
  return asyncInt('open', F.open as unknown as AsyncFn, [path, flags, mode], () => openArgs(path, flags, mode));
}

function unlink(path: string): void {
  intCall('unlink', () => F.unlink(path), () => fmtStr(path));
}

function mkfifo(path: string, mode: number): void {
  intCall('mkfifo', () => F.mkfifo(path, mode), () => `${fmtStr(path)}, ${fmtMode(mode)}`);
}

function ftruncate(fd: number, len: number): void {
  intCall('ftruncate', () => F.ftruncate(fd, len), () => `${fd}, ${len}`);
}

function lseek(fd: number, off: number, whence: number): number {
  return intCall('lseek', () => F.lseek(fd, off, whence), () => `${fd}, ${off}, ${fmtEnum(whence, WHENCE)}`);
}

function fstatSize(fd: number): number {
  return outCall('fstat', () => F.fstat(fd, statBuf), () => readI64(statBuf, OFF.stat.size_), (_r, size) =>
    `${fd}, {st_size=${size ?? '?'}, ...}`);
}

function getFlags(fd: number): number {
  return intCall('fcntl', () => F.fcntlInt(fd, C.F_GETFL, 0), () => `${fd}, F_GETFL`);
}

function setFlags(fd: number, flags: number): void {
  intCall('fcntl', () => F.fcntlInt(fd, C.F_SETFL, flags), () => `${fd}, F_SETFL, ${fmtOpenFlags(flags, OPEN_FLAGS)}`);
}

function setNonBlocking(fd: number, on: boolean): void {
  const fl = getFlags(fd);
  const nf = on ? fl | C.O_NONBLOCK : fl & ~C.O_NONBLOCK;
  if (nf !== fl) setFlags(fd, nf);
}

/** ioctl(fd, req, int *) -> the int (FIONREAD, SIOCOUTQ). */
function ioctlInt(fd: number, req: number): number {
  intOut[0] = 0;
  return outCall('ioctl', () => F.ioctl(fd, req, intOut), () => intOut[0], (_r, v) => `${fd}, ${fmtEnum(req, IOCTL_REQS)}, [${v ?? '?'}]`);
}

/** poll(2): revents per fd, or null when interrupted by a signal (EINTR). */
function poll(fds: { fd: number; events: number }[], timeoutMs: number): number[] | null {
  const n = fds.length;
  const sz = OFF.pollfd.size;
  pollBuf = grow(pollBuf, n * sz);
  for (let i = 0; i < n; i++) {
    pollBuf.writeInt32LE(fds[i].fd, i * sz + OFF.pollfd.fd);
    pollBuf.writeInt16LE(fds[i].events << 16 >> 16, i * sz + OFF.pollfd.events);
    pollBuf.writeInt16LE(0, i * sz + OFF.pollfd.revents);
  }
  const t = tracer;
  const t0 = t === null ? 0 : now();
  const r = F.poll(pollBuf, n, timeoutMs) as number;
  const e = r < 0 ? kerrno() : 0;
  let out: number[] | null = null;
  if (r >= 0) {
    out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = pollBuf.readUInt16LE(i * sz + OFF.pollfd.revents);
  }
  if (t !== null) {
    const ms = now() - t0;
    let args: string | null = null;
    if (t.detail) {
      const items = fds.map((p, i) => {
        const rev = out === null ? 0 : out[i];
        return `{fd=${p.fd}, events=${fmtFlags(p.events, POLL_FLAGS)}` + (rev ? `, revents=${fmtFlags(rev, POLL_FLAGS)}}` : '}');
      });
      args = `[${items.join(', ')}], ${n}, ${timeoutMs}`;
    }
    emit(t, 'poll', args, String(r), e === 0 ? null : errnoName(e), ms);
  }
  if (r < 0 && e !== C.EINTR) throw new SyscallError('poll', e);
  return out;
}

// ---- fcntl record locks ------------------------------------------------------------------------

function fillFlock(b: Buffer, type: number, start: number, len: number): void {
  b.fill(0);
  b.writeInt16LE(type, OFF.flock.type);
  b.writeInt16LE(C.SEEK_SET, OFF.flock.whence);
  writeI64(b, OFF.flock.start, start);
  writeI64(b, OFF.flock.len, len);
  // l_pid stays 0: required by the F_OFD_* commands.
}

function fmtFlock(b: Buffer, withPid: boolean): string {
  const type = fmtEnum(b.readInt16LE(OFF.flock.type), LOCK_TYPES);
  const start = readI64(b, OFF.flock.start);
  const len = readI64(b, OFF.flock.len);
  let s = '{' + type;
  if (start !== 0 || len !== 0) s += `, start=${start}, len=${len}`;
  if (withPid) s += `, pid=${b.readInt32LE(OFF.flock.pid)}`;
  return s + '}';
}

/** F_SETLK / F_OFD_SETLK (throws EAGAIN when held); F_UNLCK to release. */
function setLock(fd: number, cmd: number, type: number, start = 0, len = 0): void {
  fillFlock(flockBuf, type, start, len);
  intCall('fcntl', () => F.fcntlPtr(fd, cmd, flockBuf), () => `${fd}, ${fmtEnum(cmd, FCNTL_CMDS)}, ${fmtFlock(flockBuf, false)}`);
}

/** F_SETLKW / F_OFD_SETLKW on the threadpool: resolves once the lock is taken. */
function setLockAsync(fd: number, cmd: number, type: number, start = 0, len = 0): Promise<void> {
  const b = Buffer.alloc(OFF.flock.size); // own buffer: the call outlives this tick
  fillFlock(b, type, start, len);
  return asyncInt('fcntl', F.fcntlPtr as unknown as AsyncFn, [fd, cmd, b], () => `${fd}, ${fmtEnum(cmd, FCNTL_CMDS)}, ${fmtFlock(b, false)}`).then(() => undefined);
}

/** F_GETLK / F_OFD_GETLK: the conflicting lock, or null (F_UNLCK came back). pid is -1 for OFD locks. */
function getLock(fd: number, cmd: number, type: number, start = 0, len = 0): { type: number; pid: number; start: number; len: number } | null {
  fillFlock(flockBuf, type, start, len);
  const asked = fmtFlock(flockBuf, false);
  return outCall('fcntl', () => F.fcntlPtr(fd, cmd, flockBuf), () => {
    const lt = flockBuf.readInt16LE(OFF.flock.type);
    if (lt === C.F_UNLCK) return null;
    return { type: lt, pid: flockBuf.readInt32LE(OFF.flock.pid), start: readI64(flockBuf, OFF.flock.start), len: readI64(flockBuf, OFF.flock.len) };
  }, (_r, l) => `${fd}, ${fmtEnum(cmd, FCNTL_CMDS)}, ` + (l ? `{${fmtEnum(l.type, LOCK_TYPES)}, start=${l.start}, len=${l.len}, pid=${l.pid}}` : l === null ? '{F_UNLCK}' : asked));
}

// ---- POSIX semaphores -------------------------------------------------------------------------

function semOpen(name: string, oflag: number, mode = 0o600, value = 0): Ptr {
  const p = ptrCall('sem_open', () => F.sem_open(name, oflag, mode, value), null, 'SEM_FAILED', () =>
    `${fmtStr(name)}, ${fmtFlags(oflag, OPEN_FLAGS)}` + (oflag & C.O_CREAT ? `, ${fmtMode(mode)}, ${value}` : ''));
  semNames.set(p, name);
  return p;
}

function semClose(s: Ptr): void {
  intCall('sem_close', () => F.sem_close(s), () => fmtSem(s));
  semNames.delete(s);
}

function semUnlink(name: string): void {
  intCall('sem_unlink', () => F.sem_unlink(name), () => fmtStr(name));
}

function semWait(s: Ptr): void {
  intCall('sem_wait', () => F.sem_wait(s), () => fmtSem(s));
}

function semWaitAsync(s: Ptr): Promise<void> {
  return asyncInt('sem_wait', F.sem_wait as unknown as AsyncFn, [s], () => fmtSem(s)).then(() => undefined);
}

/** sem_timedwait with CLOCK_REALTIME deadline now+ms. */
function semTimedWait(s: Ptr, ms: number): 'ok' | 'timeout' | 'intr' {
  if (F.clock_gettime(C.CLOCK_REALTIME, tsBuf) < 0) throw new SyscallError('clock_gettime', kerrno());
  const m = Math.max(0, ms);
  let sec = readI64(tsBuf, OFF.timespec.sec) + Math.floor(m / 1000);
  let nsec = readI64(tsBuf, OFF.timespec.nsec) + Math.round((m % 1000) * 1e6);
  if (nsec >= 1e9) {
    sec += Math.floor(nsec / 1e9);
    nsec %= 1e9;
  }
  writeI64(tsBuf, OFF.timespec.sec, sec);
  writeI64(tsBuf, OFF.timespec.nsec, nsec);
  const r = intCallSoft('sem_timedwait', () => F.sem_timedwait(s, tsBuf), () => `${fmtSem(s)}, {${sec}, ${nsec}} /* +${ms}ms */`, [C.ETIMEDOUT, C.EINTR]);
  return r === -C.ETIMEDOUT ? 'timeout' : r === -C.EINTR ? 'intr' : 'ok';
}

/** false when the count is 0 (EAGAIN). */
function semTryWait(s: Ptr): boolean {
  return intCallSoft('sem_trywait', () => F.sem_trywait(s), () => fmtSem(s), [C.EAGAIN]) >= 0;
}

function semPost(s: Ptr): void {
  intCall('sem_post', () => F.sem_post(s), () => fmtSem(s));
}

function semGetValue(s: Ptr): number {
  return outCall('sem_getvalue', () => F.sem_getvalue(s, intOut), () => intOut[0], (_r, v) => `${fmtSem(s)}, [${v ?? '?'}]`);
}

function semInit(s: Ptr, pshared: number, value: number): void {
  intCall('sem_init', () => F.sem_init(s, pshared, value), () => `${fmtPtr(s)}, ${pshared}, ${value}`);
}

function semDestroy(s: Ptr): void {
  intCall('sem_destroy', () => F.sem_destroy(s), () => fmtPtr(s));
}

// ---- shared memory ----------------------------------------------------------------------------

function shmOpen(name: string, oflag: number, mode: number): number {
  return intCall('shm_open', () => F.shm_open(name, oflag, mode), () => `${fmtStr(name)}, ${fmtOpenFlags(oflag, OPEN_FLAGS)}, ${fmtMode(mode)}`);
}

function shmUnlink(name: string): void {
  intCall('shm_unlink', () => F.shm_unlink(name), () => fmtStr(name));
}

function mmap(len: number, prot: number, flags: number, fd: number, off: number): Ptr {
  const p = ptrCall('mmap', () => F.mmap(null, len, prot, flags, fd, off), MAP_FAILED, '-1', () =>
    `NULL, ${len}, ${fmtFlags(prot, PROT_FLAGS, 'PROT_NONE')}, ${fmtFlags(flags, MAP_FLAGS)}, ${fd}, ${off}`);
  mapLens.set(p as bigint, len);
  return p;
}

function munmap(p: Ptr, len: number): void {
  intCall('munmap', () => F.munmap(p, len), () => `${fmtPtr(p)}, ${len}`);
  mapLens.delete(p as bigint);
}

/** A zero-copy ArrayBuffer over len bytes at p (never touch it after munmap). */
function view(p: Ptr, len: number): ArrayBuffer {
  return koffi.view(p as bigint, len) as ArrayBuffer;
}

const SYS_futex = 202;
const SYS_pidfd_getfd = 438;
const FUTEX_WAKE = 1;

/** Wakes every waiter on the 32-bit futex word at p (shared, not FUTEX_PRIVATE: other processes map it). */
function futexWake(p: Ptr): number {
  return Number(F.syscall3(SYS_futex, p as bigint, FUTEX_WAKE, 0x7fffffff));
}

/** pidfd_getfd(2): a copy of another process's fd (same open file description). */
function pidfdGetfd(pidfd: number, fd: number): number {
  return intCall('pidfd_getfd', () => Number(F.syscall3(SYS_pidfd_getfd, pidfd, fd, 0)), () => `${pidfd}, ${fd}, 0`);
}

function memfdCreate(name: string, flags: number): number {
  return intCall('memfd_create', () => F.memfd_create(name, flags), () => `${fmtStr(name)}, ${fmtFlags(flags, MFD_FLAGS)}`);
}

function shmget(key: number, size: number, flags: number): number {
  return intCall('shmget', () => F.shmget(key, size, flags), () => `${key === 0 ? 'IPC_PRIVATE' : '0x' + (key >>> 0).toString(16)}, ${size}, ${fmtIpcFlags(flags, IPC_FLAGS)}`);
}

function shmat(id: number, flags = 0): Ptr {
  return ptrCall('shmat', () => F.shmat(id, null, flags), MAP_FAILED, '-1', () => `${id}, NULL, ${fmtFlags(flags, SHMAT_FLAGS)}`);
}

function shmdt(p: Ptr): void {
  intCall('shmdt', () => F.shmdt(p), () => fmtPtr(p));
}

function shmStat(id: number): { segsz: number; cpid: number; lpid: number; nattch: number } {
  return outCall('shmctl', () => F.shmctl(id, C.IPC_STAT, shmdsBuf), () => ({
    segsz: readI64(shmdsBuf, OFF.shmid_ds.segsz),
    cpid: shmdsBuf.readInt32LE(OFF.shmid_ds.cpid),
    lpid: shmdsBuf.readInt32LE(OFF.shmid_ds.lpid),
    nattch: readI64(shmdsBuf, OFF.shmid_ds.nattch),
  }), (_r, st) => st === undefined ? `${id}, IPC_STAT, ...` :
    `${id}, IPC_STAT, {shm_segsz=${st.segsz}, shm_cpid=${st.cpid}, shm_lpid=${st.lpid}, shm_nattch=${st.nattch}, ...}`);
}

function shmRemove(id: number): void {
  intCall('shmctl', () => F.shmctl(id, C.IPC_RMID, null), () => `${id}, IPC_RMID, NULL`);
}

/** Pointer arithmetic (e.g. a sem_t inside a mapping). */
function ptrAdd(p: Ptr, off: number): Ptr {
  return (p as bigint) + BigInt(off);
}

function checkRange(call: string, p: Ptr, offset: number, len: number): void {
  if (!(offset >= 0 && len >= 0)) throw new RangeError(`${call}: bad offset ${offset} / length ${len}`);
  const size = mapLens.get(p as bigint);
  if (size !== undefined && offset + len > size) {
    throw new RangeError(`${call}: ${offset}+${len} outside mapping of ${size} bytes`);
  }
  if (p === null || p === undefined || p === 0n) throw new RangeError(`${call}: NULL pointer`);
}

/** Copy bytes into memory at p+offset (untraced: shared memory needs no syscall). */
function memWrite(p: Ptr, offset: number, data: Buffer): void {
  checkRange('memWrite', p, offset, data.length);
  if (data.length === 0) return;
  F.memcpy((p as bigint) + BigInt(offset), data, data.length);
}

/** A copy of len bytes at p+offset (safe to keep after munmap). Untraced. */
function memRead(p: Ptr, offset: number, len: number): Buffer {
  checkRange('memRead', p, offset, len);
  const b = Buffer.allocUnsafe(len);
  if (len > 0) F.memcpy(b, (p as bigint) + BigInt(offset), len);
  return b;
}

// ---- SysV message queues -----------------------------------------------------------------------

function fmtKey(key: number): string {
  return key === 0 ? 'IPC_PRIVATE' : '0x' + (key >>> 0).toString(16);
}

function msgget(key: number, flags: number): number {
  return intCall('msgget', () => F.msgget(key, flags), () => `${fmtKey(key)}, ${fmtIpcFlags(flags, IPC_FLAGS)}`);
}

function msgsnd(id: number, mtype: number, data: Buffer, flags: number): void {
  const len = data.length;
  if (msgSndBuf.length < 8 + len) msgSndBuf = grow(msgSndBuf, 8 + len);
  const b = msgSndBuf;
  writeI64(b, 0, mtype);
  data.copy(b, 8, 0, len);
  const t = tracer;
  if (t === null) {
    const r = F.msgsnd(id, b, len, flags) as number;
    if (r < 0) throw new SyscallError('msgsnd', kerrno());
    return;
  }
  const d = t.detail;
  const t0 = d ? now() : 0;
  const r = F.msgsnd(id, b, len, flags) as number;
  const e = r < 0 ? kerrno() : 0;
  if (d || !t.count) emit(t, 'msgsnd', d ? `${id}, {${mtype}, ${fmtBytes(data, len)}}, ${len}, ${fmtIpcFlags(flags, IPC_FLAGS)}` : null, String(r), e === 0 ? null : errnoName(e), d ? now() - t0 : 0);
  else t.count('msgsnd', e);
  if (r < 0) throw new SyscallError('msgsnd', e);
}

function msgrcvArgs(id: number, m: { mtype: number; data: Buffer } | null, maxSize: number, mtype: number, flags: number): string {
  const got = m !== null ? `{${m.mtype}, ${fmtBytes(m.data, m.data.length)}}` : '{...}';
  return `${id}, ${got}, ${maxSize}, ${mtype}, ${fmtIpcFlags(flags, IPC_FLAGS)}`;
}

/** msgrcv: EINTR (signal), ENOMSG (IPC_NOWAIT), E2BIG, EIDRM throw SyscallError. */
function msgrcv(id: number, maxSize: number, mtype: number, flags: number): { mtype: number; data: Buffer } {
  if (msgRcvBuf.length < 8 + maxSize) msgRcvBuf = grow(msgRcvBuf, 8 + maxSize);
  const b = msgRcvBuf;
  const t = tracer;
  if (t === null) {
    const r = F.msgrcv(id, b, maxSize, mtype, flags) as number;
    if (r < 0) throw new SyscallError('msgrcv', kerrno());
    const data = Buffer.allocUnsafe(r);
    b.copy(data, 0, 8, 8 + r);
    return { mtype: readI64(b, 0), data };
  }
  const d = t.detail;
  const t0 = d ? now() : 0;
  const r = F.msgrcv(id, b, maxSize, mtype, flags) as number;
  const e = r < 0 ? kerrno() : 0;
  const ms = d ? now() - t0 : 0;
  let m: { mtype: number; data: Buffer } | null = null;
  if (r >= 0) {
    const data = Buffer.allocUnsafe(r);
    b.copy(data, 0, 8, 8 + r);
    m = { mtype: readI64(b, 0), data };
  }
  emit(t, 'msgrcv', t.detail ? msgrcvArgs(id, m, maxSize, mtype, flags) : null, String(r), e === 0 ? null : errnoName(e), ms);
  if (m === null) throw new SyscallError('msgrcv', e);
  return m;
}

function msgStat(id: number): { qnum: number; cbytes: number; qbytes: number; lspid: number; lrpid: number } {
  const o = OFF.msqid_ds;
  return outCall('msgctl', () => F.msgctl(id, C.IPC_STAT, msqBuf), () => ({
    qnum: readI64(msqBuf, o.qnum),
    cbytes: readI64(msqBuf, o.cbytes),
    qbytes: readI64(msqBuf, o.qbytes),
    lspid: msqBuf.readInt32LE(o.lspid),
    lrpid: msqBuf.readInt32LE(o.lrpid),
  }), (_r, st) => st === undefined ? `${id}, IPC_STAT, ...` :
    `${id}, IPC_STAT, {msg_qnum=${st.qnum}, msg_cbytes=${st.cbytes}, msg_qbytes=${st.qbytes}, msg_lspid=${st.lspid}, msg_lrpid=${st.lrpid}, ...}`);
}

/** msgctl(IPC_SET): the queue's owner becomes uid/gid (its mode stays), so that a run's processes may use it. */
function msgSetOwner(id: number, uid: number, gid: number): void {
  intCall('msgctl', () => F.msgctl(id, C.IPC_STAT, msqBuf), () => `${id}, IPC_STAT, ...`);
  // struct ipc_perm starts msqid_ds: __key at 0, uid at 4, gid at 8
  msqBuf.writeUInt32LE(uid, 4);
  msqBuf.writeUInt32LE(gid, 8);
  intCall('msgctl', () => F.msgctl(id, C.IPC_SET, msqBuf), () => `${id}, IPC_SET, {msg_perm={uid=${uid}, gid=${gid}, ...}, ...}`);
}

function msgRemove(id: number): void {
  intCall('msgctl', () => F.msgctl(id, C.IPC_RMID, null), () => `${id}, ${IPC_CMDS[C.IPC_RMID]}, NULL`);
}

// ---- POSIX message queues ------------------------------------------------------------------------

function mqOpen(name: string, oflag: number, mode = 0o600, attr?: { maxmsg: number; msgsize: number }): number {
  let a: Buffer | null = null;
  if (attr) {
    a = mqAttrBuf;
    a.fill(0);
    writeI64(a, OFF.mq_attr.maxmsg, attr.maxmsg);
    writeI64(a, OFF.mq_attr.msgsize, attr.msgsize);
  }
  return intCall('mq_open', () => F.mq_open(name, oflag, mode, a), () =>
    `${fmtStr(name)}, ${fmtOpenFlags(oflag, OPEN_FLAGS)}` +
    (oflag & C.O_CREAT ? `, ${fmtMode(mode)}, ${attr ? `{mq_maxmsg=${attr.maxmsg}, mq_msgsize=${attr.msgsize}}` : 'NULL'}` : ''));
}

function mqClose(q: number): void {
  intCall('mq_close', () => F.mq_close(q), () => `${q}`);
}

function mqUnlink(name: string): void {
  intCall('mq_unlink', () => F.mq_unlink(name), () => fmtStr(name));
}

function mqSend(q: number, data: Buffer, prio: number): void {
  intCall('mq_send', () => F.mq_send(q, data, data.length, prio), () => `${q}, ${fmtBytes(data, data.length)}, ${data.length}, ${prio}`);
}

function mqReceive(q: number, maxSize: number): { data: Buffer; prio: number } {
  if (mqRcvBuf.length < maxSize) mqRcvBuf = grow(mqRcvBuf, maxSize);
  const b = mqRcvBuf;
  uintOut[0] = 0;
  return outCall('mq_receive', () => F.mq_receive(q, b, maxSize, uintOut), (r) => {
    const data = Buffer.allocUnsafe(r);
    b.copy(data, 0, 0, r);
    return { data, prio: uintOut[0] };
  }, (_r, m) => `${q}, ${m ? fmtBytes(m.data, m.data.length) : '...'}, ${maxSize}, [${m ? m.prio : '?'}]`);
}

function readMqAttr(a: Buffer): { flags: number; maxmsg: number; msgsize: number; curmsgs: number } {
  const o = OFF.mq_attr;
  return { flags: readI64(a, o.flags), maxmsg: readI64(a, o.maxmsg), msgsize: readI64(a, o.msgsize), curmsgs: readI64(a, o.curmsgs) };
}

function mqGetattr(q: number): { flags: number; maxmsg: number; msgsize: number; curmsgs: number } {
  return outCall('mq_getattr', () => F.mq_getattr(q, mqAttrBuf), () => readMqAttr(mqAttrBuf), (_r, a) => a === undefined ? `${q}, ...` :
    `${q}, {mq_flags=${fmtFlags(a.flags, OPEN_FLAGS)}, mq_maxmsg=${a.maxmsg}, mq_msgsize=${a.msgsize}, mq_curmsgs=${a.curmsgs}}`);
}

function mqSetNonBlocking(q: number, on: boolean): void {
  mqAttrBuf.fill(0);
  writeI64(mqAttrBuf, OFF.mq_attr.flags, on ? C.O_NONBLOCK : 0);
  intCall('mq_setattr', () => F.mq_setattr(q, mqAttrBuf, null), () => `${q}, {mq_flags=${on ? 'O_NONBLOCK' : '0'}}, NULL`);
}

// ---- sockets ---------------------------------------------------------------------------------------

let lastAddr = '';
let lastAddrBytes = [0, 0, 0, 0];

function fillSin(addr: string, port: number): Buffer {
  if (addr !== lastAddr) {
    const parts = addr.split('.');
    const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
    if (bytes.length !== 4 || bytes.some((x) => !(x >= 0 && x <= 255))) throw new RangeError(`not an IPv4 address: ${addr}`);
    lastAddr = addr;
    lastAddrBytes = bytes;
  }
  if (!(port >= 0 && port <= 65535)) throw new RangeError(`bad port: ${port}`);
  const b = sinBuf;
  b.fill(0);
  b.writeUInt16LE(C.AF_INET, OFF.sockaddr_in.family);
  b.writeUInt16BE(port, OFF.sockaddr_in.port);
  for (let i = 0; i < 4; i++) b[OFF.sockaddr_in.addr + i] = lastAddrBytes[i];
  return b;
}

/** Fills sockaddr_un; returns the address length to pass (family + path + NUL). */
function fillSun(path: string): number {
  const p = Buffer.from(path);
  const max = OFF.sockaddr_un.size - OFF.sockaddr_un.path - 1;
  if (p.length > max) throw new RangeError(`unix socket path longer than ${max} bytes: ${path}`);
  sunBuf.fill(0);
  sunBuf.writeUInt16LE(C.AF_UNIX, OFF.sockaddr_un.family);
  p.copy(sunBuf, OFF.sockaddr_un.path);
  return OFF.sockaddr_un.path + p.length + 1;
}

const fmtSin = (addr: string, port: number) => `{AF_INET, ${addr}:${port}}`;
const fmtSun = (path: string) => `{AF_UNIX, ${fmtStr(path)}}`;

function socket(domain: number, type: number, proto: number): number {
  return intCall('socket', () => F.socket(domain, type, proto), () => {
    const base = type & 0xf;
    const fl = type & ~0xf;
    return `${fmtEnum(domain, AF_NAMES)}, ${fmtEnum(base, SOCK_TYPES)}${fl ? '|' + fmtFlags(fl, SOCK_FLAGS) : ''}, ${proto}`;
  });
}

function bindInet(fd: number, addr: string, port: number): void {
  const b = fillSin(addr, port);
  intCall('bind', () => F.bind(fd, b, OFF.sockaddr_in.size), () => `${fd}, ${fmtSin(addr, port)}, ${OFF.sockaddr_in.size}`);
}

function bindUnix(fd: number, path: string): void {
  const len = fillSun(path);
  intCall('bind', () => F.bind(fd, sunBuf, len), () => `${fd}, ${fmtSun(path)}, ${len}`);
}

function listen(fd: number, backlog: number): void {
  intCall('listen', () => F.listen(fd, backlog), () => `${fd}, ${backlog}`);
}

function accept(fd: number, flags: number): number {
  return intCall('accept4', () => F.accept4(fd, null, null, flags), () => `${fd}, NULL, NULL, ${fmtFlags(flags, SOCK_FLAGS)}`);
}

/** A nonblocking connect in progress throws SyscallError code 'EINPROGRESS'. */
function connectInet(fd: number, addr: string, port: number): void {
  const b = fillSin(addr, port);
  intCall('connect', () => F.connect(fd, b, OFF.sockaddr_in.size), () => `${fd}, ${fmtSin(addr, port)}, ${OFF.sockaddr_in.size}`);
}

function connectUnix(fd: number, path: string): void {
  const len = fillSun(path);
  intCall('connect', () => F.connect(fd, sunBuf, len), () => `${fd}, ${fmtSun(path)}, ${len}`);
}

function send(fd: number, buf: Buffer, len: number, flags: number): number {
  const r = sendNb(fd, buf, len, flags);
  if (r === -1) throw new SyscallError('send', C.EAGAIN); // traced by sendNb already
  return r;
}

/** send(2); EAGAIN returns -1 (traced, not thrown: an exception costs 1.5-4 us). `send` throws it. */
function sendNb(fd: number, buf: Buffer, len: number, flags: number): number {
  if (!(len >= 0 && len <= buf.length)) throw badLen('send', len, buf);
  const t = tracer;
  if (t === null) {
    const r = F.send(fd, buf, len, flags) as number;
    if (r < 0) {
      const e = kerrno();
      if (e === C.EAGAIN) return -1;
      throw new SyscallError('send', e);
    }
    return r;
  }
  const d = t.detail;
  const t0 = d ? now() : 0;
  const r = F.send(fd, buf, len, flags) as number;
  const e = r < 0 ? kerrno() : 0;
  if (d || !t.count) emit(t, 'send', d ? `${fd}, ${fmtBytes(buf, len)}, ${len}, ${fmtFlags(flags, MSG_FLAGS)}` : null, String(r), e === 0 ? null : errnoName(e), d ? now() - t0 : 0);
  else t.count('send', e);
  if (r < 0) {
    if (e === C.EAGAIN) return -1;
    throw new SyscallError('send', e);
  }
  return r;
}

function recv(fd: number, buf: Buffer, len: number, flags: number): number {
  const r = recvNb(fd, buf, len, flags);
  if (r === -1) throw new SyscallError('recv', C.EAGAIN); // traced by recvNb already
  return r;
}

/** recv(2); EAGAIN returns -1 (traced, not thrown: an exception costs 1.5-4 us). `recv` throws it. */
function recvNb(fd: number, buf: Buffer, len: number, flags: number): number {
  if (!(len >= 0 && len <= buf.length)) throw badLen('recv', len, buf);
  const t = tracer;
  if (t === null) {
    const r = F.recv(fd, buf, len, flags) as number;
    if (r < 0) {
      const e = kerrno();
      if (e === C.EAGAIN) return -1;
      throw new SyscallError('recv', e);
    }
    return r;
  }
  const d = t.detail;
  const t0 = d ? now() : 0;
  const r = F.recv(fd, buf, len, flags) as number;
  const e = r < 0 ? kerrno() : 0;
  if (d || !t.count) emit(t, 'recv', d ? `${fd}, ${r > 0 ? fmtBytes(buf, r) : '""'}, ${len}, ${fmtFlags(flags, MSG_FLAGS)}` : null, String(r), e === 0 ? null : errnoName(e), d ? now() - t0 : 0);
  else t.count('recv', e);
  if (r < 0) {
    if (e === C.EAGAIN) return -1;
    throw new SyscallError('recv', e);
  }
  return r;
}

function sendtoInet(fd: number, buf: Buffer, len: number, flags: number, addr: string, port: number): number {
  if (!(len >= 0 && len <= buf.length)) throw badLen('sendto', len, buf);
  const b = fillSin(addr, port);
  return intCall('sendto', () => F.sendto(fd, buf, len, flags, b, OFF.sockaddr_in.size), () =>
    `${fd}, ${fmtBytes(buf, len)}, ${len}, ${fmtFlags(flags, MSG_FLAGS)}, ${fmtSin(addr, port)}, ${OFF.sockaddr_in.size}`);
}

function sendtoUnix(fd: number, buf: Buffer, len: number, flags: number, path: string): number {
  if (!(len >= 0 && len <= buf.length)) throw badLen('sendto', len, buf);
  const alen = fillSun(path);
  return intCall('sendto', () => F.sendto(fd, buf, len, flags, sunBuf, alen), () =>
    `${fd}, ${fmtBytes(buf, len)}, ${len}, ${fmtFlags(flags, MSG_FLAGS)}, ${fmtSun(path)}, ${alen}`);
}

function recvfrom(fd: number, buf: Buffer, len: number, flags: number): number {
  if (!(len >= 0 && len <= buf.length)) throw badLen('recvfrom', len, buf);
  return intCall('recvfrom', () => F.recvfrom(fd, buf, len, flags, null, null), (r) =>
    `${fd}, ${r > 0 ? fmtBytes(buf, r) : '""'}, ${len}, ${fmtFlags(flags, MSG_FLAGS)}, NULL, NULL`);
}

/** getsockname -> the bound port (0 for a non-AF_INET socket). */
function sockPort(fd: number): number {
  lenOut[0] = sockNameBuf.length;
  const sa = outCall('getsockname', () => F.getsockname(fd, sockNameBuf, lenOut), () => {
    const family = sockNameBuf.readUInt16LE(OFF.sockaddr_in.family);
    const inet = family === C.AF_INET;
    return {
      family,
      port: inet ? sockNameBuf.readUInt16BE(OFF.sockaddr_in.port) : 0,
      addr: inet ? Array.from(sockNameBuf.subarray(OFF.sockaddr_in.addr, OFF.sockaddr_in.addr + 4)).join('.') : '',
      len: lenOut[0],
    };
  }, (_r, a) => a === undefined ? `${fd}, ..., [${sockNameBuf.length}]` :
    `${fd}, ${a.family === C.AF_INET ? fmtSin(a.addr, a.port) : `{${fmtEnum(a.family, AF_NAMES)}, ...}`}, [${a.len}]`);
  return sa.port;
}

/** getsockopt(SOL_SOCKET, SO_ERROR): 0 once a nonblocking connect succeeded, else its errno. */
function sockError(fd: number): number {
  intOut[0] = 0;
  lenOut[0] = 4;
  return outCall('getsockopt', () => F.getsockopt(fd, C.SOL_SOCKET, C.SO_ERROR, intOut, lenOut), () => intOut[0], (_r, v) =>
    `${fd}, SOL_SOCKET, SO_ERROR, [${v === undefined ? '?' : v === 0 ? '0' : errnoName(v)}], [4]`);
}

function shutdown(fd: number, how: number): void {
  intCall('shutdown', () => F.shutdown(fd, how), () => `${fd}, ${fmtEnum(how, SHUT_HOW)}`);
}

export const sys = {
  sendNb, recvNb,
  // process & signals
  getpid, kill, pidfdOpen, pidfdSignal, sigDefault, sigIgnore, exitNow, setitimerMs, setrlimit,
  // namespaces
  unshare, setns, loopbackUp,
  // fds
  pipe2, socketpair, close, read, write, readNb, writeNb, pread, open, openAsync, unlink, mkfifo, ftruncate, lseek, fstatSize,
  getFlags, setNonBlocking, ioctlInt, poll,
  // fcntl record locks
  setLock, setLockAsync, getLock,
  // POSIX semaphores
  semOpen, semClose, semUnlink, semWait, semWaitAsync, semTimedWait, semTryWait, semPost, semGetValue,
  semInit, semDestroy,
  // shared memory
  shmOpen, shmUnlink, mmap, munmap, memfdCreate, shmget, shmat, shmdt, shmStat, shmRemove, ptrAdd,
  memWrite, memRead, view, futexWake,
  pidfdGetfd,
  // SysV message queues
  msgget, msgsnd, msgrcv, msgStat, msgSetOwner, msgRemove,
  // POSIX message queues
  mqOpen, mqClose, mqUnlink, mqSend, mqReceive, mqGetattr, mqSetNonBlocking,
  // sockets
  socket, bindInet, bindUnix, listen, accept, connectInet, connectUnix, send, recv, sendtoInet,
  sendtoUnix, recvfrom, sockPort, sockError, shutdown,
};

export type Sys = typeof sys;
