// A regular file with fcntl(2) record locks: send = lock, append, unlock; recv = read the bytes
// added since this process last read, under a read lock: none ("") at the end of the file, at
// once, as read(2) gives. A process that holds the lock (lock ... unlock) does not take it
// again. Isomorphic: no Node, no DOM.

import { MAX_TEXT_SIZE } from '../expr';
import { FD } from '../helpers';
import { named, runDirPath } from './common';
import type { CHelper, CMechanism, StmtCtx } from './types';

const LOCK_FILE: CHelper = {
  rank: 40,
  lines: [
    '/* A POSIX record lock on the whole file: F_RDLCK, F_WRLCK (F_SETLKW waits for it) or F_UNLCK. */',
    'static void lock_file(int fd, short type)',
    '{',
    '    struct flock fl;',
    '    memset(&fl, 0, sizeof fl);',
    '    fl.l_type = type;',
    '    fl.l_whence = SEEK_SET;',
    '    fl.l_start = 0;',
    '    fl.l_len = 0;             /* 0: to the end of the file, however long */',
    '    if (fcntl(fd, type == F_UNLCK ? F_SETLK : F_SETLKW, &fl) == -1) die("fcntl");',
    '}',
  ],
};

/** Lines around a send or recv: take the lock unless the process holds it already, then give it back. */
function underLock(c: StmtCtx, type: 'F_RDLCK' | 'F_WRLCK', why: string, body: string[]): string[] {
  const { fd, locked } = c.loc;
  if (c.lockFlag) return [`if (!${locked}) lock_file(${fd}, ${type});`, ...body, `if (!${locked}) lock_file(${fd}, F_UNLCK);`];
  if (c.lockHeld) return body;
  return [`lock_file(${fd}, ${type});${c.note(why)}`, ...body, `lock_file(${fd}, F_UNLCK);`];
}

export const file: CMechanism = {
  includes: ['limits.h', 'fcntl.h', 'sys/stat.h'],
  runDir: true,
  globalNames: (b) => ({ path: `path_${b}` }),
  globals: (ch, o) => runDirPath.globals(ch, o.what),
  create: (ch, c) => {
    c.need(FD);
    return [runDirPath.make(ch, 'txt'), `fd = open(${ch.g.path}, O_RDWR | O_CREAT | O_EXCL, 0600);`, `if (fd == -1) die("open");`, 'close(fd);'];
  },
  remove: runDirPath.remove,
  attach: runDirPath.attach,
  endLocals: () => ['fd', 'pos', 'locked'],
  declareEnd: (e, storage) => [
    `${storage}int ${e.loc.fd}; /* ${named(e.ch)} */`,
    ...(e.receives ? [`${storage}off_t ${e.loc.pos} = 0;   /* how far ${e.proc} has read ${e.ch.label} */`] : []),
    ...(e.lockFlag ? [`${storage}int ${e.loc.locked} = 0;   /* ${e.proc} holds the lock of ${e.ch.label} */`] : []),
  ],
  openEnd: (e) => [`${e.loc.fd} = open(${e.ch.g.path}, O_RDWR);`, `if (${e.loc.fd} == -1) die("open");`],
  receive: {
    // all the new bytes, whatever the count
    size: () => MAX_TEXT_SIZE,
    takesCount: false,
    into: (c, _r, dest) => {
      const { fd, pos } = c.loc;
      c.use(LOCK_FILE);
      return [
        ...underLock(c, 'F_RDLCK', 'F_SETLKW: waits while a writer holds the lock', [
          `nbytes = pread(${fd}, ${dest}, sizeof ${dest} - 1, ${pos});${c.note('the bytes added since the last read; 0 at the end of the file')}`,
          c.checkReceived('pread'),
        ]),
        `${pos} += nbytes;`,
      ];
    },
    loop: { eof: true, call: 'pread', means: 'no bytes were added since the last read' },
  },
  verbs: {
    send: (c, s) => {
      c.use(LOCK_FILE);
      const d = c.data(s.data!);
      return [
        ...d.lines,
        ...underLock(c, 'F_WRLCK', 'F_SETLKW: waits while another process holds the lock', [
          c.check(`lseek(${c.loc.fd}, 0, SEEK_END)`, 'lseek') + '   /* append */',
          c.check(`write(${c.loc.fd}, ${d.ptr}, ${d.len})`, 'write'),
        ]),
      ];
    },
    lock: (c) => {
      c.use(LOCK_FILE);
      return [`lock_file(${c.loc.fd}, F_WRLCK);${c.note('fcntl(F_SETLKW): waits while another process holds it')}`, ...(c.lockFlag ? [`${c.loc.locked} = 1;`] : [])];
    },
    unlock: (c) => {
      c.use(LOCK_FILE);
      return [`lock_file(${c.loc.fd}, F_UNLCK);`, ...(c.lockFlag ? [`${c.loc.locked} = 0;`] : [])];
    },
  },
};
