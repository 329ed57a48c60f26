// What the four sockets share. The receiving process's socket is made, bound (and set to listen)
// by main() before fork(), so it is ready before the other side connects or sends: `listen_`
// (stream) or `bound_` (datagram), and its address `addr_`. A stream's ends are accepted and
// connected on first use; a datagram sender makes its own socket before the start.
// Isomorphic: no Node, no DOM.

import { literalInt } from '../../lang/ast';
import { MAX_TEXT, MAX_TEXT_SIZE, bytes } from '../expr';
import { named, pad } from './common';
import { closeOpened, streamReceive, streamSend } from './stream';
import type { Chan, CMechanism, CreateCtx, Scratch } from './types';

const ADDR_LEN: Scratch = { rank: 40, decl: ['socklen_t addr_len;'] };

/** What differs between AF_INET on 127.0.0.1 and AF_UNIX on a path. */
interface Domain {
  af: string;
  includes: readonly string[];
  runDir: boolean;
  addrType: string;
  addrNote: string;
  /** create_objects(): makes the socket s, of SOCK_STREAM or SOCK_DGRAM, and binds it. */
  bind(ch: Chan, s: string, stream: boolean, c: CreateCtx): string[];
  remove(ch: Chan): string[];
  /** The hosted main(): the address, from the server's port or path. */
  attachAddr(ch: Chan, key: (what: string) => string): string;
}

const DOMAINS: Record<'inet' | 'unix', Domain> = {
  inet: {
    af: 'AF_INET',
    includes: ['sys/socket.h', 'netinet/in.h', 'arpa/inet.h'],
    runDir: false,
    addrType: 'sockaddr_in',
    addrNote: '127.0.0.1 and the port the kernel chose',
    bind: ({ g }, s, stream, c) => {
      c.need(ADDR_LEN);
      // several clients: "ann, bob know the port"
      const [knows, connects, sends] = c.from.includes(', ') ? ['know', 'connect', 'send'] : ['knows', 'connects', 'sends'];
      return [
        `/* ${c.to}'s socket is made, bound to 127.0.0.1 port 0 (the kernel picks a free port)${stream ? ' and set to listen' : ''}`,
        ` * here, before fork(): ${c.to} inherits it, and ${c.from} ${knows} the port from ${g.addr}. The playground`,
        ` * does the same in ${c.to}'s process before the start; either way it is ready before ${c.from} ${stream ? connects : sends}. */`,
        `${s} = socket(AF_INET, ${stream ? 'SOCK_STREAM' : 'SOCK_DGRAM'}, 0);`,
        `if (${s} == -1) die("socket");`,
        `${g.addr}.sin_family = AF_INET;`,
        `${g.addr}.sin_addr.s_addr = htonl(INADDR_LOOPBACK);`,
        `${g.addr}.sin_port = htons(0);`,
        `if (bind(${s}, (struct sockaddr *)&${g.addr}, sizeof ${g.addr}) == -1) die("bind");`,
        `addr_len = sizeof ${g.addr};`,
        `if (getsockname(${s}, (struct sockaddr *)&${g.addr}, &addr_len) == -1) die("getsockname");   /* the port */`,
      ];
    },
    remove: () => [],
    attachAddr: ({ g }, key) =>
      `${g.addr}.sin_family = AF_INET; ${g.addr}.sin_addr.s_addr = htonl(INADDR_LOOPBACK); ${g.addr}.sin_port = htons(int_arg(${key('port')}));`,
  },
  unix: {
    af: 'AF_UNIX',
    includes: ['sys/socket.h', 'sys/un.h'],
    runDir: true,
    addrType: 'sockaddr_un',
    addrNote: 'a path in the run directory',
    bind: ({ g, base }, s, stream, c) => [
      `/* ${c.to}'s socket is made and bound to its path here, before fork(): ${c.to} inherits it. The`,
      ` * playground does the same in ${c.to}'s process before the start. */`,
      `${s} = socket(AF_UNIX, ${stream ? 'SOCK_STREAM' : 'SOCK_DGRAM'}, 0);`,
      `if (${s} == -1) die("socket");`,
      `${g.addr}.sun_family = AF_UNIX;`,
      `path_in_run_dir(${g.addr}.sun_path, sizeof ${g.addr}.sun_path, "${base}.sock");`,
      `if (bind(${s}, (struct sockaddr *)&${g.addr}, sizeof ${g.addr}) == -1) die("bind");`,
    ],
    remove: ({ g }) => [`if (unlink(${g.addr}.sun_path) == -1) perror(${g.addr}.sun_path);`],
    attachAddr: ({ g }, key) => `${g.addr}.sun_family = AF_UNIX; copy_arg(${g.addr}.sun_path, sizeof ${g.addr}.sun_path, ${key('path')});`,
  },
};

export function socketMechanism(domain: 'inet' | 'unix', type: 'stream' | 'dgram'): CMechanism {
  const d = DOMAINS[domain];
  const stream = type === 'stream';
  /** The receiver's socket, made by main(). */
  const sock = (ch: Chan) => (stream ? ch.g.listen : ch.g.bound);
  const common: Omit<CMechanism, 'verbs'> = {
    includes: d.includes,
    runDir: d.runDir,
    globalNames: (b): Record<string, string> => (stream ? { listen: `listen_${b}`, addr: `addr_${b}` } : { bound: `bound_${b}`, addr: `addr_${b}` }),
    globals: (ch, o) => [
      `static int ${sock(ch)};${pad(sock(ch), 25)}/* ${o.what}: ${o.to}'s ${stream ? 'listening' : 'bound'} socket */`,
      `static struct ${d.addrType} ${ch.g.addr};${pad(ch.g.addr, 10)}/* its address: ${d.addrNote} */`,
    ],
    create: (ch, c) => [...d.bind(ch, sock(ch), stream, c), ...(stream ? [`if (listen(${sock(ch)}, 8) == -1) die("listen");`] : [])],
    remove: d.remove,
    attach: (ch, key) => [`${sock(ch)} = int_arg(${key('fd')});`, d.attachAddr(ch, key)],
    closeInMain: (ch) => [`close(${sock(ch)});`],
    closeUnused: (ch, end) => (end === 'to' ? [] : [`close(${sock(ch)});`]),
  };
  if (stream) {
    return {
      ...common,
      endLocals: () => ['sock'],
      declareEnd: (e, storage) => [`${storage}int ${e.loc.sock} = -1; /* ${named(e.ch)}: ${e.role === 'to' ? 'accepted' : 'connected'} on first use */`],
      openOnFirstUse: ({ ch, role, loc }, fail) => ({
        fd: loc.sock,
        lines:
          role === 'to'
            ? [`${loc.sock} = accept(${ch.g.listen}, NULL, NULL);   /* waits for the other side's connect() */`, `if (${loc.sock} == -1) ${fail('accept')}`]
            : [
                `${loc.sock} = socket(${d.af}, SOCK_STREAM, 0);`,
                `if (${loc.sock} == -1) ${fail('socket')}`,
                `else if (connect(${loc.sock}, (struct sockaddr *)&${ch.g.addr}, sizeof ${ch.g.addr}) == -1) ${fail('connect', loc.sock)}`,
              ],
      }),
      receive: streamReceive('recv', (e) => e.loc.sock),
      endFd: (e) => e.loc.sock,
      verbs: {
        send: streamSend('send', (e) => e.loc.sock),
        close: (c) => [closeOpened(c, c.loc.sock), ...(c.role === 'to' ? [`close(${c.ch.g.listen});   /* and the listening socket */`] : [])],
      },
    };
  }
  return {
    ...common,
    // the receiver reads the bound socket; the sender has its own
    endLocals: (_ch, role) => (role === 'from' ? ['sock'] : []),
    declareEnd: (e, storage) => (e.loc.sock ? [`${storage}int ${e.loc.sock}; /* ${named(e.ch)} */`] : []),
    openEnd: ({ role, loc }) => (role === 'from' ? [`${loc.sock} = socket(${d.af}, SOCK_DGRAM, 0);`, `if (${loc.sock} == -1) die("socket");`] : []),
    endFd: (e) => (e.role === 'to' ? e.ch.g.bound : e.loc.sock),
    receive: {
      // one datagram: at most its count
      size: (_ch, r) => {
        const lit = literalInt(r.size);
        return lit !== undefined && lit <= MAX_TEXT ? bytes(lit) : MAX_TEXT_SIZE;
      },
      takesCount: true,
      into: (c, _r, dest, count) => [
        `nbytes = recvfrom(${c.ch.g.bound}, ${dest}, ${count}, 0, NULL, NULL);${c.note('one datagram')}`,
        c.checkReceived('recvfrom'),
      ],
      loop: { eof: false, what: 'a datagram socket' },
    },
    verbs: {
      send: (c, s) => {
        const data = c.data(s.data!);
        return [...data.lines, c.check(`sendto(${c.loc.sock}, ${data.ptr}, ${data.len}, 0, (struct sockaddr *)&${c.ch.g.addr}, sizeof ${c.ch.g.addr})`, 'sendto')];
      },
      close: (c) => [`close(${c.role === 'to' ? c.ch.g.bound : c.loc.sock});`],
    },
  };
}
