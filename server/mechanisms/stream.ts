// Reading and writing an fd-based channel (pipe, FIFO, sockets): nonblocking calls, waiting
// through the runtime when the kernel says EAGAIN, so the process shows as blocked in the call.

import { C, SyscallError, sys } from '../../native/index';
import type { HostRuntime } from '../host/runtime';

export const DEFAULT_READ = 1024;
const MAX_READ = 1 << 20;

type WriteOp = (fd: number, buf: Buffer, len: number) => number;
type ReadOp = (fd: number, buf: Buffer, len: number) => number;

// -1: EAGAIN (returned, not thrown)
export const opWrite: WriteOp = (fd, buf, len) => sys.writeNb(fd, buf, len);
export const opSend: WriteOp = (fd, buf, len) => sys.sendNb(fd, buf, len, 0);
export const opRead: ReadOp = (fd, buf, len) => sys.readNb(fd, buf, len);
export const opRecv: ReadOp = (fd, buf, len) => sys.recvNb(fd, buf, len, 0);
export const opRecvfrom: ReadOp = (fd, buf, len) => {
  try {
    return sys.recvfrom(fd, buf, len, 0);
  } catch (e) {
    if (e instanceof SyscallError && e.code === 'EAGAIN') return -1;
    throw e;
  }
};

/**
 * Writes all of data, in as many calls as the kernel needs (partial writes are real).
 * Synchronous (undefined) when the kernel takes it all at once; a promise when it must wait.
 */
export function writeFully(rt: HostRuntime, channel: string, fd: number, data: Buffer, op = opWrite, call = 'write'): Promise<void> | undefined {
  let off = 0;
  while (off < data.length) {
    const chunk = off ? data.subarray(off) : data;
    const n = rt.tryNb(op, fd, chunk, chunk.length);
    if (n < 0) return writeRest(rt, channel, fd, data, off, op, call);
    off += n;
  }
  return undefined;
}

async function writeRest(rt: HostRuntime, channel: string, fd: number, data: Buffer, off: number, op: WriteOp, call: string): Promise<void> {
  do {
    const chunk = off ? data.subarray(off) : data;
    off += await rt.ioNb(call, channel, fd, C.POLLOUT, () => op(fd, chunk, chunk.length));
  } while (off < data.length);
}

/** One read of up to size bytes into a reused buffer. */
export class FdReader {
  private buf = Buffer.allocUnsafe(DEFAULT_READ);

  constructor(
    private rt: HostRuntime,
    private channel: string,
    private op: ReadOp = opRead,
    private call = 'read',
    /** Streams: 0 bytes is end of file (null). Datagrams: an empty message. */
    private eofOnZero = true,
  ) {}

  /** Synchronous when data (or EOF) is there; keep=false returns a view of the reused buffer. */
  read(fd: number, size = DEFAULT_READ, keep = true): Buffer | null | Promise<Buffer | null> {
    size = Math.max(1, Math.min(size, MAX_READ));
    if (this.buf.length < size) this.buf = Buffer.allocUnsafe(size);
    const buf = this.buf;
    const n = this.rt.tryNb(this.op, fd, buf, size);
    if (n >= 0) return this.result(n, keep);
    return this.rt.ioNb(this.call, this.channel, fd, C.POLLIN, () => this.op(fd, buf, size)).then((k) => this.result(k, keep));
  }

  private result(n: number, keep: boolean): Buffer | null {
    if (n === 0 && this.eofOnZero) return null;
    const view = this.buf.subarray(0, n);
    return keep ? Buffer.from(view) : view;
  }
}

/** Bytes waiting to be read on fd (FIONREAD), or null if the fd is gone. */
export function queued(fd: number): number | null {
  try {
    return sys.ioctlInt(fd, C.FIONREAD);
  } catch {
    return null;
  }
}
