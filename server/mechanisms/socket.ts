// Stream and datagram sockets over loopback IPv4 or AF_UNIX. The receiving end (`to`) makes
// its socket, bind(2)s and (for streams) listen(2)s before the start, and publishes its
// address; streams connect(2) / accept(2) on first use. All fds are nonblocking: waits are
// poll(2)s through the runtime, so the process shows as blocked in accept, connect or recv.

import path from 'node:path';
import { C, SyscallError, sys } from '../../native/index';
import type { HostRuntime } from '../host/runtime';
import { FdReader, opRecv, opRecvfrom, opSend, queued, writeFully } from './stream';
import type { AttachContext, Endpoint, Mechanism } from './types';

const LOOPBACK = '127.0.0.1';
const FLAGS = C.SOCK_NONBLOCK | C.SOCK_CLOEXEC;

interface Family {
  domain: number;
  /** Binds the receiving socket; returns the address to publish. */
  bind(fd: number, spec: Record<string, unknown>): Record<string, unknown>;
  connect(fd: number, peer: Record<string, unknown>): void;
  sendto(fd: number, data: Buffer, peer: Record<string, unknown>): number;
  describe(peer: Record<string, unknown>): string;
}

export const inet: Family = {
  domain: C.AF_INET,
  bind(fd) {
    sys.bindInet(fd, LOOPBACK, 0);
    return { port: sys.sockPort(fd) };
  },
  connect: (fd, peer) => sys.connectInet(fd, LOOPBACK, peer.port as number),
  sendto: (fd, data, peer) => sys.sendtoInet(fd, data, data.length, 0, LOOPBACK, peer.port as number),
  describe: (peer) => `${LOOPBACK}:${peer.port}`,
};

export const unix: Family = {
  domain: C.AF_UNIX,
  bind(fd, spec) {
    sys.bindUnix(fd, spec.path as string);
    return { path: spec.path };
  },
  connect: (fd, peer) => sys.connectUnix(fd, peer.path as string),
  sendto: (fd, data, peer) => sys.sendtoUnix(fd, data, data.length, 0, peer.path as string),
  describe: (peer) => String(peer.path),
};

/** spec for unix sockets: a path in the run directory named by the channel's index. */
export function socketSpec(fam: Family, runDir: string, index: number): Record<string, unknown> {
  return fam === unix ? { path: path.join(runDir, `c${index}.sock`) } : {};
}

async function connectTo(rt: HostRuntime, ch: string, fam: Family, peer: Record<string, unknown>): Promise<number> {
  const fd = sys.socket(fam.domain, C.SOCK_STREAM | FLAGS, 0);
  try {
    fam.connect(fd, peer);
  } catch (e) {
    if (!(e instanceof SyscallError) || (e.code !== 'EINPROGRESS' && e.code !== 'EAGAIN')) throw e;
    await rt.waitFd(fd, C.POLLOUT, 'connect', ch);
    const err = sys.sockError(fd);
    if (err) throw new SyscallError('connect', err);
  }
  return fd;
}

export function streamEndpoint(fam: Family, { role, spec, rt, channel }: AttachContext): Endpoint {
  const ch = channel.id;
  let listenFd = -1;
  let fd = -1;
  let peer: Record<string, unknown> = {};
  let ready: Record<string, unknown> | undefined;
  let connecting: Promise<number> | null = null;
  let state = 'idle';
  if (role === 'to') {
    listenFd = sys.socket(fam.domain, C.SOCK_STREAM | FLAGS, 0);
    ready = fam.bind(listenFd, spec);
    sys.listen(listenFd, 8);
    state = 'listening';
  }
  const connected = (): Promise<number> => {
    if (fd >= 0) return Promise.resolve(fd);
    connecting ??= (async () => {
      fd =
        role === 'to'
          ? await rt.io('accept', ch, listenFd, C.POLLIN, () => sys.accept(listenFd, FLAGS))
          : await connectTo(rt, ch, fam, peer);
      state = 'connected';
      return fd;
    })();
    return connecting;
  };
  const reader = new FdReader(rt, ch, opRecv, 'recv');
  return {
    ready,
    start: (p) => (peer = p),
    // connected: straight to the call (synchronous when the kernel does not make it wait)
    send: (data) => (fd >= 0 ? writeFully(rt, ch, fd, data, opSend, 'send') : connected().then((f) => writeFully(rt, ch, f, data, opSend, 'send'))),
    recv: (o) => (fd >= 0 ? reader.read(fd, o.size, o.keep) : connected().then((f) => reader.read(f, o.size, o.keep))),
    close: () => {
      if (fd >= 0) sys.close(fd);
      if (listenFd >= 0) sys.close(listenFd);
      fd = listenFd = -1;
      state = 'closed';
    },
    probe: () => ({ conn: state, address: fam.describe(role === 'to' ? (ready ?? {}) : peer), bytes: fd >= 0 ? (queued(fd) ?? 0) : 0 }),
  };
}

export function dgramEndpoint(fam: Family, { role, spec, rt, channel }: AttachContext): Endpoint {
  const ch = channel.id;
  const fd = sys.socket(fam.domain, C.SOCK_DGRAM | FLAGS, 0);
  let peer: Record<string, unknown> = {};
  if (role === 'to') {
    const ready = fam.bind(fd, spec);
    const reader = new FdReader(rt, ch, opRecvfrom, 'recvfrom', false);
    return {
      ready,
      recv: (o) => reader.read(fd, o.size ?? 65536),
      close: () => sys.close(fd),
      probe: () => ({ address: fam.describe(ready), bytes: queued(fd) ?? 0 }),
    };
  }
  return {
    start: (p) => (peer = p),
    send: async (data) => {
      await rt.io('sendto', ch, fd, C.POLLOUT, () => fam.sendto(fd, data, peer));
    },
    close: () => sys.close(fd),
  };
}

export function socketMechanism(id: Mechanism['id'], fam: Family, kind: 'stream' | 'dgram'): Mechanism<null> {
  return {
    id,
    create: ({ runDir, channel }) => ({ spec: socketSpec(fam, runDir, channel.index), handle: null }),
    attach: (ctx) => (kind === 'stream' ? streamEndpoint(fam, ctx) : dgramEndpoint(fam, ctx)),
    destroy() {},
  };
}
