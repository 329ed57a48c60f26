// mmap(2) of a regular file in the run directory, MAP_SHARED: main() creates the file at the
// segment's size; each process opens and maps it. Isomorphic: no Node, no DOM.

import { FD } from '../helpers';
import { runDirPath } from './common';
import { declareMapping, mapEnd, segmentSize, shmReadSize, shmVerbs } from './shm';
import type { CMechanism } from './types';

export const shmFile: CMechanism = {
  includes: ['limits.h', 'fcntl.h', 'sys/stat.h'],
  runDir: true,
  globalNames: (b) => ({ path: `path_${b}` }),
  globals: (ch, o) => runDirPath.globals(ch, o.what),
  create: (ch, c) => {
    c.need(FD);
    return [
      runDirPath.make(ch, 'mem'),
      `fd = open(${ch.g.path}, O_RDWR | O_CREAT | O_EXCL, 0600);`,
      `if (fd == -1) die("open");`,
      `if (ftruncate(fd, ${segmentSize(ch)}) == -1) die("ftruncate");   /* ${segmentSize(ch)} bytes of zeros to map */`,
      'close(fd);',
    ];
  },
  remove: runDirPath.remove,
  attach: runDirPath.attach,
  endLocals: () => ['shm'],
  declareEnd: declareMapping,
  openEnd: (e, f) => mapEnd(e, f, `fd = open(${e.ch.g.path}, O_RDWR);`, 'open'),
  readSize: shmReadSize,
  verbs: shmVerbs((e) => e.loc.shm),
};
