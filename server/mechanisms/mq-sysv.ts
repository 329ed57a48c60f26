// A System V message queue: msgget(2) by the server with a fresh key; the processes use its
// id, as children of the C's main() would: msgsnd(2) / msgrcv(2) with an mtype. Message boundaries are kept.

import { C, sys } from '../../native/index';
import { withFreshKey } from './sysv-key';
import type { Mechanism } from './types';

export const mqSysv: Mechanism<{ id: number }> = {
  id: 'mq-sysv',
  create({ journal, owner }) {
    return withFreshKey((key) => {
      const id = sys.msgget(key, C.IPC_CREAT | C.IPC_EXCL | 0o600);
      journal({ kind: 'msg', id });
      // msgsnd and msgrcv check permission at every call, after the processes dropped root
      if (owner) sys.msgSetOwner(id, owner.uid, owner.gid);
      return { args: { id }, handle: { id } };
    });
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
