// POSIX shared memory: shm_open(3) + ftruncate(2) by the server; each process shm_open()s
// the name and mmap()s it MAP_SHARED.

import { C, sys } from '../../native/index';
import { serverView, type ShmView } from './shm';
import type { Mechanism } from './types';

export const shmPosix: Mechanism<{ name: string; view: ShmView }> = {
  id: 'shm-posix',
  create({ channel, objectName, journal }) {
    const size = Number(channel.options.size);
    journal({ kind: 'shm', name: objectName });
    const fd = sys.shmOpen(objectName, C.O_CREAT | C.O_EXCL | C.O_RDWR, 0o600);
    const view = serverView(fd, size);
    sys.close(fd);
    return { args: { name: objectName }, handle: { name: objectName, view } };
  },
  inspect: (h) => h.view.sample(),
  destroy(h) {
    h.view.unmap();
    try {
      sys.shmUnlink(h.name);
    } catch {
      // already unlinked
    }
  },
};
