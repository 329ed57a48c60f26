// File-backed shared memory: a regular file in the run directory, sized with ftruncate(2);
// each process open(2)s it and mmap(2)s it MAP_SHARED.

import path from 'node:path';
import { C, sys } from '../../native/index';
import { mappedEnd, serverView, type ShmView } from './shm';
import type { Mechanism } from './types';

export const shmFile: Mechanism<{ view: ShmView }> = {
  id: 'shm-file',
  create({ channel, runDir }) {
    const size = Number(channel.options.size);
    const p = path.join(runDir, `c${channel.index}.mem`);
    const fd = sys.open(p, C.O_RDWR | C.O_CREAT | C.O_EXCL | C.O_CLOEXEC, 0o600);
    const view = serverView(fd, size);
    sys.close(fd);
    return { spec: { path: p, size }, handle: { view } };
  },
  attach: ({ spec, channel }) => mappedEnd(sys.open(spec.path as string, C.O_RDWR | C.O_CLOEXEC, 0), spec.size as number, channel.id),
  inspect: (h) => h.view.sample(),
  destroy: (h) => h.view.unmap(),
};
