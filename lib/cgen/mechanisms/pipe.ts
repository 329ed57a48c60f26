// pipe(2): made by main() before fork(), so every child inherits both ends; each closes the
// ends it does not use. Isomorphic: no Node, no DOM.

import { pad } from './common';
import { streamReceive, streamSend } from './stream';
import type { CMechanism } from './types';

export const pipe: CMechanism = {
  includes: [],
  globalNames: (b) => ({ pipe: `pipe_${b}` }),
  globals: ({ g }, o) => [`static int ${g.pipe}[2];${pad(g.pipe, 24)}/* ${o.what}: [0] read end, [1] write end */`],
  create: ({ g }) => [`if (pipe(${g.pipe}) == -1) die("pipe");   /* both processes inherit both ends; each closes the one it does not use */`],
  attach: ({ g }, key) => [`${g.pipe}[0] = int_arg(${key('r')}); ${g.pipe}[1] = int_arg(${key('w')});`],
  closeInMain: ({ g }) => [`close(${g.pipe}[0]);`, `close(${g.pipe}[1]);`],
  closeUnused: ({ g, opts }, end) =>
    opts.stdio === 1
      ? [
          // a shell's |: the end becomes fd 1 (the writer's stdout) or fd 0 (the reader's stdin)
          ...(end === 'from' ? [`dup2(${g.pipe}[1], STDOUT_FILENO);`] : end === 'to' ? [`dup2(${g.pipe}[0], STDIN_FILENO);`] : []),
          `close(${g.pipe}[0]);`,
          `close(${g.pipe}[1]);`,
        ]
      : [...(end === 'from' ? [] : [`close(${g.pipe}[1]);`]), ...(end === 'to' ? [] : [`close(${g.pipe}[0]);`])],
  closeWhy: 'a reader sees end of file only once every write end is closed',
  receive: streamReceive('read', (e) => `${e.ch.g.pipe}[0]`),
  endFd: (e) => `${e.ch.g.pipe}[${e.role === 'from' ? 1 : 0}]`,
  verbs: {
    send: streamSend('write', (e) => `${e.ch.g.pipe}[1]`),
    close: (c) => [`close(${c.ch.g.pipe}[${c.role === 'from' ? 1 : 0}]);`],
  },
};
