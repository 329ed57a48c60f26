// A SysV message queue: msgget(2) with IPC_PRIVATE in main(), msgsnd(2) / msgrcv(2) of typed
// messages. Handlers interrupt both calls for good (no SA_RESTART for them): they retry on
// EINTR. Isomorphic: no Node, no DOM.

import { literalInt } from '../../lang/ast';
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
    // a whole message, whatever the count
    size: () => ({ n: MSG_MAX, c: 'MSG_MAX', decl: 'MSG_MAX + 1' }),
    takesCount: false,
    into: (c, r, dest) => {
      c.need(MSG);
      const type = r.mtype ? c.int(r.mtype) : String(c.ch.opts.mtype);
      const call = `nbytes = msgrcv(${c.ch.g.msqid}, &msg, sizeof msg.mtext, ${type}, MSG_NOERROR${r.nowait ? ' | IPC_NOWAIT' : ''})`;
      return [
        c.interruptible
          ? `while ((${call}) == -1 && errno == EINTR) {}   /* msgrcv is not restarted after a handler */`
          : `${call};${r.mtype && literalInt(r.mtype) === 0 ? '   /* type 0: the first message of any type */' : ''}`,
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
