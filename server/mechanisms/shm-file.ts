// File-backed shared memory: a regular file in the run directory, sized with ftruncate(2);
// each process open(2)s it and mmap(2)s it MAP_SHARED.

import path from 'node:path';
import { C, sys } from '../../native/index';
import { ShmView, shmEndpoint } from './shm';
import type { Mechanism } from './types';

export const shmFile: Mechanism<{ view: ShmView }> = {
  id: 'shm-file',
  create({ channel, runDir }) {
    const size = Number(channel.options.size);
    const p = path.join(runDir, `c${channel.index}.mem`);
    const fd = sys.open(p, C.O_RDWR | C.O_CREAT | C.O_EXCL | C.O_CLOEXEC, 0o600);
    sys.ftruncate(fd, size);
    const ptr = sys.mmap(size, C.PROT_READ, C.MAP_SHARED, fd, 0);
    sys.close(fd);
    return { spec: { path: p, size }, handle: { view: new ShmView(ptr, size) } };
  },
  attach({ spec, channel }) {
    const size = spec.size as number;
    const fd = sys.open(spec.path as string, C.O_RDWR | C.O_CLOEXEC, 0);
    const ptr = sys.mmap(size, C.PROT_READ | C.PROT_WRITE, C.MAP_SHARED, fd, 0);
    sys.close(fd);
    return shmEndpoint(ptr, size, channel.id);
  },
  inspect: (h) => h.view.sample(),
  destroy(h) {
    if (h.view.ptr) sys.munmap(h.view.ptr, h.view.size);
    h.view.ptr = null;
  },
};
