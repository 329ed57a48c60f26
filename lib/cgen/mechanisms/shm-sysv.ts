// shmget(2) + shmat(2): main() gets a private segment; each process attaches it by its id.
// Isomorphic: no Node, no DOM.

import { pad } from './common';
import { declareMapping, segmentSize, shmReadSize, shmVerbs } from './shm';
import type { CMechanism } from './types';

export const shmSysv: CMechanism = {
  includes: ['sys/ipc.h', 'sys/shm.h'],
  globalNames: (b) => ({ shmid: `shmid_${b}` }),
  globals: ({ g }, o) => [`static int ${g.shmid};${pad(g.shmid, 25)}/* ${o.what} */`],
  create: (ch) => [`${ch.g.shmid} = shmget(IPC_PRIVATE, ${segmentSize(ch)}, IPC_CREAT | 0600);`, `if (${ch.g.shmid} == -1) die("shmget");`],
  remove: ({ g }) => [`if (shmctl(${g.shmid}, IPC_RMID, NULL) == -1) perror("shmctl IPC_RMID");`],
  attach: ({ g }, key) => [`${g.shmid} = int_arg(${key('id')});`],
  endLocals: () => ['shm'],
  declareEnd: declareMapping,
  openEnd: (e) => [`${e.loc.shm} = shmat(${e.ch.g.shmid}, NULL, 0);`, `if (${e.loc.shm} == (char *)-1) die("shmat");`],
  readSize: shmReadSize,
  verbs: shmVerbs((e) => e.loc.shm),
};
