// Where a server keeps the quotas and the line of runs waiting for a slot, chosen at start:
// in its own memory (alone), or in Redis (IPCPG_REDIS_URL: several servers, one class), where
// a student's holdings on every server count against one limit and the servers of one machine
// share its run slots and one order of waiting (server/quota-redis.ts, server/line-redis.ts).

import os from 'node:os';
import { createClient } from 'redis';
import type { RunClock } from './estimate';
import type { Redis } from './leases';
import { RunLine, type Line } from './line';
import { RedisRunLine } from './line-redis';
import { Quotas, type QuotaBook, type QuotaConfig } from './quota';
import { RedisQuotas } from './quota-redis';
import { Run } from './run/run';

export interface Bookkeeping {
  quotas(config: QuotaConfig): QuotaBook;
  /** The line for `slots` runs at once, its estimates from `clock`. */
  line(slots: number, clock: RunClock): Line;
  /** Lets go of the store (what is still held in Redis lapses within a lease). */
  close(): Promise<void>;
}

export const memoryBookkeeping: Bookkeeping = {
  quotas: (config) => new Quotas(config),
  line: (slots, clock) => new RunLine(() => Run.running < slots, (place) => clock.waitFor(place, slots)),
  close: async () => {},
};

/** How long a crashed server's holdings outlive it; renewed every third of it. */
export const LEASE_MS = 15_000;

export interface RedisBookkeepingOptions {
  /** The servers that name the same pool share its run slots: one machine's (IPCPG_RUN_POOL; by default its host name). */
  pool?: string;
  leaseMs?: number;
  log: (msg: string) => void;
}

/** Quotas and line in the Redis at `url`; resolves once connected. */
export async function redisBookkeeping(url: string, o: RedisBookkeepingOptions): Promise<Bookkeeping> {
  const redis: Redis = createClient({ url });
  const sub = redis.duplicate();
  for (const c of [redis, sub]) c.on('error', (e: Error) => o.log(`redis: ${e.message}`));
  await Promise.all([redis.connect(), sub.connect()]);
  const leaseMs = o.leaseMs ?? LEASE_MS;
  const pool = o.pool ?? os.hostname();
  const parts: { stop(): void | Promise<void> }[] = [];
  return {
    quotas: (config) => {
      const q = new RedisQuotas(redis, config, { leaseMs, log: o.log });
      parts.push(q);
      return q;
    },
    line: (slots, clock) => {
      const l = new RedisRunLine(redis, sub, { pool, slots, clock, leaseMs, log: o.log });
      parts.push(l);
      return l;
    },
    close: async () => {
      for (const p of parts) await p.stop();
      await Promise.allSettled([redis.quit(), sub.quit()]);
    },
  };
}
