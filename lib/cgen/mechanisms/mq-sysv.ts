// A SysV message queue: msgget(2) with IPC_PRIVATE in main(), msgsnd(2) / msgrcv(2) of typed
// messages. Handlers interrupt both calls for good (no SA_RESTART for them): they retry on
// EINTR. Isomorphic: no Node, no DOM.

import { literalInt } from '../../lang/ast';
import { bytes } from '../expr';
import { pad } from './common';
import type { CMechanism, Scratch } from './types';

/** Bytes of one message's mtext: msgsnd(2) refuses more than msgmax (8192 by default). */
const MSG_MAX = 8192;

const MSG: Scratch = { rank: 80, decl: ['struct message msg;        /* a SysV message: its type, then its bytes */'] };

export const mqSysv: CMechanism = {
  includes: ['sys/ipc.h', 'sys/msg.h'],
  definitions: [
    `#define MSG_MAX ${MSG_MAX}   /* msgsnd(2) refuses longer messages (msgmax, 8192 by default) */`,
    'struct message {',
    '    long mtype;              /* > 0: the receiver can ask for one type */',
    '    char mtext[MSG_MAX];',
    '};',
  ],
  globalNames: (b) => ({ msqid: `msqid_${b}` }),
  globals: ({ g }, o) => [`static int ${g.msqid};${pad(g.msqid, 25)}/* ${o.what} */`],
  create: ({ g }) => [`${g.msqid} = msgget(IPC_PRIVATE, IPC_CREAT | 0600);`, `if (${g.msqid} == -1) die("msgget");`],
  remove: ({ g }) => [`if (msgctl(${g.msqid}, IPC_RMID, NULL) == -1) perror("msgctl IPC_RMID");`],
  attach: ({ g }, key) => [`${g.msqid} = int_arg(${key('id')});`],
  receive: {
    // a whole message, or at most the size given (msgrcv's msgsz: a longer message is E2BIG unless noerror)
    size: (_ch, r) => {
      const lit = literalInt(r.size);
      return r.size && lit !== undefined && lit <= MSG_MAX ? bytes(lit) : { n: MSG_MAX, c: 'MSG_MAX', decl: 'MSG_MAX + 1' };
    },
    takesCount: true,
    into: (c, r, dest, count) => {
      c.need(MSG);
      const type = r.mtype ? c.int(r.mtype) : String(c.ch.opts.mtype);
      const flags = [...(!r.size || r.noerror ? ['MSG_NOERROR'] : []), ...(r.nowait ? ['IPC_NOWAIT'] : [])].join(' | ') || '0';
      const call = `nbytes = msgrcv(${c.ch.g.msqid}, &msg, ${r.size ? count : 'sizeof msg.mtext'}, ${type}, ${flags})`;
      const lit = literalInt(r.mtype);
      const why = lit === 0 ? '   /* type 0: the first message of any type */' : lit !== undefined && lit < 0 ? `   /* type ${lit}: the first of the lowest type up to ${-lit} */` : '';
      return [
        c.interruptible ? `while ((${call}) == -1 && errno == EINTR) {}   /* msgrcv is not restarted after a handler */` : `${call};${why}`,
        c.checkReceived('msgrcv'),
        `memcpy(${dest}, msg.mtext, nbytes);`,
      ];
    },
    loop: { eof: false, what: 'a queue' },
  },
  verbs: {
    send: (c, s) => {
      c.need(MSG);
      const out = [`msg.mtype = ${s.mtype ? c.int(s.mtype) : String(c.ch.opts.mtype)};`];
      const d = c.data(s.data!, { buf: 'msg.mtext', max: MSG_MAX });
      const call = `msgsnd(${c.ch.g.msqid}, &msg, ${d.len}, ${s.nowait ? 'IPC_NOWAIT' : '0'})`;
      out.push(...d.lines);
      if (c.interruptible) out.push(`while (${call} == -1) {`, `    if (errno != EINTR) ${c.fail('msgsnd')};`, '}');
      else out.push(c.check(call, 'msgsnd'));
      return out;
    },
  },
};
