// native/: every wrapper against the real kernel (no mocks). Second processes are real
// children (sh, or test/fixtures/native-child.ts). Every object a test creates is named
// from this process's pid and removed; the last test checks that nothing is left.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, readdirSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import { sys, C, SyscallError, setTracer, errnoName, signum, signame, type Tracer } from '../native/index';
import { T, OFF } from '../native/libc';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const FIXTURE = join(HERE, 'fixtures', 'native-child.ts');
const PREFIX = `ipcpg-test-${process.pid}`;
const DIR = mkdtempSync(join(tmpdir(), `${PREFIX}-`));

// Everything created, for the final leak check.
const made = { posix: new Set<string>(), msq: new Set<number>(), shm: new Set<number>(), mq: new Set<string>() };

// A koffi .async call does not keep the event loop alive by itself: when the only other handle
// (a child that opens the other side of a FIFO, say) ends first, the loop could empty while the
// call's result is on its way, and the file ended with its tests "still pending" (seen once in CI).
const keepAlive = setInterval(() => {}, 1 << 30);

after(() => {
  clearInterval(keepAlive);
  setTracer(null);
  rmSync(DIR, { recursive: true, force: true });
});

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof SyscallError, `expected SyscallError, got ${String(e)}`);
    return e.code;
  }
  return 'no error';
}

async function codeAsync(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof SyscallError, `expected SyscallError, got ${String(e)}`);
    return e.code;
  }
  return 'no error';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Settles-within check for a promise that must still be pending. */
async function isPending(p: Promise<unknown>, ms = 100): Promise<boolean> {
  let done = false;
  p.then(() => (done = true), () => (done = true));
  await sleep(ms);
  return !done;
}

interface Child {
  proc: ChildProcess;
  line(match: RegExp | string, timeoutMs?: number): Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  out(): string;
}

function child(args: string[], extraFds: number[] = []): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit', ...extraFds],
  });
  let buf = '';
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const m = buf.split('\n').find((l) => w.re.test(l));
      if (m !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    check();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    proc,
    exit,
    out: () => buf,
    line(match, timeoutMs = 15_000) {
      const re = typeof match === 'string' ? new RegExp(match) : match;
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`child ${args[0]}: no line ${re} in ${JSON.stringify(buf)}`)), timeoutMs);
        waiters.push({ re, resolve: (l) => { clearTimeout(timer); resolve(l); } });
        check();
      });
    },
  };
}

function shmEntries(): string[] {
  return readdirSync('/dev/shm').filter((n) => n.includes(PREFIX));
}

// ---------------------------------------------------------------------------------------------

test('struct layouts match the gcc-checked x86_64 layouts', () => {
  assert.deepEqual(
    { size: T.flock.size, ...Object.fromEntries(['l_type', 'l_whence', 'l_start', 'l_len', 'l_pid'].map((m) => [m, T.flock.members![m].offset])) },
    { size: 32, l_type: 0, l_whence: 2, l_start: 8, l_len: 16, l_pid: 24 });
  assert.equal(T.sockaddr_in.size, 16);
  assert.deepEqual([OFF.sockaddr_in.family, OFF.sockaddr_in.port, OFF.sockaddr_in.addr], [0, 2, 4]);
  assert.equal(T.sockaddr_un.size, 110);
  assert.equal(OFF.sockaddr_un.path, 2);
  assert.equal(T.ipc_perm.size, 48);
  assert.equal(T.msqid_ds.size, 120);
  assert.deepEqual([OFF.msqid_ds.cbytes, OFF.msqid_ds.qnum, OFF.msqid_ds.qbytes, OFF.msqid_ds.lspid, OFF.msqid_ds.lrpid], [72, 80, 88, 96, 100]);
  assert.equal(T.shmid_ds.size, 112);
  assert.deepEqual([OFF.shmid_ds.segsz, OFF.shmid_ds.cpid, OFF.shmid_ds.lpid, OFF.shmid_ds.nattch], [48, 80, 84, 88]);
  assert.equal(T.mq_attr.size, 64);
  assert.deepEqual([OFF.mq_attr.flags, OFF.mq_attr.maxmsg, OFF.mq_attr.msgsize, OFF.mq_attr.curmsgs], [0, 8, 16, 24]);
  assert.deepEqual([OFF.sem_t.size, OFF.sem_t.align], [32, 8]);
  assert.equal(T.sigaction.size, 152);
  assert.equal(OFF.sigaction.flags, 136);
  assert.equal(OFF.stat.size, 144);
  assert.equal(OFF.stat.size_, 48);
  assert.equal(OFF.pollfd.size, 8);
  assert.equal(OFF.itimerval.size, 32);
});

test('errno names, signals, constants, SyscallError', () => {
  assert.equal(errnoName(11), 'EAGAIN');
  assert.equal(errnoName(4), 'EINTR');
  assert.equal(errnoName(95), 'EOPNOTSUPP');
  assert.equal(errnoName(35), 'EDEADLK');
  assert.equal(errnoName(9999), 'E9999');
  assert.equal(signum('SIGUSR1'), 10);
  assert.equal(signum('USR2'), 12);
  assert.equal(signum('SIGTERM'), 15);
  assert.equal(signum('SIGRTMIN+2'), 36);
  assert.throws(() => signum('SIGNOPE'), RangeError);
  assert.equal(signame(10), 'SIGUSR1');
  assert.equal(signame(6), 'SIGABRT');
  assert.equal(signame(29), 'SIGIO');
  assert.equal(signame(9), 'SIGKILL');
  assert.equal(signame(35), 'SIGRTMIN+1');
  assert.equal(C.EAGAIN, 11);
  assert.equal(C.EINTR, 4);
  assert.equal(C.O_NONBLOCK, 2048);
  assert.equal(C.O_CLOEXEC, 0x80000);
  assert.equal(C.FIONREAD, 0x541b);
  const e = new SyscallError('read', 11);
  assert.equal(e.message, 'read: EAGAIN (Resource temporarily unavailable)');
  assert.deepEqual([e.call, e.code, e.errno, e.name], ['read', 'EAGAIN', 11, 'SyscallError']);
  assert.ok(e instanceof Error);
  assert.equal(code(() => sys.close(-1)), 'EBADF');
});

test('pipe2, write, read, FIONREAD, nonblocking EAGAIN, poll, EOF', () => {
  const [r, w] = sys.pipe2(C.O_CLOEXEC);
  try {
    assert.ok(r >= 0 && w >= 0 && r !== w);
    assert.equal(sys.getFlags(r) & C.O_NONBLOCK, 0);
    assert.deepEqual(sys.poll([{ fd: r, events: C.POLLIN }], 0), [0]);
    assert.equal(sys.write(w, Buffer.from('hello\n'), 6), 6);
    assert.equal(sys.ioctlInt(r, C.FIONREAD), 6);
    assert.deepEqual(sys.poll([{ fd: r, events: C.POLLIN }, { fd: w, events: C.POLLOUT }], 0), [C.POLLIN, C.POLLOUT]);
    const buf = Buffer.alloc(64);
    assert.equal(sys.read(r, buf, 3), 3);
    assert.equal(buf.subarray(0, 3).toString(), 'hel');
    assert.equal(sys.ioctlInt(r, C.FIONREAD), 3);
    assert.equal(sys.read(r, buf, 64), 3);
    assert.equal(buf.subarray(0, 3).toString(), 'lo\n');
    sys.setNonBlocking(r, true);
    assert.equal(sys.getFlags(r) & C.O_NONBLOCK, C.O_NONBLOCK);
    assert.equal(code(() => sys.read(r, buf, 64)), 'EAGAIN');
    sys.setNonBlocking(r, false);
    assert.equal(sys.getFlags(r) & C.O_NONBLOCK, 0);
    assert.throws(() => sys.read(r, buf, 65), RangeError); // longer than the buffer: refused before the call
    sys.close(w);
    const rev = sys.poll([{ fd: r, events: C.POLLIN }], 0)!;
    assert.equal(rev[0] & C.POLLHUP, C.POLLHUP);
    assert.equal(sys.read(r, buf, 64), 0); // EOF
  } finally {
    sys.close(r);
    try { sys.close(w); } catch { /* closed above */ }
  }
});

test('write to a pipe with no reader: EPIPE once SIGPIPE is ignored', () => {
  const [r, w] = sys.pipe2(C.O_CLOEXEC);
  sys.close(r);
  sys.sigIgnore(signum('SIGPIPE')); // Node ignores it already; make sure
  assert.equal(code(() => sys.write(w, Buffer.from('x'), 1)), 'EPIPE');
  sys.close(w);
});

test('regular file: open, write, pread, lseek, ftruncate, fstatSize, unlink', () => {
  const path = join(DIR, 'file.txt');
  const fd = sys.open(path, C.O_RDWR | C.O_CREAT | C.O_EXCL | C.O_CLOEXEC, 0o600);
  try {
    assert.equal(code(() => sys.open(path, C.O_RDWR | C.O_CREAT | C.O_EXCL)), 'EEXIST');
    assert.equal(sys.write(fd, Buffer.from('0123456789'), 10), 10);
    assert.equal(sys.fstatSize(fd), 10);
    const b = Buffer.alloc(4);
    assert.equal(sys.pread(fd, b, 4, 3), 4);
    assert.equal(b.toString(), '3456');
    assert.equal(sys.lseek(fd, 0, C.SEEK_CUR), 10);
    assert.equal(sys.lseek(fd, -2, C.SEEK_END), 8);
    assert.equal(sys.read(fd, b, 4), 2);
    sys.ftruncate(fd, 3);
    assert.equal(sys.fstatSize(fd), 3);
    assert.equal(readFileSync(path, 'utf8'), '012');
    sys.ftruncate(fd, 5_000_000_000); // sparse, > 2^32: 64-bit off_t both ways
    assert.equal(sys.fstatSize(fd), 5_000_000_000);
    assert.equal(sys.lseek(fd, 0, C.SEEK_END), 5_000_000_000);
  } finally {
    sys.close(fd);
    sys.unlink(path);
  }
  assert.equal(existsSync(path), false);
  assert.equal(code(() => sys.unlink(path)), 'ENOENT');
  assert.equal(code(() => sys.open(path, C.O_RDONLY)), 'ENOENT');
});

test('FIFO: openAsync blocks until another process opens the other side', async () => {
  const path = join(DIR, 'fifo');
  sys.mkfifo(path, 0o600);
  try {
    // No reader yet: a nonblocking open for writing fails with ENXIO.
    assert.equal(code(() => sys.open(path, C.O_WRONLY | C.O_NONBLOCK)), 'ENXIO');
    const opening = sys.openAsync(path, C.O_RDONLY | C.O_CLOEXEC);
    assert.equal(await isPending(opening, 150), true, 'open(O_RDONLY) of a FIFO must block with no writer');
    const writer = spawn('sh', ['-c', `printf 'via fifo' > "$1"`, 'sh', path], { stdio: 'ignore' });
    // listened for at once: the writer may end while we await the open (a late listener never hears it)
    const writerDone = new Promise((r) => writer.once('exit', r));
    const fd = await opening;
    const buf = Buffer.alloc(64);
    let got = '';
    for (;;) {
      const n = sys.read(fd, buf, 64); // blocking, but the writer is already there
      if (n === 0) break;
      got += buf.subarray(0, n).toString();
    }
    assert.equal(got, 'via fifo');
    sys.close(fd);
    await writerDone;
  } finally {
    sys.unlink(path);
  }
  // openAsync failures reject with SyscallError
  assert.equal(await codeAsync(sys.openAsync(join(DIR, 'nope'), C.O_RDONLY)), 'ENOENT');
});

test('OFD locks: conflict between two fds, F_OFD_GETLK, setLockAsync waits for unlock', async () => {
  const path = join(DIR, 'lockfile');
  writeFileSync(path, 'data');
  const a = sys.open(path, C.O_RDWR | C.O_CLOEXEC);
  const b = sys.open(path, C.O_RDWR | C.O_CLOEXEC);
  try {
    assert.equal(sys.getLock(b, C.F_OFD_GETLK, C.F_WRLCK), null);
    sys.setLock(a, C.F_OFD_SETLK, C.F_WRLCK);
    assert.equal(code(() => sys.setLock(b, C.F_OFD_SETLK, C.F_WRLCK)), 'EAGAIN');
    assert.equal(code(() => sys.setLock(b, C.F_OFD_SETLK, C.F_RDLCK)), 'EAGAIN');
    const held = sys.getLock(b, C.F_OFD_GETLK, C.F_RDLCK);
    assert.deepEqual(held, { type: C.F_WRLCK, pid: -1, start: 0, len: 0 }); // OFD locks have no owner pid
    // A byte range: lock [10, 15) on b does not conflict with... a's whole-file lock? It does.
    assert.equal(code(() => sys.setLock(b, C.F_OFD_SETLK, C.F_WRLCK, 10, 5)), 'EAGAIN');

    const waiting = sys.setLockAsync(b, C.F_OFD_SETLKW, C.F_WRLCK);
    assert.equal(await isPending(waiting, 150), true, 'F_OFD_SETLKW must block while a holds the lock');
    sys.setLock(a, C.F_OFD_SETLK, C.F_UNLCK);
    await waiting;
    assert.deepEqual(sys.getLock(a, C.F_OFD_GETLK, C.F_RDLCK), { type: C.F_WRLCK, pid: -1, start: 0, len: 0 });
    assert.equal(code(() => sys.setLock(a, C.F_OFD_SETLK, C.F_WRLCK)), 'EAGAIN');
    sys.setLock(b, C.F_OFD_SETLK, C.F_UNLCK);
    // Ranges: a holds [0,10), b may take [10,20)
    sys.setLock(a, C.F_OFD_SETLK, C.F_WRLCK, 0, 10);
    sys.setLock(b, C.F_OFD_SETLK, C.F_WRLCK, 10, 10);
    assert.deepEqual(sys.getLock(b, C.F_OFD_GETLK, C.F_WRLCK, 5, 1), { type: C.F_WRLCK, pid: -1, start: 0, len: 10 });
  } finally {
    sys.close(a);
    sys.close(b);
  }
});

test('POSIX record lock held by another process: F_GETLK shows its pid, F_SETLK gets EAGAIN', async () => {
  const path = join(DIR, 'plock');
  writeFileSync(path, 'data');
  const c = child(['lock', path]);
  try {
    const line = await c.line(/^locked \d+/);
    const pid = Number(line.split(' ')[1]);
    assert.equal(pid, c.proc.pid);
    const fd = sys.open(path, C.O_RDWR | C.O_CLOEXEC);
    try {
      assert.deepEqual(sys.getLock(fd, C.F_GETLK, C.F_RDLCK), { type: C.F_WRLCK, pid, start: 0, len: 0 });
      assert.equal(code(() => sys.setLock(fd, C.F_SETLK, C.F_WRLCK)), 'EAGAIN');
      const waiting = sys.setLockAsync(fd, C.F_SETLKW, C.F_WRLCK);
      assert.equal(await isPending(waiting, 100), true);
      c.proc.stdin!.end(); // the child closes its fd: the lock goes
      await waiting;
      sys.setLock(fd, C.F_SETLK, C.F_UNLCK);
    } finally {
      sys.close(fd);
    }
  } finally {
    c.proc.stdin!.end();
    await c.exit;
  }
});

test('named semaphore: open, post, getvalue, trywait, timedwait timeout, async wait woken by another process, unlink', async () => {
  const name = `/${PREFIX}-sem`;
  made.posix.add(name);
  const s = sys.semOpen(name, C.O_CREAT | C.O_EXCL, 0o600, 0);
  try {
    assert.ok(existsSync(`/dev/shm/sem.${name.slice(1)}`));
    assert.equal(code(() => sys.semOpen(name, C.O_CREAT | C.O_EXCL, 0o600, 0)), 'EEXIST');
    assert.equal(sys.semGetValue(s), 0);
    assert.equal(sys.semTryWait(s), false);
    const t0 = performance.now();
    assert.equal(sys.semTimedWait(s, 80), 'timeout');
    const waited = performance.now() - t0;
    assert.ok(waited >= 70, `timedwait waited only ${waited} ms`); // it came back: 'timeout' above
    sys.semPost(s);
    sys.semPost(s);
    assert.equal(sys.semGetValue(s), 2);
    assert.equal(sys.semTryWait(s), true);
    sys.semWait(s); // count 1: does not block
    assert.equal(sys.semGetValue(s), 0);
    sys.semPost(s);
    assert.equal(sys.semTimedWait(s, 1000), 'ok');

    const waiting = sys.semWaitAsync(s);
    assert.equal(await isPending(waiting, 100), true);
    const c = child(['sem-post', name]);
    await c.line('posted');
    await waiting;
    assert.equal((await c.exit).code, 0);
    assert.equal(sys.semGetValue(s), 0);
  } finally {
    sys.semClose(s);
    sys.semUnlink(name);
  }
  assert.equal(existsSync(`/dev/shm/sem.${name.slice(1)}`), false);
  assert.equal(code(() => sys.semOpen(name, 0)), 'ENOENT');
  assert.equal(code(() => sys.semUnlink(name)), 'ENOENT');
});

test('unnamed semaphore: sem_init inside a MAP_SHARED|MAP_ANONYMOUS mapping', async () => {
  const len = 4096;
  const p = sys.mmap(len, C.PROT_READ | C.PROT_WRITE, C.MAP_SHARED | C.MAP_ANONYMOUS, -1, 0);
  try {
    assert.equal(typeof p, 'bigint');
    const s = sys.ptrAdd(p, 64);
    assert.equal(s, (p as bigint) + 64n);
    sys.semInit(s, 1, 2);
    assert.equal(sys.semGetValue(s), 2);
    assert.equal(sys.semTryWait(s), true);
    assert.equal(sys.semTryWait(s), true);
    assert.equal(sys.semTryWait(s), false);
    const waiting = sys.semWaitAsync(s);
    assert.equal(await isPending(waiting, 50), true);
    sys.semPost(s);
    await waiting;
    assert.equal(sys.semGetValue(s), 0);
    sys.semDestroy(s);
    // the sem_t lives in the mapping's bytes
    assert.equal(sys.memRead(p, 0, 64).every((x) => x === 0), true);
  } finally {
    sys.munmap(p, len);
  }
});

test('memfd inherited by a child: shared bytes and a pshared sem_t posted from the other process', async () => {
  const size = 4096;
  const fd = sys.memfdCreate(`${PREFIX}-memfd`, 0); // no MFD_CLOEXEC: passed through spawn's stdio
  const p0 = (() => {
    sys.ftruncate(fd, size);
    return sys.mmap(size, C.PROT_READ | C.PROT_WRITE, C.MAP_SHARED, fd, 0);
  })();
  try {
    assert.equal(sys.fstatSize(fd), size);
    sys.semInit(p0, 1, 0);
    sys.memWrite(p0, 64, Buffer.from('ping'));
    const waiting = sys.semWaitAsync(p0);
    const c = child(['memfd', String(size)], [fd]);
    await waiting; // posted by the child on the same sem_t
    assert.equal(sys.memRead(p0, 128, 4).toString(), 'pong');
    await c.line('read ping');
    assert.equal((await c.exit).code, 0);
    sys.semDestroy(p0);
  } finally {
    sys.munmap(p0, size);
    sys.close(fd);
  }
});

test('POSIX shared memory: shm_open, ftruncate, mmap, memWrite/memRead, unlink', () => {
  const name = `/${PREFIX}-shm`;
  made.posix.add(name);
  const size = 8192;
  const fd = sys.shmOpen(name, C.O_RDWR | C.O_CREAT | C.O_EXCL, 0o600);
  let p: unknown = null;
  try {
    assert.ok(existsSync(`/dev/shm/${name.slice(1)}`));
    sys.ftruncate(fd, size);
    p = sys.mmap(size, C.PROT_READ | C.PROT_WRITE, C.MAP_SHARED, fd, 0);
    sys.memWrite(p, 100, Buffer.from('shared bytes'));
    assert.equal(sys.memRead(p, 100, 12).toString(), 'shared bytes');
    // A second mapping of the same object sees the bytes.
    const fd2 = sys.shmOpen(name, C.O_RDONLY, 0);
    const q = sys.mmap(size, C.PROT_READ, C.MAP_SHARED, fd2, 0);
    assert.equal(sys.memRead(q, 100, 12).toString(), 'shared bytes');
    sys.munmap(q, size);
    sys.close(fd2);
    // The file shows them too.
    assert.equal(readFileSync(`/dev/shm/${name.slice(1)}`).subarray(100, 112).toString(), 'shared bytes');
    // Bounds of our own mapping are checked before touching memory.
    assert.throws(() => sys.memWrite(p, size - 2, Buffer.from('xyz')), RangeError);
    assert.throws(() => sys.memRead(p, size, 1), RangeError);
    const copy = sys.memRead(p, 100, 6);
    sys.munmap(p, size);
    p = null;
    assert.equal(copy.toString(), 'shared'); // a copy, still valid after munmap
    assert.equal(code(() => sys.mmap(0, C.PROT_READ, C.MAP_SHARED, fd, 0)), 'EINVAL');
  } finally {
    if (p !== null) sys.munmap(p, size);
    sys.close(fd);
    sys.shmUnlink(name);
  }
  assert.equal(existsSync(`/dev/shm/${name.slice(1)}`), false);
  assert.equal(code(() => sys.shmUnlink(name)), 'ENOENT');
});

test('SysV shared memory: shmget, shmat, shmStat nattch/cpid, shmdt, shmRemove', () => {
  const id = sys.shmget(C.IPC_PRIVATE, 4096, C.IPC_CREAT | C.IPC_EXCL | 0o600);
  made.shm.add(id);
  try {
    let st = sys.shmStat(id);
    assert.deepEqual([st.segsz, st.cpid, st.nattch], [4096, process.pid, 0]);
    const p = sys.shmat(id);
    const q = sys.shmat(id);
    st = sys.shmStat(id);
    assert.equal(st.nattch, 2);
    assert.equal(st.lpid, process.pid);
    sys.memWrite(p, 10, Buffer.from('sysv'));
    assert.equal(sys.memRead(q, 10, 4).toString(), 'sysv');
    sys.shmdt(q);
    assert.equal(sys.shmStat(id).nattch, 1);
    sys.shmdt(p);
    assert.equal(sys.shmStat(id).nattch, 0);
    assert.equal(code(() => sys.shmdt(p)), 'EINVAL');
  } finally {
    sys.shmRemove(id);
  }
  assert.equal(code(() => sys.shmStat(id)), 'EINVAL');
  assert.equal(code(() => sys.shmat(id)), 'EINVAL');
});

test('SysV message queue: msgsnd/msgrcv by mtype, msgStat, ENOMSG, E2BIG, EINTR on a signal', async () => {
  const id = sys.msgget(C.IPC_PRIVATE, C.IPC_CREAT | 0o600);
  made.msq.add(id);
  try {
    sys.msgsnd(id, 1, Buffer.from('a'), 0);
    sys.msgsnd(id, 2, Buffer.from('bb'), 0);
    sys.msgsnd(id, 1, Buffer.from('ccc'), C.IPC_NOWAIT);
    let st = sys.msgStat(id);
    assert.deepEqual([st.qnum, st.cbytes, st.lspid, st.lrpid], [3, 6, process.pid, 0]);
    assert.ok(st.qbytes > 0);
    let m = sys.msgrcv(id, 64, 2, 0); // first message of type 2
    assert.deepEqual([m.mtype, m.data.toString()], [2, 'bb']);
    m = sys.msgrcv(id, 64, 0, 0); // first message of any type
    assert.deepEqual([m.mtype, m.data.toString()], [1, 'a']);
    assert.equal(code(() => sys.msgrcv(id, 64, 5, C.IPC_NOWAIT)), 'ENOMSG');
    assert.equal(code(() => sys.msgrcv(id, 2, 0, C.IPC_NOWAIT)), 'E2BIG'); // 'ccc' does not fit
    m = sys.msgrcv(id, 2, 0, C.IPC_NOWAIT | C.MSG_NOERROR); // truncated instead
    assert.deepEqual([m.mtype, m.data.toString()], [1, 'cc']);
    st = sys.msgStat(id);
    assert.deepEqual([st.qnum, st.cbytes, st.lrpid], [0, 0, process.pid]);
    // Big mtype and an empty message.
    sys.msgsnd(id, 2 ** 40 + 3, Buffer.alloc(0), 0);
    m = sys.msgrcv(id, 16, 0, 0);
    assert.deepEqual([m.mtype, m.data.length], [2 ** 40 + 3, 0]);
    // A larger message than the reused buffers' first size.
    const big = Buffer.alloc(8000, 7);
    sys.msgsnd(id, 9, big, 0);
    assert.deepEqual(sys.msgrcv(id, 9000, 9, 0).data, big);

    // A blocking msgrcv on this thread is interrupted by SIGALRM: msgrcv is never restarted.
    const onAlrm = () => {};
    process.on('SIGALRM', onAlrm);
    try {
      sys.setitimerMs(50);
      const t0 = performance.now();
      assert.equal(code(() => sys.msgrcv(id, 64, 0, 0)), 'EINTR');
      assert.ok(performance.now() - t0 >= 40);
      // poll() is interrupted the same way and returns null
      const [r, w] = sys.pipe2(C.O_CLOEXEC);
      sys.setitimerMs(50);
      assert.equal(sys.poll([{ fd: r, events: C.POLLIN }], 5000), null);
      sys.close(r);
      sys.close(w);
    } finally {
      sys.setitimerMs(0);
      await sleep(20); // let libuv run the listener before it goes
      process.off('SIGALRM', onAlrm);
    }

    sys.msgRemove(id);
    made.msq.delete(id);
  } finally {
    if (made.msq.has(id)) {
      sys.msgRemove(id);
      made.msq.delete(id);
    }
  }
  made.msq.add(id); // checked again at the end
  assert.equal(code(() => sys.msgStat(id)), 'EINVAL');
  assert.equal(code(() => sys.msgsnd(id, 1, Buffer.from('x'), 0)), 'EINVAL');
});

test('POSIX message queue: attr, priority order, curmsgs, nonblocking EAGAIN, poll, unlink', () => {
  const name = `/${PREFIX}-mq`;
  made.mq.add(name);
  const q = sys.mqOpen(name, C.O_RDWR | C.O_CREAT | C.O_EXCL | C.O_CLOEXEC, 0o600, { maxmsg: 8, msgsize: 128 });
  try {
    let a = sys.mqGetattr(q);
    assert.deepEqual([a.maxmsg, a.msgsize, a.curmsgs, a.flags], [8, 128, 0, 0]);
    assert.deepEqual(sys.poll([{ fd: q, events: C.POLLIN }], 0), [0]);
    sys.mqSend(q, Buffer.from('low'), 1);
    sys.mqSend(q, Buffer.from('high'), 9);
    sys.mqSend(q, Buffer.from('mid'), 5);
    sys.mqSend(q, Buffer.from('mid2'), 5);
    assert.equal(sys.mqGetattr(q).curmsgs, 4);
    assert.deepEqual(sys.poll([{ fd: q, events: C.POLLIN }], 0), [C.POLLIN]);
    assert.equal(code(() => sys.mqReceive(q, 64)), 'EMSGSIZE'); // buffer smaller than mq_msgsize
    const got = [1, 2, 3, 4].map(() => {
      const m = sys.mqReceive(q, 128);
      return `${m.prio}:${m.data.toString()}`;
    });
    assert.deepEqual(got, ['9:high', '5:mid', '5:mid2', '1:low']);
    assert.equal(code(() => sys.mqSend(q, Buffer.alloc(129), 0)), 'EMSGSIZE');
    sys.mqSetNonBlocking(q, true);
    a = sys.mqGetattr(q);
    assert.deepEqual([a.flags & C.O_NONBLOCK, a.curmsgs], [C.O_NONBLOCK, 0]);
    assert.equal(code(() => sys.mqReceive(q, 128)), 'EAGAIN');
    for (let i = 0; i < 8; i++) sys.mqSend(q, Buffer.from(`m${i}`), 0);
    assert.equal(code(() => sys.mqSend(q, Buffer.from('full'), 0)), 'EAGAIN');
    sys.mqSetNonBlocking(q, false);
    assert.equal(sys.mqGetattr(q).flags & C.O_NONBLOCK, 0);
    assert.equal(sys.mqReceive(q, 128).data.toString(), 'm0');
  } finally {
    sys.mqClose(q);
    sys.mqUnlink(name);
  }
  assert.equal(code(() => sys.mqOpen(name, C.O_RDONLY)), 'ENOENT');
  assert.equal(code(() => sys.mqUnlink(name)), 'ENOENT');
});

test('TCP loopback: bind port 0, listen, nonblocking connect, accept, send/recv, FIONREAD, SIOCOUTQ, shutdown', () => {
  const srv = sys.socket(C.AF_INET, C.SOCK_STREAM | C.SOCK_NONBLOCK | C.SOCK_CLOEXEC, 0);
  const cli = sys.socket(C.AF_INET, C.SOCK_STREAM | C.SOCK_NONBLOCK | C.SOCK_CLOEXEC, 0);
  let conn = -1;
  try {
    sys.bindInet(srv, '127.0.0.1', 0);
    const port = sys.sockPort(srv);
    assert.ok(port > 0 && port < 65536);
    sys.listen(srv, 8);
    assert.equal(code(() => sys.accept(srv, C.SOCK_CLOEXEC)), 'EAGAIN'); // nobody yet
    const c = code(() => sys.connectInet(cli, '127.0.0.1', port));
    assert.ok(c === 'EINPROGRESS' || c === 'no error', c);
    assert.deepEqual(sys.poll([{ fd: srv, events: C.POLLIN }], 2000), [C.POLLIN]);
    conn = sys.accept(srv, C.SOCK_NONBLOCK | C.SOCK_CLOEXEC);
    assert.ok(conn >= 0);
    assert.equal(sys.poll([{ fd: cli, events: C.POLLOUT }], 2000)![0] & C.POLLOUT, C.POLLOUT);
    assert.equal(sys.sockError(cli), 0);
    assert.equal(sys.send(cli, Buffer.from('hello tcp'), 9, C.MSG_NOSIGNAL), 9);
    assert.equal(sys.poll([{ fd: conn, events: C.POLLIN }], 2000)![0] & C.POLLIN, C.POLLIN);
    assert.equal(sys.ioctlInt(conn, C.FIONREAD), 9);
    assert.equal(sys.ioctlInt(cli, C.SIOCOUTQ), 0); // acked on loopback
    const b = Buffer.alloc(64);
    assert.equal(sys.recv(conn, b, 5, 0), 5);
    assert.equal(sys.recv(conn, b.subarray(5), 59, C.MSG_DONTWAIT), 4);
    assert.equal(b.subarray(0, 9).toString(), 'hello tcp');
    assert.equal(code(() => sys.recv(conn, b, 64, C.MSG_DONTWAIT)), 'EAGAIN');
    sys.shutdown(cli, C.SHUT_WR);
    sys.poll([{ fd: conn, events: C.POLLIN }], 2000);
    assert.equal(sys.recv(conn, b, 64, 0), 0); // EOF after SHUT_WR
    assert.equal(sys.send(conn, Buffer.from('back'), 4, 0), 4);
    sys.poll([{ fd: cli, events: C.POLLIN }], 2000);
    assert.equal(sys.recv(cli, b, 64, 0), 4);
    // Connection refused on a closed port (find one: bind, read port, close).
    const tmp = sys.socket(C.AF_INET, C.SOCK_STREAM | C.SOCK_CLOEXEC, 0);
    sys.bindInet(tmp, '127.0.0.1', 0);
    const dead = sys.sockPort(tmp);
    sys.close(tmp);
    const s2 = sys.socket(C.AF_INET, C.SOCK_STREAM | C.SOCK_CLOEXEC, 0);
    assert.equal(code(() => sys.connectInet(s2, '127.0.0.1', dead)), 'ECONNREFUSED');
    sys.close(s2);
    assert.throws(() => sys.connectInet(cli, '127.0.0.300', 1), RangeError);
  } finally {
    if (conn >= 0) sys.close(conn);
    sys.close(cli);
    sys.close(srv);
  }
});

test('UDP loopback: sendto/recvfrom keep datagram boundaries', () => {
  const rx = sys.socket(C.AF_INET, C.SOCK_DGRAM | C.SOCK_CLOEXEC, 0);
  const tx = sys.socket(C.AF_INET, C.SOCK_DGRAM | C.SOCK_CLOEXEC, 0);
  try {
    sys.bindInet(rx, '127.0.0.1', 0);
    const port = sys.sockPort(rx);
    assert.equal(sys.sendtoInet(tx, Buffer.from('one'), 3, 0, '127.0.0.1', port), 3);
    assert.equal(sys.sendtoInet(tx, Buffer.from('two!'), 4, 0, '127.0.0.1', port), 4);
    assert.equal(sys.poll([{ fd: rx, events: C.POLLIN }], 2000)![0] & C.POLLIN, C.POLLIN);
    assert.equal(sys.ioctlInt(rx, C.FIONREAD), 3); // size of the next datagram
    const b = Buffer.alloc(64);
    assert.equal(sys.recvfrom(rx, b, 64, 0), 3);
    assert.equal(b.subarray(0, 3).toString(), 'one');
    assert.equal(sys.recvfrom(rx, b, 64, 0), 4);
    assert.equal(b.subarray(0, 4).toString(), 'two!');
    assert.equal(code(() => sys.recvfrom(rx, b, 64, C.MSG_DONTWAIT)), 'EAGAIN');
    assert.ok(sys.sockPort(tx) > 0); // auto-bound by sendto
  } finally {
    sys.close(rx);
    sys.close(tx);
  }
});

test('Unix stream and datagram sockets with paths in a temp dir', () => {
  const spath = join(DIR, 'stream.sock');
  const dpath = join(DIR, 'dgram.sock');
  const srv = sys.socket(C.AF_UNIX, C.SOCK_STREAM | C.SOCK_CLOEXEC, 0);
  const cli = sys.socket(C.AF_UNIX, C.SOCK_STREAM | C.SOCK_CLOEXEC, 0);
  const drx = sys.socket(C.AF_UNIX, C.SOCK_DGRAM | C.SOCK_CLOEXEC, 0);
  const dtx = sys.socket(C.AF_UNIX, C.SOCK_DGRAM | C.SOCK_CLOEXEC, 0);
  let conn = -1;
  try {
    assert.equal(code(() => sys.connectUnix(cli, spath)), 'ENOENT');
    sys.bindUnix(srv, spath);
    assert.ok(existsSync(spath));
    assert.equal(code(() => sys.bindUnix(cli, spath)), 'EADDRINUSE');
    sys.listen(srv, 4);
    sys.connectUnix(cli, spath); // completes at once for AF_UNIX (backlog has room)
    conn = sys.accept(srv, C.SOCK_CLOEXEC);
    assert.equal(sys.sockPort(srv), 0); // not AF_INET
    assert.equal(sys.send(cli, Buffer.from('unix!'), 5, 0), 5);
    const b = Buffer.alloc(32);
    assert.equal(sys.recv(conn, b, 32, 0), 5);
    assert.equal(b.subarray(0, 5).toString(), 'unix!');
    sys.shutdown(conn, C.SHUT_RDWR);
    assert.equal(sys.recv(cli, b, 32, 0), 0);

    sys.bindUnix(drx, dpath);
    assert.equal(sys.sendtoUnix(dtx, Buffer.from('d1'), 2, 0, dpath), 2);
    assert.equal(sys.sendtoUnix(dtx, Buffer.from('d22'), 3, 0, dpath), 3);
    assert.equal(sys.recvfrom(drx, b, 32, 0), 2);
    assert.equal(sys.recv(drx, b, 32, 0), 3);
    assert.equal(b.subarray(0, 3).toString(), 'd22');
    assert.throws(() => sys.bindUnix(dtx, join(DIR, 'x'.repeat(120))), RangeError);
  } finally {
    if (conn >= 0) sys.close(conn);
    for (const fd of [srv, cli, drx, dtx]) sys.close(fd);
    sys.unlink(spath); // the socket file stays until unlinked
    sys.unlink(dpath);
  }
  assert.equal(existsSync(spath), false);
});

test('kill delivers a signal to another process; kill(pid, 0); ESRCH', async () => {
  assert.equal(sys.getpid(), process.pid);
  sys.kill(process.pid, 0);
  assert.equal(code(() => sys.kill(0x3fffffff, 0)), 'ESRCH');
  const c = child(['signals']);
  await c.line(/^ready/);
  sys.kill(c.proc.pid!, signum('SIGUSR1'));
  await c.line('got SIGUSR1');
  assert.deepEqual(await c.exit, { code: 0, signal: null });
});

test('sigIgnore / sigDefault change the disposition (child killed by SIGUSR2 after SIG_DFL)', async () => {
  const c = child(['sigdfl']);
  const ex = await c.exit;
  assert.match(c.out(), /survived ignored SIGUSR2/);
  assert.doesNotMatch(c.out(), /not reached/);
  assert.deepEqual(ex, { code: null, signal: 'SIGUSR2' });
});

test('exitNow ends a process even with a threadpool call blocked', async () => {
  const c = child(['exitnow']);
  await c.line('blocked');
  assert.deepEqual(await c.exit, { code: 7, signal: null });
});

test('tracer: name, args, ret, errno, ms for sync, failed and async calls; detail=false gives args null', async () => {
  const calls: { name: string; args: string | null; ret: string; errno: string | null; ms: number }[] = [];
  const tr: Tracer = { detail: true, onCall: (name, args, ret, errno, ms) => calls.push({ name, args, ret, errno, ms }) };
  const [r, w] = sys.pipe2(C.O_CLOEXEC);
  const path = join(DIR, 'traced');
  setTracer(tr);
  try {
    sys.write(w, Buffer.from('hello\n'), 6);
    const big = Buffer.alloc(40, 0x41);
    big[0] = 0;
    big[1] = 0xff;
    sys.write(w, big, 40);
    sys.read(r, Buffer.alloc(6), 6);
    sys.setNonBlocking(r, true);
    sys.read(r, Buffer.alloc(64), 64);
    assert.equal(code(() => sys.read(r, Buffer.alloc(64), 64)), 'EAGAIN');
    const fd = sys.open(path, C.O_RDWR | C.O_CREAT | C.O_CLOEXEC, 0o640);
    sys.setLock(fd, C.F_OFD_SETLK, C.F_WRLCK);
    await sys.setLockAsync(fd, C.F_OFD_SETLKW, C.F_UNLCK);
    assert.equal(await codeAsync(sys.openAsync(join(DIR, 'missing'), C.O_RDONLY)), 'ENOENT');
    sys.close(fd);
    sys.unlink(path);
    const id = sys.msgget(C.IPC_PRIVATE, C.IPC_CREAT | 0o600);
    made.msq.add(id);
    assert.equal(code(() => sys.msgrcv(id, 16, 0, C.IPC_NOWAIT)), 'ENOMSG');
    sys.msgRemove(id);
    const p = sys.mmap(4096, C.PROT_READ | C.PROT_WRITE, C.MAP_SHARED | C.MAP_ANONYMOUS, -1, 0);
    sys.memWrite(p, 0, Buffer.from('untraced'));
    sys.munmap(p, 4096);
    sys.kill(process.pid, 0);
  } finally {
    setTracer(null);
  }
  const find = (name: string, pred: (c: (typeof calls)[0]) => boolean = () => true) => calls.find((c) => c.name === name && pred(c));
  assert.deepEqual(calls[0], { ...calls[0], name: 'write', args: `${w}, "hello\\n", 6`, ret: '6', errno: null });
  assert.equal(typeof calls[0].ms, 'number');
  assert.ok(calls[0].ms >= 0);
  assert.equal(calls[1].args, `${w}, "\\0\\xffAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"..., 40`);
  assert.equal(calls[2].args, `${r}, "hello\\n", 6`);
  assert.deepEqual(calls.slice(3, 5).map((c) => [c.name, c.args, c.ret]), [['fcntl', `${r}, F_GETFL`, '0'], ['fcntl', `${r}, F_SETFL, O_RDONLY|O_NONBLOCK`, '0']]);
  const eagain = find('read', (c) => c.errno !== null)!;
  assert.deepEqual([eagain.ret, eagain.errno], ['-1', 'EAGAIN']);
  const open = find('open', (c) => c.errno === null)!;
  assert.match(open.args!, /^".*traced", O_RDWR\|O_CREAT\|O_CLOEXEC, 0640$/);
  assert.equal(find('fcntl', (c) => c.args!.includes('F_OFD_SETLK,'))!.args, `${open.ret}, F_OFD_SETLK, {F_WRLCK}`);
  assert.equal(find('fcntl', (c) => c.args!.includes('F_OFD_SETLKW'))!.args, `${open.ret}, F_OFD_SETLKW, {F_UNLCK}`);
  const failedOpen = find('open', (c) => c.errno !== null)!;
  assert.deepEqual([failedOpen.ret, failedOpen.errno], ['-1', 'ENOENT']); // errno of the worker thread
  assert.deepEqual([find('msgget')!.args], ['IPC_PRIVATE, IPC_CREAT|0600']);
  const nomsg = find('msgrcv')!;
  assert.deepEqual([nomsg.ret, nomsg.errno, nomsg.args?.endsWith('16, 0, IPC_NOWAIT')], ['-1', 'ENOMSG', true]);
  const mm = find('mmap')!;
  assert.match(mm.ret, /^0x[0-9a-f]+$/);
  assert.equal(mm.args, 'NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0');
  assert.equal(find('kill')!.args, `${process.pid}, 0`);
  assert.equal(calls.some((c) => c.name === 'memcpy' || c.name === 'memWrite'), false);

  // detail=false: onCall still runs, args are null.
  const lean: typeof calls = [];
  setTracer({ detail: false, onCall: (name, args, ret, errno, ms) => lean.push({ name, args, ret, errno, ms }) });
  try {
    sys.write(w, Buffer.from('x'), 1);
    assert.equal(code(() => sys.close(-1)), 'EBADF');
  } finally {
    setTracer(null);
  }
  assert.deepEqual(lean.map((c) => [c.name, c.args, c.ret, c.errno]), [['write', null, '1', null], ['close', null, '-1', 'EBADF']]);
  sys.close(r);
  sys.close(w);
});

test('a tracer may make calls itself: they are untraced, cannot recurse, and do not clobber results', () => {
  const [r, w] = sys.pipe2(C.O_CLOEXEC);
  const [r2, w2] = sys.pipe2(C.O_CLOEXEC);
  const seen: string[] = [];
  let swapped = false;
  sys.write(w2, Buffer.from('xyzxyzxyz'), 9); // 9 bytes buffered on the tracer's own pipe
  setTracer({
    detail: true,
    onCall(name, args) {
      seen.push(`${name}(${args})`);
      // The tracer's own I/O (as a host sending events up a pipe would) reuses the same
      // wrappers and scratch buffers as the call being reported.
      assert.equal(sys.ioctlInt(r2, C.FIONREAD), 9);
      sys.write(w2, Buffer.from('e'), 1);
      sys.read(r2, Buffer.alloc(1), 1);
      sys.poll([{ fd: w2, events: C.POLLOUT }], 0);
      if (name === 'close' && !swapped) {
        swapped = true;
        setTracer(null); // from inside onCall: takes effect after it returns
      }
    },
  });
  try {
    sys.write(w, Buffer.from('abc'), 3);
    assert.equal(sys.ioctlInt(r, C.FIONREAD), 3);
    assert.deepEqual(sys.poll([{ fd: r, events: C.POLLIN }, { fd: w, events: C.POLLOUT }], 0), [C.POLLIN, C.POLLOUT]);
    const [a, b] = sys.pipe2(0);
    assert.ok(a !== r2 && b !== w2);
    sys.close(a);
    sys.close(b); // untraced: the tracer removed itself during close(a)
  } finally {
    setTracer(null);
  }
  assert.deepEqual(seen.map((s) => s.split('(')[0]), ['write', 'ioctl', 'poll', 'pipe2', 'close']);
  assert.equal(seen[1], `ioctl(${r}, FIONREAD, [3])`);
  for (const fd of [r, w, r2, w2]) sys.close(fd);
});

test('nothing left behind: no /dev/shm entry, no SysV object, no POSIX mqueue', () => {
  assert.deepEqual(shmEntries(), []);
  const ids = (file: string) =>
    readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => Number(l.trim().split(/\s+/)[1]));
  const msqs = ids('/proc/sysvipc/msg');
  const shms = ids('/proc/sysvipc/shm');
  for (const id of made.msq) assert.equal(msqs.includes(id), false, `msq ${id} left`);
  for (const id of made.shm) assert.equal(shms.includes(id), false, `shm ${id} left`);
  for (const name of made.mq) assert.equal(code(() => sys.mqOpen(name, C.O_RDONLY)), 'ENOENT');
  for (const name of made.posix) assert.equal(existsSync(`/dev/shm/${name.slice(1)}`) || existsSync(`/dev/shm/sem.${name.slice(1)}`), false);
  assert.ok(made.msq.size > 0 && made.shm.size > 0 && made.mq.size > 0 && made.posix.size > 0);
});
