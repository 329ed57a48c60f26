// A POSIX message queue: mq_open(3) by the server with O_CREAT|O_EXCL and the options'
// attributes; each process mq_open()s the name. On Linux a queue descriptor is an fd, so
// waiting for it is a poll(2) like any other fd.

import { C, sys } from '../../native/index';
import type { Mechanism } from './types';

export const mqPosix: Mechanism<{ name: string; q: number }> = {
  id: 'mq-posix',
  create({ channel, objectName, journal }) {
    journal({ kind: 'mq', name: objectName });
    const attr = { maxmsg: Number(channel.options.maxmsg), msgsize: Number(channel.options.msgsize) };
    const q = sys.mqOpen(objectName, C.O_CREAT | C.O_EXCL | C.O_RDONLY | C.O_CLOEXEC, 0o600, attr);
    return { spec: { name: objectName, msgsize: attr.msgsize }, handle: { name: objectName, q } };
  },
  attach({ spec, rt, channel }) {
    const q = sys.mqOpen(spec.name as string, C.O_RDWR | C.O_NONBLOCK | C.O_CLOEXEC);
    const ch = channel.id;
    const msgsize = spec.msgsize as number;
    return {
      send: (data, o) => rt.io('mq_send', ch, q, C.POLLOUT, () => sys.mqSend(q, data, o.priority ?? 0)),
      recv: async () => (await rt.io('mq_receive', ch, q, C.POLLIN, () => sys.mqReceive(q, msgsize))).data,
      close: () => sys.mqClose(q),
    };
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
