// A System V message queue: msgget(2) by the server with a fresh key; each process msgget()s
// the key, then msgsnd(2) / msgrcv(2) with an mtype. Message boundaries are kept.

import { C, SyscallError, sys } from '../../native/index';
import type { HostRuntime } from '../host/runtime';
import { withFreshKey } from './sysv-key';
import type { Mechanism } from './types';

const MAX_MSG = 65536;

/**
 * A blocking SysV call made interruptible: the quiet first try uses IPC_NOWAIT; later tries
 * block for at most ms, cut short by a one-shot timer (SysV calls are never restarted: EINTR).
 */
function timed<T>(rt: HostRuntime, ms: number, call: (flags: number) => T): T | undefined {
  try {
    if (ms === 0) return call(C.IPC_NOWAIT);
    rt.quietly(() => sys.setitimerMs(ms));
    try {
      return call(0);
    } finally {
      rt.quietly(() => sys.setitimerMs(0));
    }
  } catch (e) {
    if (e instanceof SyscallError && (e.code === 'EAGAIN' || e.code === 'ENOMSG' || e.code === 'EINTR')) return undefined;
    throw e;
  }
}

export const mqSysv: Mechanism<{ id: number }> = {
  id: 'mq-sysv',
  create({ journal }) {
    return withFreshKey((key) => {
      const id = sys.msgget(key, C.IPC_CREAT | C.IPC_EXCL | 0o600);
      journal({ kind: 'msg', id });
      return { spec: { key }, handle: { id } };
    });
  },
  attach({ spec, rt, channel }) {
    const id = sys.msgget(spec.key as number, 0);
    const ch = channel.id;
    const defaultType = Number(channel.options.mtype);
    rt.listen('SIGALRM', rt.isHandled('SIGALRM'));
    // synchronous when the queue takes / has the message at once; the trace args are built only when traced
    return {
      send: (data, o) => {
        const mtype = o.mtype ?? defaultType;
        const t = performance.now();
        const done = () =>
          rt.logical('msgsnd', () => `${id}, {mtype=${mtype}, ${JSON.stringify(data.subarray(0, 32).toString())}}, ${data.length}, 0`, '0', null, performance.now() - t);
        const r = rt.blockFast('msgsnd', ch, (ms) => timed(rt, ms, (flags) => rt.quietly(() => sys.msgsnd(id, mtype, data, flags)) ?? true));
        if (r instanceof Promise) return r.then(done);
        done();
      },
      recv: (o) => {
        const mtype = o.mtype ?? defaultType;
        const t = performance.now();
        const done = (m: { data: Buffer }) => {
          rt.logical('msgrcv', () => `${id}, buf, ${MAX_MSG}, ${mtype}, 0`, String(m.data.length), null, performance.now() - t);
          return m.data;
        };
        const r = rt.blockFast('msgrcv', ch, (ms) => timed(rt, ms, (flags) => rt.quietly(() => sys.msgrcv(id, MAX_MSG, mtype, flags | C.MSG_NOERROR))));
        return r instanceof Promise ? r.then(done) : done(r);
      },
    };
  },
  inspect(h) {
    const s = sys.msgStat(h.id);
    return { messages: s.qnum, bytes: s.cbytes, capacity: s.qbytes };
  },
  destroy(h) {
    try {
      sys.msgRemove(h.id);
    } catch {
      // already removed
    }
  },
};
