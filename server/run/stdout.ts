// A process's stdout bytes as they are read from its pipe, claimed by the runtime's records
// of the write(2) calls that made them (each record gives its write's time). Bytes no record
// claims a moment after they came are shown anyway; the record that then comes late claims
// those, not the next write's, so that every later write keeps its own bytes and time (unless
// the runtime dropped records from its full ring meanwhile: then none may come).

export class StdoutBytes {
  private chunks: Buffer[] = [];
  private length = 0;
  /** Bytes given out by unclaimed() whose record has not come yet. */
  private ahead = 0;

  /** Bytes read from the pipe. */
  add(b: Buffer): void {
    this.chunks.push(b);
    this.length += b.length;
  }

  /** Bytes read and not yet given out. */
  get waiting(): number {
    return this.length;
  }

  /** The bytes of a write of `n` that returned (empty when shown already); null when they have not been read yet. */
  claim(n: number): Buffer | null {
    const shown = Math.min(this.ahead, n);
    if (this.length < n - shown) return null;
    this.ahead -= shown;
    return this.take(n - shown);
  }

  /** The next bytes waiting (at most n), left where they are; empty while bytes shown ahead are still to be claimed. */
  peek(n: number): Buffer {
    if (this.ahead > 0 || this.length === 0) return Buffer.alloc(0);
    const first = this.chunks[0];
    return first.length >= n || this.chunks.length === 1 ? first.subarray(0, n) : Buffer.concat(this.chunks).subarray(0, n);
  }

  /** Every byte waiting, given out without its record; `late`: that record is still to come (none was dropped from the full ring). */
  unclaimed(late: boolean): Buffer {
    if (late) this.ahead += this.length;
    return this.take(this.length);
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    this.chunks = n < all.length ? [all.subarray(n)] : [];
    this.length -= n;
    return all.subarray(0, n);
  }
}
