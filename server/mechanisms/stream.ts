// Reading and writing an fd-based channel (pipe, FIFO, sockets): nonblocking calls, waiting
// through the runtime when the kernel says EAGAIN, so the process shows as blocked in the call.

import { C, sys } from '../../native/index';
import type { HostRuntime } from '../host/runtime';

export const DEFAULT_READ = 1024;
const MAX_READ = 1 << 20;

type WriteOp = (fd: number, buf: Buffer, len: number) => number;
type ReadOp = (fd: number, buf: Buffer, len: number) => number;

export const opWrite: WriteOp = (fd, buf, len) => sys.write(fd, buf, len);
export const opSend: WriteOp = (fd, buf, len) => sys.send(fd, buf, len, 0);
export const opRead: ReadOp = (fd, buf, len) => sys.read(fd, buf, len);
export const opRecv: ReadOp = (fd, buf, len) => sys.recv(fd, buf, len, 0);
export const opRecvfrom: ReadOp = (fd, buf, len) => sys.recvfrom(fd, buf, len, 0);

/** Writes all of data, in as many calls as the kernel needs (partial writes are real). */
export async function writeFully(rt: HostRuntime, channel: string, fd: number, data: Buffer, op = opWrite, call = 'write'): Promise<void> {
  let off = 0;
  do {
    const chunk = off ? data.subarray(off) : data;
    off += await rt.io(call, channel, fd, C.POLLOUT, () => op(fd, chunk, chunk.length));
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

  async read(fd: number, size = DEFAULT_READ): Promise<Buffer | null> {
    size = Math.max(1, Math.min(size, MAX_READ));
    if (this.buf.length < size) this.buf = Buffer.allocUnsafe(size);
    const buf = this.buf;
    const n = await this.rt.io(this.call, this.channel, fd, C.POLLIN, () => this.op(fd, buf, size));
    return n === 0 && this.eofOnZero ? null : Buffer.from(buf.subarray(0, n));
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
