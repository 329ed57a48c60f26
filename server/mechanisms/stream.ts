// Reading and writing an fd-based channel (pipe, FIFO, stream and datagram sockets, mq fds are
// separate): nonblocking calls, waiting through the runtime when the kernel says EAGAIN.

import { C, sys } from '../../native/index';
import type { HostRuntime } from '../host/runtime';

export const DEFAULT_READ = 1024;
const MAX_READ = 1 << 20;

/** Writes all of data, in as many write(2) calls as the kernel needs (partial writes are real). */
export async function writeFully(rt: HostRuntime, channel: string, fd: number, data: Buffer, call = 'write'): Promise<void> {
  let off = 0;
  do {
    const chunk = off ? data.subarray(off) : data;
    off += await rt.io(call, channel, fd, C.POLLOUT, () => sys.write(fd, chunk, chunk.length));
  } while (off < data.length);
}

/** One read(2) of up to size bytes; null at end of file. */
export class FdReader {
  private buf = Buffer.allocUnsafe(DEFAULT_READ);

  constructor(
    private rt: HostRuntime,
    private channel: string,
    private call = 'read',
  ) {}

  async read(fd: number, size = DEFAULT_READ): Promise<Buffer | null> {
    size = Math.max(1, Math.min(size, MAX_READ));
    if (this.buf.length < size) this.buf = Buffer.allocUnsafe(size);
    const buf = this.buf;
    const n = await this.rt.io(this.call, this.channel, fd, C.POLLIN, () => sys.read(fd, buf, size));
    return n === 0 ? null : Buffer.from(buf.subarray(0, n));
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
