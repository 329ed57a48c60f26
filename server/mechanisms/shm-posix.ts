// POSIX shared memory: shm_open(3) + ftruncate(2) by the server; each process shm_open()s
// the name and mmap()s it MAP_SHARED.

import { C, sys } from '../../native/index';
import { ShmView, shmEndpoint } from './shm';
import type { Mechanism } from './types';

export const shmPosix: Mechanism<{ name: string; view: ShmView }> = {
  id: 'shm-posix',
  create({ channel, objectName, journal }) {
    const size = Number(channel.options.size);
    journal({ kind: 'shm', name: objectName });
    const fd = sys.shmOpen(objectName, C.O_CREAT | C.O_EXCL | C.O_RDWR, 0o600);
    sys.ftruncate(fd, size);
    const ptr = sys.mmap(size, C.PROT_READ, C.MAP_SHARED, fd, 0);
    sys.close(fd);
    return { spec: { name: objectName, size }, handle: { name: objectName, view: new ShmView(ptr, size) } };
  },
  attach({ spec, channel }) {
    const size = spec.size as number;
    const fd = sys.shmOpen(spec.name as string, C.O_RDWR, 0);
    const ptr = sys.mmap(size, C.PROT_READ | C.PROT_WRITE, C.MAP_SHARED, fd, 0);
    sys.close(fd);
    return shmEndpoint(ptr, size, channel.id);
  },
  inspect: (h) => h.view.sample(),
  destroy(h) {
    if (h.view.ptr) sys.munmap(h.view.ptr, h.view.size);
    h.view.ptr = null;
    try {
      sys.shmUnlink(h.name);
    } catch {
      // already unlinked
    }
  },
};
