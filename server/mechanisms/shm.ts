// What the four shared-memory mechanisms share: the server's sampled view, which reports the
// bytes changed since the previous sample (the processes' write and read are plain memory copies).

import { C, sys, type Ptr } from '../../native/index';
import type { ObjectState } from '../../lib/events';

/** Bytes of a segment the live view samples; larger segments show their beginning. */
const VIEW_MAX = 4096;

/** Sizes the object behind fd and maps it read-only for the server's view. */
export function serverView(fd: number, size: number): ShmView {
  sys.ftruncate(fd, size);
  return new ShmView(sys.mmap(size, C.PROT_READ, C.MAP_SHARED, fd, 0), size);
}

/** The server's read-only look at a segment: first the used prefix, then what changed. */
export class ShmView {
  private prev: Buffer | null = null;

  constructor(
    public ptr: Ptr | null,
    readonly size: number,
  ) {}

  /** munmap; idempotent. */
  unmap(): void {
    if (this.ptr) sys.munmap(this.ptr, this.size);
    this.ptr = null;
  }

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
