// An unnamed POSIX semaphore: sem_init(pshared=1) by the server inside a small memfd mapping
// that both processes inherit and map MAP_SHARED, as a parent would before fork().

import { C, sys, type Ptr } from '../../native/index';
import { semState } from './semaphore';
import type { Mechanism } from './types';

const SEM_SIZE = 32;

export const semUnnamed: Mechanism<{ sem: Ptr | null }> = {
  id: 'sem-unnamed',
  create({ channel }) {
    const fd = sys.memfdCreate('ipcpg-sem', C.MFD_CLOEXEC);
    sys.ftruncate(fd, SEM_SIZE);
    const sem = sys.mmap(SEM_SIZE, C.PROT_READ | C.PROT_WRITE, C.MAP_SHARED, fd, 0);
    sys.semInit(sem, 1, Number(channel.options.initial));
    return { args: {}, fds: { pass: 'ends', byKey: { fd } }, handle: { sem } };
  },
  inspect: (h) => (h.sem ? semState(h.sem) : null),
  destroy(h) {
    if (h.sem) sys.munmap(h.sem, SEM_SIZE);
    h.sem = null;
  },
};
