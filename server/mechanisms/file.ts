// A regular file in the run directory, guarded by fcntl(2) record locks (POSIX locks, so
// that F_GETLK and /proc/locks name the holder's PID). send = lock, append, unlock;
// recv = read the bytes added since this process last read, waiting while there are none.

import fs from 'node:fs';
import path from 'node:path';
import type { Mechanism } from './types';

const PREVIEW = 200;

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
    return { args: { path: p }, handle: { path: p, ino: fs.statSync(p).ino } };
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
