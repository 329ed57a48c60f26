// Anonymous shared memory: main() maps it MAP_SHARED | MAP_ANONYMOUS before fork(), so every
// child has it at the same address (the playground passes a memfd instead). Isomorphic: no Node, no DOM.

import { pad } from './common';
import { segmentSize, shmReadSize, shmVerbs } from './shm';
import type { CMechanism } from './types';

export const shmAnon: CMechanism = {
  includes: [],
  globalNames: (b) => ({ shm: `shm_${b}` }),
  globals: ({ g }, o) => [`static char *${g.shm};${pad(g.shm, 24)}/* ${o.what}: mapped before fork(), so shared */`],
  create: (ch) => [
    `/* the playground uses memfd_create(2); MAP_SHARED | MAP_ANONYMOUS before fork() shares the same way */`,
    `${ch.g.shm} = mmap(NULL, ${segmentSize(ch)}, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);`,
    `if (${ch.g.shm} == MAP_FAILED) die("mmap");`,
  ],
  remove: (ch) => [`munmap(${ch.g.shm}, ${segmentSize(ch)});`],
  attach: (ch, key) => [`${ch.g.shm} = map_arg(${key('fd')}, ${segmentSize(ch)});`],
  readSize: shmReadSize,
  verbs: shmVerbs((e) => e.ch.g.shm),
};
