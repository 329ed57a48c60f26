// mkfifo(3): a named pipe in the run directory. Each side opens it on first use, and open
// blocks until the other side opens it too. Isomorphic: no Node, no DOM.

import { named, runDirPath } from './common';
import { closeOpened, streamReceive, streamSend } from './stream';
import type { CMechanism } from './types';

export const fifo: CMechanism = {
  includes: ['limits.h', 'fcntl.h', 'sys/stat.h'],
  runDir: true,
  globalNames: (b) => ({ path: `path_${b}` }),
  globals: (ch, o) => runDirPath.globals(ch, o.what),
  create: (ch) => [runDirPath.make(ch, 'fifo'), `if (mkfifo(${ch.g.path}, 0600) == -1) die("mkfifo");`],
  remove: runDirPath.remove,
  attach: runDirPath.attach,
  endLocals: () => ['fd'],
  declareEnd: (e, storage) => [`${storage}int ${e.loc.fd} = -1; /* ${named(e.ch)}: opened on first use */`],
  openOnFirstUse: (e, fail) => ({
    fd: e.loc.fd,
    lines: [
      `${e.loc.fd} = open(${e.ch.g.path}, ${e.role === 'from' ? 'O_WRONLY' : 'O_RDONLY'});   /* blocks until the other side opens the FIFO too */`,
      `if (${e.loc.fd} == -1) ${fail('open')}`,
    ],
  }),
  receive: streamReceive('read', (e) => e.loc.fd),
  endFd: (e) => e.loc.fd,
  verbs: {
    send: streamSend('write', (e) => e.loc.fd),
    close: (c) => [closeOpened(c, c.loc.fd)],
  },
};
