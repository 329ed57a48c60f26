// The C of connections and of passing descriptors (lib/lang/sockets.ts): `accept srv as conn`
// is `conn = accept(listen_srv, NULL, NULL)`, a connection is the program's variable holding its
// descriptor, and recv / send / close on it are recv(2) / send(2) / close(2) on that number
// (read(2) / write(2) for one that recvfd gave: it may be a pipe). sendfd and recvfd are
// sendmsg(2) / recvmsg(2) with an SCM_RIGHTS control message, in the helpers send_fd / recv_fd
// that textbooks write. Isomorphic: no Node, no DOM.

import type { DescriptorStmt, Program } from '../lang/ast';
import { connectionOf, type ConnectionKind } from '../lang/sockets';
import { channelsOf, walkProgram } from '../lang/walk';
import { streamReceive, streamSend } from './mechanisms/stream';
import type { CHelper, CMechanism, Chan, EndCtx, StmtCtx } from './mechanisms/types';

/** The connections a program names, by id. */
export function connectionIds(p: Program): Set<string> {
  const out = new Set<string>();
  walkProgram(p, (s) => {
    for (const id of channelsOf(s)) if (connectionOf(id)) out.add(id);
  });
  return out;
}

/** The program accepts on the channel: its poll watches the listening socket, where clients wait to be accepted. */
export function acceptsOn(p: Program, channel: string): boolean {
  let yes = false;
  walkProgram(p, (s) => {
    if (s.kind === 'accept' && s.channel.id === channel) yes = true;
  });
  return yes;
}

const fdOf = (e: EndCtx): string => e.loc.fd;

/** A connection used where a channel goes: its mechanism's part is its variable's descriptor. */
function connectionMechanism(kind: ConnectionKind): CMechanism {
  const [rx, tx] = kind === 'socket' ? (['recv', 'send'] as const) : (['read', 'write'] as const);
  return {
    includes: [],
    globalNames: () => ({}),
    globals: () => [],
    create: () => [],
    receive: streamReceive(rx, fdOf),
    endFd: fdOf,
    verbs: {
      send: streamSend(tx, fdOf),
      close: (c) => [`close(${fdOf(c)});`],
    },
  };
}

const MECHANISM: Record<ConnectionKind, CMechanism> = { socket: connectionMechanism('socket'), any: connectionMechanism('any') };

/** The channel-like view of a connection: every process that names it has its own variable (loc.fd). */
export function connectionChan(id: string): Chan {
  const { name, kind } = connectionOf(id)!;
  return { id, label: name, base: name, mech: kind === 'socket' ? 'tcp' : 'unix-stream', opts: {}, links: [], g: {}, impl: MECHANISM[kind] };
}

export const SEND_FD: CHelper = {
  rank: 90,
  lines: [
    '/* sendfd: sendmsg(2) of one byte, with the descriptor fd in an SCM_RIGHTS control message. The kernel',
    ' * puts a copy of it in the receiver\'s descriptor table (at the lowest free number there). */',
    'static int send_fd(int sock, int fd)',
    '{',
    '    char byte = 0;',
    '    struct iovec iov = { &byte, 1 };',
    '    union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } control;',
    '    struct msghdr msg;',
    '    struct cmsghdr *cm;',
    '',
    '    memset(&msg, 0, sizeof msg);',
    '    memset(&control, 0, sizeof control);',
    '    msg.msg_iov = &iov;',
    '    msg.msg_iovlen = 1;',
    '    msg.msg_control = control.buf;',
    '    msg.msg_controllen = sizeof control.buf;',
    '    cm = CMSG_FIRSTHDR(&msg);',
    '    cm->cmsg_level = SOL_SOCKET;',
    '    cm->cmsg_type = SCM_RIGHTS;',
    '    cm->cmsg_len = CMSG_LEN(sizeof(int));',
    '    memcpy(CMSG_DATA(cm), &fd, sizeof(int));',
    '    return sendmsg(sock, &msg, 0) == -1 ? -1 : 0;',
    '}',
  ],
};

export const RECV_FD: CHelper = {
  rank: 91,
  lines: [
    '/* recvfd: recvmsg(2) of the byte send_fd sent, and the descriptor that came with it: a new number in',
    ' * this process for the same open file. -1 with errno ENOMSG at end of file or when no descriptor came. */',
    'static int recv_fd(int sock)',
    '{',
    '    char byte;',
    '    struct iovec iov = { &byte, 1 };',
    '    union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } control;',
    '    struct msghdr msg;',
    '    struct cmsghdr *cm;',
    '    ssize_t n;',
    '    int fd;',
    '',
    '    memset(&msg, 0, sizeof msg);',
    '    msg.msg_iov = &iov;',
    '    msg.msg_iovlen = 1;',
    '    msg.msg_control = control.buf;',
    '    msg.msg_controllen = sizeof control.buf;',
    '    n = recvmsg(sock, &msg, 0);',
    '    if (n == -1)',
    '        return -1;',
    '    cm = CMSG_FIRSTHDR(&msg);',
    '    if (n == 0 || cm == NULL || cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS) {',
    '        errno = ENOMSG;',
    '        return -1;',
    '    }',
    '    memcpy(&fd, CMSG_DATA(cm), sizeof(int));',
    '    return fd;',
    '}',
  ],
};

/**
 * The C of a descriptor statement. c: the channel it acts on (already open); fd: the descriptor
 * sendfd passes; into: the C variable accept / recvfd set.
 */
export function descriptorC(s: DescriptorStmt, c: StmtCtx, sock: string, fd: string, into: string): string[] {
  switch (s.kind) {
    case 'accept':
      return [
        c.check(`(${into} = accept(${c.ch.g.listen}, NULL, NULL))`, 'accept') +
          c.note('the next connection in the listen queue, as a new descriptor; the listening socket stays open for the next'),
      ];
    case 'sendfd':
      c.use(SEND_FD);
      return [c.check(`send_fd(${sock}, ${fd})`, 'sendmsg')];
    case 'recvfd':
      c.use(RECV_FD);
      return [c.check(`(${into} = recv_fd(${sock}))`, 'recvmsg')];
  }
}
