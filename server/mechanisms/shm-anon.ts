// Anonymous shared memory: memfd_create(2) by the server, inherited by both processes as a
// parent's MAP_SHARED|MAP_ANONYMOUS region is inherited across fork(); each maps the fd.

import { C, sys } from '../../native/index';
import { ShmView, shmEndpoint } from './shm';
import type { Mechanism } from './types';

export const shmAnon: Mechanism<{ view: ShmView }> = {
  id: 'shm-anon',
  create({ channel }) {
    const size = Number(channel.options.size);
    const fd = sys.memfdCreate('ipcpg-shm', C.MFD_CLOEXEC);
    sys.ftruncate(fd, size);
    const ptr = sys.mmap(size, C.PROT_READ, C.MAP_SHARED, fd, 0);
    return { spec: { size }, fds: { from: [fd], to: [fd] }, handle: { view: new ShmView(ptr, size) } };
  },
  attach({ spec, fds, channel }) {
    const size = spec.size as number;
    const ptr = sys.mmap(size, C.PROT_READ | C.PROT_WRITE, C.MAP_SHARED, fds[0], 0);
    sys.close(fds[0]);
    return shmEndpoint(ptr, size, channel.id);
  },
  inspect: (h) => h.view.sample(),
  destroy(h) {
    if (h.view.ptr) sys.munmap(h.view.ptr, h.view.size);
    h.view.ptr = null;
  },
};
