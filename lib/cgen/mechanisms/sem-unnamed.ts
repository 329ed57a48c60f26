// sem_init(3) with pshared = 1, in memory that main() maps MAP_SHARED before fork(): every
// child shares it (the playground passes a memfd instead). Isomorphic: no Node, no DOM.

import { pad } from './common';
import { semVerbs } from './semaphore';
import type { CMechanism } from './types';

export const semUnnamed: CMechanism = {
  includes: ['semaphore.h'],
  globalNames: (b) => ({ sem: `sem_${b}` }),
  globals: ({ g }, o) => [`static sem_t *${g.sem};${pad(g.sem, 23)}/* ${o.what}: in shared memory */`],
  create: ({ g, opts }) => [
    `${g.sem} = mmap(NULL, sizeof(sem_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);`,
    `if (${g.sem} == MAP_FAILED) die("mmap");`,
    `if (sem_init(${g.sem}, 1, ${Number(opts.initial)}) == -1) die("sem_init");   /* pshared = 1: between processes */`,
  ],
  remove: ({ g }) => [`sem_destroy(${g.sem});`, `munmap(${g.sem}, sizeof(sem_t));`],
  attach: ({ g }, key) => [`${g.sem} = map_arg(${key('fd')}, sizeof(sem_t));`],
  verbs: semVerbs((e) => e.ch.g.sem),
};
