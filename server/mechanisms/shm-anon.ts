// Anonymous shared memory: memfd_create(2) by the server, inherited by both processes as a
// parent's MAP_SHARED|MAP_ANONYMOUS region is inherited across fork(); each maps the fd.

import { C, sys } from '../../native/index';
import { serverView, type ShmView } from './shm';
import type { Mechanism } from './types';

export const shmAnon: Mechanism<{ view: ShmView }> = {
  id: 'shm-anon',
  create({ channel }) {
    const size = Number(channel.options.size);
    const fd = sys.memfdCreate('ipcpg-shm', C.MFD_CLOEXEC);
    return { args: {}, fds: { pass: 'ends', byKey: { fd } }, handle: { view: serverView(fd, size) } };
  },
  inspect: (h) => h.view.sample(),
  destroy: (h) => h.view.unmap(),
};
