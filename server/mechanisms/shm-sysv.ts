// System V shared memory: shmget(2) by the server; each process shmat(2)s the id.
// The server attaches too, to sample the bytes; its attachment is left out of nattch.

import { C, sys, type Ptr } from '../../native/index';
import { ShmView } from './shm';
import { withFreshKey } from './sysv-key';
import type { Mechanism } from './types';

export const shmSysv: Mechanism<{ id: number; view: ShmView }> = {
  id: 'shm-sysv',
  create({ channel, journal }) {
    const size = Number(channel.options.size);
    const id = withFreshKey((key) => sys.shmget(key, size, C.IPC_CREAT | C.IPC_EXCL | 0o600));
    journal({ kind: 'shmid', id });
    return { args: { id }, handle: { id, view: new ShmView(sys.shmat(id), size) } };
  },
  inspect(h) {
    const s = h.view.sample();
    try {
      const nattch = sys.shmStat(h.id).nattch - 1;
      return { ...(s ?? {}), readers: nattch };
    } catch {
      return s;
    }
  },
  destroy(h) {
    if (h.view.ptr) sys.shmdt(h.view.ptr as Ptr);
    h.view.ptr = null;
    try {
      sys.shmRemove(h.id);
    } catch {
      // already removed
    }
  },
};
