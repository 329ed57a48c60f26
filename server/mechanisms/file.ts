// A regular file in the run directory, guarded by fcntl(2) record locks (POSIX locks, so
// that F_GETLK and /proc/locks name the holder's PID). send = lock, append, unlock;
// recv = read the bytes added since this process last read, waiting while there are none.

import fs from 'node:fs';
import path from 'node:path';
import { C, SyscallError, sys } from '../../native/index';
import type { HostRuntime } from '../host/runtime';
import type { Mechanism } from './types';

const POLL_MS = 20;
const PREVIEW = 200;

/** Takes a whole-file lock, waiting in F_SETLKW on a worker thread when another process holds it. */
async function takeLock(rt: HostRuntime, channel: string, fd: number, type: number): Promise<void> {
  try {
    rt.quietly(() => sys.setLock(fd, C.F_SETLK, type));
    return;
  } catch (e) {
    if (!(e instanceof SyscallError) || (e.code !== 'EAGAIN' && e.code !== 'EACCES')) throw e;
  }
  await rt.blockAsync('fcntl', channel, sys.setLockAsync(fd, C.F_SETLKW, type));
}

/** Lock holders and waiters of an inode, from /proc/locks: `1: POSIX ADVISORY WRITE 123 00:2d:456 0 EOF`. */
function locksOf(ino: number): { holder: number | null; type: 'read' | 'write' | null; waiters: number[] } {
  const out = { holder: null as number | null, type: null as 'read' | 'write' | null, waiters: [] as number[] };
  for (const line of fs.readFileSync('/proc/locks', 'utf8').split('\n')) {
    const f = line.trim().split(/\s+/);
    const waiting = f[1] === '->';
    const [kind, , mode, pid, dev] = waiting ? f.slice(2) : f.slice(1);
    if (kind !== 'POSIX' || !dev || Number(dev.split(':')[2]) !== ino) continue;
    if (waiting) out.waiters.push(Number(pid));
    else {
      out.holder = Number(pid);
      out.type = mode === 'WRITE' ? 'write' : 'read';
    }
  }
  return out;
}

export const file: Mechanism<{ path: string; ino: number }> = {
  id: 'file',
  create({ channel, runDir }) {
    const p = path.join(runDir, `c${channel.index}.txt`);
    fs.writeFileSync(p, '', { mode: 0o600 });
    return { spec: { path: p }, handle: { path: p, ino: fs.statSync(p).ino } };
  },
  attach({ spec, rt, channel }) {
    const fd = sys.open(spec.path as string, C.O_RDWR | C.O_CLOEXEC, 0);
    let held = false;
    let readPos = 0;
    const ch = channel.id;
    const lock = async () => {
      await takeLock(rt, ch, fd, C.F_WRLCK);
      held = true;
    };
    const unlock = () => {
      sys.setLock(fd, C.F_SETLK, C.F_UNLCK);
      held = false;
    };
    return {
      lock,
      unlock,
      send: async (data) => {
        const mine = !held;
        if (mine) await lock();
        sys.lseek(fd, 0, C.SEEK_END);
        sys.write(fd, data, data.length);
        if (mine) unlock();
      },
      recv: async () => {
        // files do not block readers: wait for new bytes by polling, as a C reader would
        await rt.block('read', ch, (ms) => {
          if (rt.quietly(() => sys.fstatSize(fd)) > readPos) return true;
          if (ms > 0) rt.quietly(() => sys.poll([], Math.min(ms, POLL_MS)));
          return undefined;
        });
        const mine = !held;
        if (mine) await takeLock(rt, ch, fd, C.F_RDLCK);
        const size = sys.fstatSize(fd);
        const buf = Buffer.allocUnsafe(size - readPos);
        const n = sys.pread(fd, buf, buf.length, readPos);
        readPos += n;
        if (mine) sys.setLock(fd, C.F_SETLK, C.F_UNLCK);
        return buf.subarray(0, n);
      },
      close: () => sys.close(fd),
    };
  },
  inspect({ path: p, ino }, ctx) {
    const size = fs.statSync(p).size;
    const locks = locksOf(ino);
    let text = '';
    if (size) {
      const fd = fs.openSync(p, 'r');
      const buf = Buffer.alloc(Math.min(size, PREVIEW));
      fs.readSync(fd, buf, 0, buf.length, size - buf.length);
      fs.closeSync(fd);
      text = buf.toString('utf8');
    }
    return {
      bytes: size,
      text,
      holder: locks.holder === null ? null : ctx.procOfPid(locks.holder),
      lockType: locks.type,
      waiters: locks.waiters.map((w) => ctx.procOfPid(w)).filter((x): x is string => x !== null),
    };
  },
  destroy({ path: p }) {
    fs.rmSync(p, { force: true });
  },
};
