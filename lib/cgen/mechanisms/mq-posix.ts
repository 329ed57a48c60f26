// A POSIX message queue: main() creates it by its name with its limits; each process opens it.
// mq_receive(3) gives the oldest message of the highest priority. Isomorphic: no Node, no DOM.

import { bytes } from '../expr';
import { named, posixName } from './common';
import type { CMechanism, Scratch } from './types';

const QUEUE: Scratch = { rank: 30, decl: ['mqd_t q;', 'struct mq_attr attr;'], init: 'memset(&attr, 0, sizeof attr);' };

export const mqPosix: CMechanism = {
  includes: ['fcntl.h', 'mqueue.h'],
  globalNames: (b) => ({ name: `mq_name_${b}` }),
  globals: (ch, o) => posixName.globals(ch, o.what),
  create: (ch, c) => {
    c.need(QUEUE);
    return [
      posixName.make(ch),
      `attr.mq_maxmsg = ${Number(ch.opts.maxmsg)};`,
      `attr.mq_msgsize = ${Number(ch.opts.msgsize)};`,
      `q = mq_open(${ch.g.name}, O_CREAT | O_EXCL | O_RDONLY, 0600, &attr);`,
      'if (q == (mqd_t)-1) die("mq_open");',
      'mq_close(q);   /* it lives on, by its name, until mq_unlink() */',
    ];
  },
  remove: ({ g }) => [`if (mq_unlink(${g.name}) == -1) perror("mq_unlink");`],
  attach: posixName.attach,
  endLocals: () => ['mq'],
  declareEnd: (e, storage) => [`${storage}mqd_t ${e.loc.mq}; /* ${named(e.ch)} */`],
  openEnd: (e) => [`${e.loc.mq} = mq_open(${e.ch.g.name}, O_RDWR);`, `if (${e.loc.mq} == (mqd_t)-1) die("mq_open");`],
  receive: {
    // a whole message: mq_receive needs room for the largest
    size: (ch) => bytes(Number(ch.opts.msgsize)),
    takesCount: false,
    into: (c, _r, dest) => [
      `nbytes = mq_receive(${c.loc.mq}, ${dest}, ${Number(c.ch.opts.msgsize)}, NULL);${c.note("room for the queue's largest message (mq_msgsize); out comes the oldest of the highest priority")}`,
      c.checkReceived('mq_receive'),
    ],
    loop: { eof: false, what: 'a queue' },
  },
  endFd: (e) => e.loc.mq,   // a mqd_t is a file descriptor on Linux: poll(2) works on it
  nonblocking: (c) => [
    c.check(`mq_setattr(${c.loc.mq}, &(struct mq_attr){ .mq_flags = O_NONBLOCK }, NULL)`, 'mq_setattr') +
      c.note('mq_setattr(3) changes only mq_flags: O_NONBLOCK, so a full or empty queue gives EAGAIN'),
  ],
  verbs: {
    send: (c, s) => {
      const d = c.data(s.data!);
      return [...d.lines, c.check(`mq_send(${c.loc.mq}, ${d.ptr}, ${d.len}, ${s.priority ? c.int(s.priority) : '0'})`, 'mq_send')];
    },
  },
};
