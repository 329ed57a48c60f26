// Token buckets: how often a socket, a joined identity or an address may send events, and
// an address may try a class code. A bucket holds `burst` tokens and gets `perSecond` back
// each second; an event takes its cost or is refused with the time to wait.

export interface Rate {
  burst: number;
  perSecond: number;
}

/** The clock, in ms (a parameter so tests can move time). */
type Clock = () => number;

class Bucket {
  private tokens: number;
  private at: number;

  constructor(
    private rate: Rate,
    now: number,
  ) {
    this.tokens = rate.burst;
    this.at = now;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.rate.burst, this.tokens + ((now - this.at) / 1000) * this.rate.perSecond);
    this.at = now;
  }

  /** 0 when `cost` was taken, else the ms until it could be. */
  take(cost: number, now: number): number {
    const wait = this.wait(cost, now);
    if (!wait) this.tokens -= cost;
    return wait;
  }

  /** What take would answer, without taking. */
  wait(cost: number, now: number): number {
    this.refill(now);
    return this.tokens >= cost ? 0 : Math.ceil(((cost - this.tokens) / this.rate.perSecond) * 1000);
  }

  full(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.rate.burst;
  }
}

/** A bucket per key, all at one rate. Buckets that have refilled are forgotten, so keys cost nothing once idle. */
export class RateLimiter {
  private buckets = new Map<string, Bucket>();

  constructor(
    private rate: Rate,
    private now: Clock = Date.now,
  ) {}

  /** 0 when `key` may spend `cost` now (and it is spent), else the ms to wait. */
  take(key: string, cost = 1): number {
    const now = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= 10_000) this.prune(now);
      this.buckets.set(key, (b = new Bucket(this.rate, now)));
    }
    return b.take(cost, now);
  }

  /** The ms `key` would wait for `cost`, nothing spent (0: it may go). */
  wait(key: string, cost = 1): number {
    return this.buckets.get(key)?.wait(cost, this.now()) ?? 0;
  }

  private prune(now: number): void {
    for (const [key, b] of this.buckets) if (b.full(now)) this.buckets.delete(key);
  }

  get size(): number {
    return this.buckets.size;
  }
}

/** What a refusal says: `too many requests: wait 2 s`. */
export function waitMessage(ms: number): string {
  return `too many requests: wait ${Math.max(1, Math.ceil(ms / 1000))} s`;
}
