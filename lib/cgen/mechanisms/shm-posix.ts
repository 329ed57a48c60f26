// shm_open(3) + mmap(2): main() creates the object at its size; each process opens it by its
// name and maps it. Isomorphic: no Node, no DOM.

import { FD } from '../helpers';
import { posixName } from './common';
import { declareMapping, mapEnd, segmentSize, shmReadSize, shmVerbs } from './shm';
import type { CMechanism } from './types';

export const shmPosix: CMechanism = {
  includes: ['fcntl.h', 'sys/stat.h'],
  globalNames: (b) => ({ name: `shm_name_${b}` }),
  globals: (ch, o) => posixName.globals(ch, o.what),
  create: (ch, c) => {
    c.need(FD);
    return [
      posixName.make(ch),
      `fd = shm_open(${ch.g.name}, O_CREAT | O_EXCL | O_RDWR, 0600);`,
      'if (fd == -1) die("shm_open");',
      `if (ftruncate(fd, ${segmentSize(ch)}) == -1) die("ftruncate");   /* ${segmentSize(ch)} bytes, all zero */`,
      'close(fd);',
    ];
  },
  remove: ({ g }) => [`if (shm_unlink(${g.name}) == -1) perror("shm_unlink");`],
  attach: posixName.attach,
  endLocals: () => ['shm'],
  declareEnd: declareMapping,
  openEnd: (e, f) => mapEnd(e, f, `fd = shm_open(${e.ch.g.name}, O_RDWR, 0);`, 'shm_open'),
  readSize: shmReadSize,
  verbs: shmVerbs((e) => e.loc.shm),
};
