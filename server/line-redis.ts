// The line in Redis, for several servers (IPCPG_REDIS_URL): one pool of run slots per machine
// (IPCPG_RUN_POOL, by default its host name), shared by every server on it, with one order of
// waiting (server/line.ts says why per machine and not per class). Runs stay on the server of
// the tab that started them; what is shared is who goes next and how many slots are taken.
//
// In Redis, per pool: `slots` (the runs going, each member `waiter|start`), `waiting` (the
// waiters by ticket), `alive` (when each waiter's lease ends) and `ticket` (the next one).
// Slots and waiters are leases (server/leases.ts): a crashed server's runs and places lapse
// within one lease. Every change is published on the pool's channel; each server then lets its
// own first waiter take a free slot if it is first of the pool (only it can be: a server's
// waiters are in the pool's order among themselves), and tells its waiters their places. Slots
// a dead server held free up without a message: the lease's renewal also looks again.

import { randomBytes } from 'node:crypto';
import type { RunClock } from './estimate';
import { HOLD, Leases, NOW, PRUNE, type Redis } from './leases';
import type { Line, Waiter } from './line';
import { within } from './quota-redis';

/** Lua, with KEYS[1..3] = slots, waiting, alive: the lapsed runs and waiters removed. */
const PRUNE_POOL = `${NOW}
${PRUNE('KEYS[1]')}
for _, w in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)) do redis.call('ZREM', KEYS[2], w) end
${PRUNE('KEYS[3]')}`;

/** KEYS: slots, waiting, alive, ticket; ARGV: channel, waiter, lease, slots of the pool. {1, slot} when it goes now, else {0, ''}. */
const JOIN = `${PRUNE_POOL}
local ttl = tonumber(ARGV[3])
if redis.call('ZCARD', KEYS[2]) == 0 and redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[4]) then
  local m = ARGV[2] .. '|' .. now
  ${HOLD('KEYS[1]', 'm', 'ttl')}
  redis.call('PUBLISH', ARGV[1], 'go')
  return {1, m}
end
redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[4]), ARGV[2])
${HOLD('KEYS[3]', 'ARGV[2]', 'ttl')}
redis.call('PUBLISH', ARGV[1], 'wait')
return {0, ''}`;

/** KEYS: slots, waiting, alive; ARGV: channel, waiter, lease, slots of the pool. Its slot when the waiter is first and a slot is free, else ''. */
const CLAIM = `${PRUNE_POOL}
if redis.call('ZRANGE', KEYS[2], 0, 0)[1] ~= ARGV[2] or redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return '' end
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[2])
local m = ARGV[2] .. '|' .. now
${HOLD('KEYS[1]', 'm', 'tonumber(ARGV[3])')}
redis.call('PUBLISH', ARGV[1], 'go')
return m`;

/** KEYS: slots, waiting, alive; ARGV: channel, waiter. Whatever the waiter holds, place or slot, given up. */
const FORGET = `redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[2])
local prefix = ARGV[2] .. '|'
for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if string.sub(m, 1, #prefix) == prefix then redis.call('ZREM', KEYS[1], m) end
end
redis.call('PUBLISH', ARGV[1], 'left')
return 0`;

/** KEYS: slots, waiting, alive; ARGV: waiters. {now, each waiter's rank (-1: not in line), the slots}. */
const PLACES = `${PRUNE_POOL}
local ranks = {}
for i, w in ipairs(ARGV) do ranks[i] = redis.call('ZRANK', KEYS[2], w) or -1 end
return {now, ranks, redis.call('ZRANGE', KEYS[1], 0, -1)}`;

/** How long a line's call may wait for Redis. */
const ANSWER_MS = 3000;

interface Entry {
  w: Waiter;
  id: string;
  /** Placed: in the pool's line (its JOIN answered). */
  placed: boolean;
  /** Left before its JOIN or CLAIM was answered: whatever those gave is given back. */
  gone: boolean;
}

export interface RedisLineOptions {
  /** The pool: servers that name the same one share its slots (one machine's). */
  pool: string;
  /** Runs at once in the pool (this server's runsTotal: every server of a pool has the same). */
  slots: number;
  clock: RunClock;
  leaseMs: number;
  log: (msg: string) => void;
}

export class RedisRunLine implements Line {
  /** This server's waiters, in the pool's order. */
  private entries: Entry[] = [];
  private leases: Leases;
  private keys: { slots: string; waiting: string; alive: string; ticket: string };
  private channel: string;
  private server = randomBytes(6).toString('base64url');
  private n = 0;
  private pumping = false;
  private again = false;

  /** The line of `o.pool`; `sub` is a client for subscriptions, through which it hears of the pool's changes. */
  constructor(
    private redis: Redis,
    private sub: Redis,
    private o: RedisLineOptions,
  ) {
    const at = `ipcpg:line:${o.pool}`;
    this.keys = { slots: `${at}:slots`, waiting: `${at}:waiting`, alive: `${at}:alive`, ticket: `${at}:ticket` };
    this.channel = at;
    // until subscribed (a moment), the lease's renewal looks at the pool as often
    this.leases = new Leases(redis, o.leaseMs, o.log, () => this.pump());
    sub.subscribe(this.channel, () => this.pump()).catch((err: Error) => o.log(`redis: cannot hear of the line's changes: ${err.message}`));
  }

  get length(): number {
    return this.entries.length;
  }

  join(w: Waiter): void {
    const e: Entry = { w, id: `${this.server}:${++this.n}`, placed: false, gone: false };
    this.entries.push(e);
    void this.place(e);
  }

  leave(owner: unknown, message: string): number {
    const gone = this.entries.filter((e) => e.w.owner === owner);
    if (!gone.length) return 0;
    this.entries = this.entries.filter((e) => e.w.owner !== owner);
    for (const e of gone) {
      e.gone = true;
      e.w.left(message);
      // one still being placed is given up when its answer comes
      if (e.placed) this.forget(e);
    }
    return gone.length;
  }

  /** Stops renewing this server's runs and places (they lapse within a lease) and listening. */
  async stop(): Promise<void> {
    this.leases.stop();
    await this.sub.unsubscribe(this.channel).catch(() => {});
  }

  private argv(e: Entry): string[] {
    return [this.channel, e.id, String(this.o.leaseMs), String(this.o.slots)];
  }

  private async place(e: Entry): Promise<void> {
    const k = this.keys;
    let answer: [number, string];
    try {
      answer = (await within(ANSWER_MS, this.redis.eval(JOIN, { keys: [k.slots, k.waiting, k.alive, k.ticket], arguments: this.argv(e) }))) as [number, string];
    } catch (err) {
      this.o.log(`redis: a start could not join the line: ${(err as Error).message}`);
      this.forget(e);
      if (e.gone) return;
      this.entries = this.entries.filter((x) => x !== e);
      return e.w.left('the class line cannot be reached right now (its Redis does not answer); try again in a moment');
    }
    const [goes, slot] = answer;
    if (e.gone) return this.forget(e);
    if (goes) {
      this.entries = this.entries.filter((x) => x !== e);
      return this.go(e, slot);
    }
    e.placed = true;
    this.leases.add(k.alive, e.id);
    this.pump();
  }

  /** `e`'s turn, with its `slot`: given back when its run is over. */
  private go(e: Entry, slot: string): void {
    this.leases.add(this.keys.slots, slot);
    let freed = false;
    e.w.go(() => {
      if (freed) return;
      freed = true;
      this.leases.drop(this.keys.slots, slot);
      this.forget(e);
    });
  }

  /** Gives up whatever `e` holds in the pool, place or slot (the others hear of it). */
  private forget(e: Entry): void {
    this.leases.drop(this.keys.alive, e.id);
    const k = this.keys;
    this.redis.eval(FORGET, { keys: [k.slots, k.waiting, k.alive], arguments: this.argv(e) }).catch((err: Error) => this.o.log(`redis: the line could not be told (what was held lapses with its lease): ${err.message}`));
  }

  /** Lets this server's first waiters go while they are first of the pool and a slot is free, then tells the rest their places. */
  private pump(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    void (async () => {
      try {
        do {
          this.again = false;
          await this.claim();
          await this.tell();
        } while (this.again);
      } catch (err) {
        this.o.log(`redis: the line could not move: ${(err as Error).message}`);
      } finally {
        this.pumping = false;
      }
    })();
  }

  private async claim(): Promise<void> {
    const k = this.keys;
    for (let e = this.entries[0]; e?.placed; e = this.entries[0]) {
      const slot = (await within(ANSWER_MS, this.redis.eval(CLAIM, { keys: [k.slots, k.waiting, k.alive], arguments: this.argv(e) }))) as string;
      if (!slot) return;
      this.leases.drop(k.alive, e.id);
      // it may have left while asking: then it gives the slot back at once
      if (e.gone) {
        this.forget(e);
        continue;
      }
      this.entries = this.entries.filter((x) => x !== e);
      this.go(e, slot);
    }
  }

  private async tell(): Promise<void> {
    const placed = this.entries.filter((e) => e.placed);
    if (!placed.length) return;
    const k = this.keys;
    const [now, ranks, slots] = (await within(ANSWER_MS, this.redis.eval(PLACES, { keys: [k.slots, k.waiting, k.alive], arguments: placed.map((e) => e.id) }))) as [number, number[], string[]];
    // the runs going, by when they started on this server's clock (Redis's may differ)
    const going = slots.map((m) => Date.now() - (now - Number(m.slice(m.lastIndexOf('|') + 1))));
    placed.forEach((e, i) => {
      if (e.gone) return;
      if (ranks[i] < 0) {
        // its lease lapsed (this server stalled past it, or Redis lost its data)
        this.entries = this.entries.filter((x) => x !== e);
        this.leases.drop(k.alive, e.id);
        return e.w.left('this run lost its place in line (the server lost touch with the class); press Run again');
      }
      const place = ranks[i] + 1;
      if (e.w.place === place) return;
      e.w.place = place;
      e.w.told(place, this.o.clock.waitFor(place, this.o.slots, going));
    });
  }
}
