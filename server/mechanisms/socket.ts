// Stream and datagram sockets over loopback IPv4 or AF_UNIX. The server makes the receiving
// end's socket, bind(2)s it (127.0.0.1 port 0, or a path in the run directory) and, for
// streams, listen(2)s, as the C's main() does before fork(): every process inherits it and
// those that do not receive close it. The sender connect(2)s or sendto(2)s the address.

import path from 'node:path';
import { C, sys } from '../../native/index';
import { queued } from './stream';
import type { Mechanism } from './types';

const LOOPBACK = '127.0.0.1';
const BACKLOG = 8;

interface Family {
  domain: number;
  /** Binds fd; returns the args that name the address. */
  bind(fd: number, runDir: string, index: number): Record<string, string | number>;
  describe(args: Record<string, string | number>): string;
}

const inet: Family = {
  domain: C.AF_INET,
  bind(fd) {
    sys.bindInet(fd, LOOPBACK, 0);
    return { port: sys.sockPort(fd) };
  },
  describe: (a) => `${LOOPBACK}:${a.port}`,
};

const unix: Family = {
  domain: C.AF_UNIX,
  bind(fd, runDir, index) {
    const p = path.join(runDir, `c${index}.sock`);
    sys.bindUnix(fd, p);
    return { path: p };
  },
  describe: (a) => String(a.path),
};

export function socketMechanism(id: Mechanism['id'], family: 'inet' | 'unix', kind: 'stream' | 'dgram'): Mechanism<{ address: string }> {
  const fam = family === 'inet' ? inet : unix;
  return {
    id,
    create({ runDir, channel }) {
      const fd = sys.socket(fam.domain, (kind === 'stream' ? C.SOCK_STREAM : C.SOCK_DGRAM) | C.SOCK_CLOEXEC, 0);
      const args = fam.bind(fd, runDir, channel.index);
      if (kind === 'stream') sys.listen(fd, BACKLOG);
      // a datagram receiver reads the bound socket itself; a stream's connections are the processes' own
      return { args, fds: { pass: 'all', byKey: { fd }, endKey: kind === 'dgram' ? { to: 'fd' } : {} }, handle: { address: fam.describe(args) } };
    },
    inspect(h, ctx) {
      if (kind === 'dgram') return { address: h.address, bytes: ctx.withFd('to', queued) ?? 0 };
      // a stream: the receiver's connection once accepted, else the sender's once connected
      const to = ctx.withFd('to', queued);
      const from = ctx.withFd('from', queued);
      const c = ctx.connections();
      // once the server accepts, the node is its listening socket, and the counts say the connections
      const conn = c?.accepted || (to === null && from === null) ? 'listening' : 'connected';
      return { conn, address: h.address, bytes: to ?? 0, ...(c?.accepted ? { accepted: c.accepted, connections: c.open } : {}) };
    },
    destroy() {},
  };
}
