// What one server holds in Redis for the class (server/quota-redis.ts, server/line-redis.ts):
// each holding is a member of a sorted set whose score is the time it expires, by Redis's own
// clock. The server pushes the time out for all of its holdings every third of the lease; a
// server that dies stops doing so, and whatever it held drops out within one lease when the
// next server counts (every script prunes the expired members first: `PRUNE`). Nothing a
// crashed server took is held for longer than that.

import type { createClient } from 'redis';

export type Redis = ReturnType<typeof createClient>;

/** Lua: `now`, in ms by Redis's clock (one clock for every server, whatever theirs say). */
export const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** Lua: the expired members of sorted set `k` removed. */
export const PRUNE = (k: string) => `redis.call('ZREMRANGEBYSCORE', ${k}, '-inf', now)`;

/** Lua: member `m` of `k` held for `ttl` ms from now; the set itself goes with its last lease. */
export const HOLD = (k: string, m: string, ttl: string) => `redis.call('ZADD', ${k}, now + ${ttl}, ${m})
redis.call('PEXPIRE', ${k}, ${ttl})`;

/** KEYS: sets, ARGV[1]: the lease; ARGV[i + 1]: the member of KEYS[i] held again. */
const REFRESH = `${NOW}
for i, k in ipairs(KEYS) do
  ${HOLD('k', 'ARGV[i + 1]', 'tonumber(ARGV[1])')}
end
return 0`;

/** A refresh's keys and members at a time (one script call each): a class's holdings of one server fit in a few. */
const BATCH = 500;

export class Leases {
  private held = new Map<string, Set<string>>();
  private timer: NodeJS.Timeout;

  /** `ttlMs`: how long a holding outlives its server's last refresh; `tick` runs after each refresh. */
  constructor(
    private redis: Redis,
    readonly ttlMs: number,
    private log: (msg: string) => void,
    private tick: () => void = () => {},
  ) {
    this.timer = setInterval(() => void this.refresh(), Math.max(50, Math.floor(ttlMs / 3)));
    this.timer.unref();
  }

  /** Member `member` of `key` is this server's until `drop` (the script that took it set its first expiry). */
  add(key: string, member: string): void {
    let members = this.held.get(key);
    if (!members) this.held.set(key, (members = new Set()));
    members.add(member);
  }

  drop(key: string, member: string): void {
    const members = this.held.get(key);
    members?.delete(member);
    if (members?.size === 0) this.held.delete(key);
  }

  private async refresh(): Promise<void> {
    const pairs = [...this.held].flatMap(([k, ms]) => [...ms].map((m) => [k, m] as const));
    try {
      for (let i = 0; i < pairs.length; i += BATCH) {
        // those let go while an earlier batch was answered stay let go (their removal went out before this)
        const batch = pairs.slice(i, i + BATCH).filter(([k, m]) => this.held.get(k)?.has(m));
        if (!batch.length) continue;
        // held again even if it had expired (this server stalled past its lease): what it holds is real
        await this.redis.eval(REFRESH, { keys: batch.map(([k]) => k), arguments: [String(this.ttlMs), ...batch.map(([, m]) => m)] });
      }
    } catch (e) {
      this.log(`redis: could not renew this server's holdings: ${(e as Error).message}`);
    }
    this.tick();
  }

  /** Stops renewing (what is still held expires within a lease). */
  stop(): void {
    clearInterval(this.timer);
  }
}
