// A POSIX message queue: mq_open(3) by the server with O_CREAT|O_EXCL and the options'
// attributes; each process mq_open()s the name.

import { C, sys } from '../../native/index';
import type { Mechanism } from './types';

export const mqPosix: Mechanism<{ name: string; q: number }> = {
  id: 'mq-posix',
  create({ channel, objectName, journal }) {
    journal({ kind: 'mq', name: objectName });
    const attr = { maxmsg: Number(channel.options.maxmsg), msgsize: Number(channel.options.msgsize) };
    const q = sys.mqOpen(objectName, C.O_CREAT | C.O_EXCL | C.O_RDONLY | C.O_CLOEXEC, 0o600, attr);
    return { args: { name: objectName }, handle: { name: objectName, q } };
  },
  inspect(h) {
    if (h.q < 0) return null;
    const a = sys.mqGetattr(h.q);
    return { messages: a.curmsgs, capacity: a.maxmsg };
  },
  destroy(h) {
    if (h.q >= 0) sys.mqClose(h.q);
    h.q = -1;
    try {
      sys.mqUnlink(h.name);
    } catch {
      // already unlinked
    }
  },
};
