// What fd-based mechanisms (pipe, FIFO, sockets) share: the bytes queued on an fd.

import { C, sys } from '../../native/index';

/** Bytes waiting to be read on fd (FIONREAD), or null if it cannot be asked. */
export function queued(fd: number): number | null {
  try {
    return sys.ioctlInt(fd, C.FIONREAD);
  } catch {
    return null;
  }
}

/**
 * Bytes in a pipe or FIFO, through the writer's end when it has one: a copy of the writer's end
 * held for a microsecond delays an end of file by as much, where a copy of the reader's end
 * could turn a write into a success instead of EPIPE.
 */
export function pipeBytes(ctx: import('./types').InspectContext): number | null {
  return ctx.withFd('from', queued) ?? ctx.withFd('to', queued);
}
