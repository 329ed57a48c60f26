// Quotas counted in Redis, for several servers sharing one class (IPCPG_REDIS_URL): what a
// student or an address holds on every server together is held against one limit, so tabs
// spread over two servers hold no more runs, rooms or connections than tabs on one.
//
// Each quota key is a sorted set of holdings (one member per run, room or connection, named
// by the server that holds it), scored by when it expires: the server renews its own while it
// lives (server/leases.ts), so a crashed server's holdings lapse within a lease instead of
// being held forever. Taking checks every key and adds to all of them in one script (atomic:
// two servers cannot both take the last one). When Redis cannot be reached in time, a take is
// refused with a message saying so: letting everyone in would let one student take the class.

import { randomBytes } from 'node:crypto';
import { HOLD, Leases, NOW, PRUNE, type Redis } from './leases';
import { quotaKeys, refusal, type Holder, type QuotaBook, type QuotaConfig, type QuotaKind, type Taken } from './quota';

/** KEYS: the quota's sets; ARGV: the member, the lease, then each key's limit. {0, 0} when taken, else {the refusing key's index, its count}. */
const TAKE = `${NOW}
for i, k in ipairs(KEYS) do
  ${PRUNE('k')}
  local n = redis.call('ZCARD', k)
  if n >= tonumber(ARGV[i + 2]) then return {i, n} end
end
for _, k in ipairs(KEYS) do
  ${HOLD('k', 'ARGV[1]', 'tonumber(ARGV[2])')}
end
return {0, 0}`;

/** How long a take may wait for Redis before it is refused. */
const ANSWER_MS = 3000;

export interface RedisQuotaOptions {
  /** How long a dead server's holdings outlive it (ms). */
  leaseMs: number;
  log: (msg: string) => void;
}

export class RedisQuotas implements QuotaBook {
  private leases: Leases;
  /** This server's name in the members it holds, and a count that makes each one unique. */
  private server = randomBytes(6).toString('base64url');
  private n = 0;

  constructor(
    private redis: Redis,
    private config: QuotaConfig,
    private o: RedisQuotaOptions,
  ) {
    this.leases = new Leases(redis, o.leaseMs, o.log);
  }

  async take(kind: QuotaKind, h: Holder): Promise<Taken> {
    const keys = quotaKeys(this.config, kind, h);
    if (!keys.length) return { ok: true, release: () => {} };
    const sets = keys.map((k) => `ipcpg:quota:${k.key}`);
    const member = `${this.server}:${++this.n}`;
    let answer: [number, number];
    try {
      answer = (await within(ANSWER_MS, this.redis.eval(TAKE, { keys: sets, arguments: [member, String(this.o.leaseMs), ...keys.map((k) => String(k.limit))] }))) as [number, number];
    } catch (e) {
      this.o.log(`redis: a quota could not be counted: ${(e as Error).message}`);
      // it may yet have been taken: given back, so that it cannot be held for a lease by no one
      void this.give(sets, member);
      return { ok: false, message: 'the class server cannot count what you hold right now (its Redis does not answer); try again in a moment' };
    }
    const [refused, n] = answer;
    if (refused) return { ok: false, message: refusal(kind, keys[refused - 1], n) };
    for (const s of sets) this.leases.add(s, member);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        for (const s of sets) this.leases.drop(s, member);
        void this.give(sets, member);
      },
    };
  }

  private async give(sets: string[], member: string): Promise<void> {
    try {
      await Promise.all(sets.map((s) => this.redis.zRem(s, member)));
    } catch (e) {
      this.o.log(`redis: a quota could not be given back (it lapses with its lease): ${(e as Error).message}`);
    }
  }

  /** Stops renewing this server's holdings: they lapse within a lease (shutdown; a test's crash). */
  stop(): void {
    this.leases.stop();
  }
}

/** `p`, or an error after `ms`. */
export function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
