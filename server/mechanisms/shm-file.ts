// File-backed shared memory: a regular file in the run directory, sized with ftruncate(2);
// each process open(2)s it and mmap(2)s it MAP_SHARED.

import path from 'node:path';
import { C, sys } from '../../native/index';
import { serverView, type ShmView } from './shm';
import type { Mechanism } from './types';

export const shmFile: Mechanism<{ view: ShmView }> = {
  id: 'shm-file',
  create({ channel, runDir }) {
    const size = Number(channel.options.size);
    const p = path.join(runDir, `c${channel.index}.mem`);
    const fd = sys.open(p, C.O_RDWR | C.O_CREAT | C.O_EXCL | C.O_CLOEXEC, 0o600);
    const view = serverView(fd, size);
    sys.close(fd);
    return { args: { path: p }, handle: { view } };
  },
  inspect: (h) => h.view.sample(),
  destroy: (h) => h.view.unmap(),
};
