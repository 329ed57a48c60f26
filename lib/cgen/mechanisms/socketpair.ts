// socketpair(2): two connected Unix stream sockets made by main() before fork(), so every child
// inherits both; each closes the one it does not use. Unlike a pipe, both ends send and recv.
// Isomorphic: no Node, no DOM.

import { pad } from './common';
import { streamReceive, streamSend } from './stream';
import type { CMechanism, EndCtx } from './types';

/** This process's socket: [0] is the from side's, [1] the to side's. */
const mine = (e: EndCtx): string => `${e.ch.g.sv}[${e.role === 'from' ? 0 : 1}]`;

export const socketpair: CMechanism = {
  includes: ['sys/socket.h'],
  globalNames: (b) => ({ sv: `sv_${b}` }),
  globals: ({ g }, o) => [`static int ${g.sv}[2];${pad(g.sv, 26)}/* ${o.what}: [0] ${o.from}'s socket, [1] ${o.to}'s */`],
  create: ({ g }) => [`if (socketpair(AF_UNIX, SOCK_STREAM, 0, ${g.sv}) == -1) die("socketpair");   /* connected to each other; both processes inherit both */`],
  attach: ({ g }, key) => [`${g.sv}[0] = int_arg(${key('a')}); ${g.sv}[1] = int_arg(${key('b')});`],
  closeInMain: ({ g }) => [`close(${g.sv}[0]);`, `close(${g.sv}[1]);`],
  closeUnused: ({ g }, end) => [...(end === 'from' ? [] : [`close(${g.sv}[0]);`]), ...(end === 'to' ? [] : [`close(${g.sv}[1]);`])],
  closeWhy: 'a reader sees end of file only once every copy of the other end is closed',
  receive: streamReceive('recv', mine),
  endFd: mine,
  verbs: {
    send: streamSend('send', mine),
    close: (c) => [`close(${mine(c)});`],
  },
};
