// What the four shared-memory mechanisms share: the endpoint (write and read are plain memory
// copies, no syscall: that is the point of shared memory) and the server's sampled view, which
// reports the bytes changed since the previous sample.

import { sys, type Ptr } from '../../native/index';
import type { ObjectState } from '../../lib/events';
import { RuntimeError } from '../host/errors';
import type { Endpoint } from './types';

/** Bytes of a segment the live view samples; larger segments show their beginning. */
const VIEW_MAX = 4096;

export function shmEndpoint(ptr: Ptr, size: number, name: string): Endpoint {
  const check = (offset: number, len: number) => {
    if (!Number.isInteger(offset) || offset < 0 || offset + len > size) {
      throw new RuntimeError(`${name}: bytes ${offset}..${offset + len} are outside the ${size}-byte segment`);
    }
  };
  return {
    write(data, offset) {
      check(offset, data.length);
      sys.memWrite(ptr, offset, data);
    },
    read(length, offset) {
      check(offset, length);
      return sys.memRead(ptr, offset, length);
    },
  };
}

/** The server's read-only look at a segment: first the used prefix, then what changed. */
export class ShmView {
  private prev: Buffer | null = null;

  constructor(
    public ptr: Ptr | null,
    readonly size: number,
  ) {}

  sample(): ObjectState | null {
    if (!this.ptr) return null;
    const n = Math.min(this.size, VIEW_MAX);
    const now = sys.memRead(this.ptr, 0, n);
    const changes: { offset: number; hex: string }[] = [];
    if (!this.prev) {
      let end = n;
      while (end > 0 && now[end - 1] === 0) end--;
      if (end > 0) changes.push({ offset: 0, hex: now.subarray(0, end).toString('hex') });
    } else {
      for (let i = 0; i < n; i++) {
        if (now[i] === this.prev[i]) continue;
        let j = i;
        while (j < n && now[j] !== this.prev[j]) j++;
        changes.push({ offset: i, hex: now.subarray(i, j).toString('hex') });
        i = j;
      }
      if (changes.length === 0) return null;
    }
    this.prev = now;
    return { size: this.size, changes };
  }
}
