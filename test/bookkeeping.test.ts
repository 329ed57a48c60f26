// Quotas and the run line in Redis (server/bookkeeping.ts), against a real redis-server: two
// servers count one student's runs, rooms and connections against one limit; the servers of
// one machine share its run slots and one order of waiting; a crashed server's holdings lapse
// within a lease while a live server's are kept.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient } from 'redis';
import { io as connect } from 'socket.io-client';
import type { StartReply } from '../lib/protocol';
import { DEFAULT_LIMITS } from '../lib/scenario';
import { redisBookkeeping, type Bookkeeping } from '../server/bookkeeping';
import { RunClock } from '../server/estimate';
import type { Redis } from '../server/leases';
import type { Waiter } from '../server/line';
import { RedisRunLine } from '../server/line-redis';
import { RedisQuotas } from '../server/quota-redis';
import { listenLoopback, type LoopbackServer, type Tab } from './harness/loopback';
import { redisMissing, startRedis, type TestRedis } from './harness/redis';
import { scenario } from './helpers';

const LEASE = 600;
const config = { identity: { runs: 2, rooms: 1, connections: 3 }, ip: { runs: 50, rooms: 50, connections: 50 } };
const me = { identity: 'student-1', ip: null };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = async (what: () => boolean, ms = 15_000) => {
  for (const end = Date.now() + ms; !what(); ) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(20);
  }
};

describe('quotas and the line in Redis', { skip: redisMissing() ?? false }, () => {
  let redis: TestRedis;
  const clients: Redis[] = [];
  /** A client of the test's redis-server, as one server process would have. */
  const client = async (): Promise<Redis> => {
    const c: Redis = createClient({ url: redis.url });
    c.on('error', () => {});
    await c.connect();
    clients.push(c);
    return c;
  };
  /** A server that dies: it renews nothing more and its connection drops without a word. */
  const crash = (c: Redis, part: { stop(): void | Promise<void> }) => {
    void part.stop();
    c.destroy();
  };
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    for (const c of clients) if (c.isOpen) c.destroy();
    await redis.stop();
  });

  describe('quotas', () => {
    it('two servers count one student against one limit; a release on one gives one back to the other', async () => {
      const [a, b] = [new RedisQuotas(await client(), config, { leaseMs: LEASE, log: () => {} }), new RedisQuotas(await client(), config, { leaseMs: LEASE, log: () => {} })];
      try {
        const onA = await a.take('runs', me);
        const onB = await b.take('runs', me);
        assert.ok(onA.ok && onB.ok);
        const third = await b.take('runs', me);
        assert.equal(!third.ok && third.message, 'you have 2 runs going already (the limit is 2); stop one first');
        assert.ok((await a.take('runs', { identity: 'student-2', ip: null })).ok, 'another student has their own');
        onA.release();
        onA.release();
        // given back on A's connection to Redis, taken on B's: B may ask before A's word is in
        let again = await b.take('runs', me);
        for (let i = 0; i < 50 && !again.ok; i++) {
          await sleep(20);
          again = await b.take('runs', me);
        }
        assert.ok(again.ok, 'given back on A, taken on B');
        assert.equal((await a.take('runs', me)).ok, false, 'a second release gave nothing back');
      } finally {
        a.stop();
        b.stop();
      }
    });

    it('one key over its limit refuses on every key: a refusal takes nothing', async () => {
      const q = new RedisQuotas(await client(), { ...config, ip: { runs: 1, rooms: 1, connections: 1 } }, { leaseMs: LEASE, log: () => {} });
      try {
        assert.ok((await q.take('rooms', { identity: 'p', ip: '10.0.0.7' })).ok);
        const refused = await q.take('rooms', { identity: 'q', ip: '10.0.0.7' });
        assert.equal(!refused.ok && refused.message, 'your address (10.0.0.7) has 1 live session already (the limit is 1); stop one first');
        assert.ok((await q.take('rooms', { identity: 'q', ip: '10.0.0.8' })).ok, 'q held nothing after the refusal');
      } finally {
        q.stop();
      }
    });

    it('takes racing on two servers never pass the limit', async () => {
      const books = [new RedisQuotas(await client(), config, { leaseMs: LEASE, log: () => {} }), new RedisQuotas(await client(), config, { leaseMs: LEASE, log: () => {} })];
      try {
        const who = { identity: 'racer', ip: null };
        const all = await Promise.all(Array.from({ length: 40 }, (_, i) => books[i % 2].take('connections', who)));
        assert.equal(all.filter((t) => t.ok).length, 3);
      } finally {
        for (const b of books) b.stop();
      }
    });

    it("a crashed server's holdings lapse within a lease; a live server's are renewed", async () => {
      const [ca, cb] = [await client(), await client()];
      const a = new RedisQuotas(ca, config, { leaseMs: LEASE, log: () => {} });
      const b = new RedisQuotas(cb, config, { leaseMs: LEASE, log: () => {} });
      try {
        const who = { identity: 'crashing', ip: null };
        assert.ok((await a.take('runs', who)).ok && (await a.take('runs', who)).ok);
        const kept = { identity: 'kept', ip: null };
        assert.ok((await b.take('runs', kept)).ok && (await b.take('runs', kept)).ok);
        crash(ca, a);
        assert.equal((await b.take('runs', who)).ok, false, 'held until its lease lapses');
        await sleep(LEASE * 3);
        const after = await b.take('runs', who);
        assert.ok(after.ok, 'the dead server holds nothing after its lease');
        assert.equal((await b.take('runs', kept)).ok, false, 'the living server still holds its two, three leases on');
      } finally {
        b.stop();
      }
    });

    it('Redis gone: a take is refused saying so, not let through', async () => {
      const c = await client();
      const q = new RedisQuotas(c, config, { leaseMs: LEASE, log: () => {} });
      c.destroy();
      const t = await q.take('runs', me);
      q.stop();
      assert.equal(t.ok, false);
      assert.match(!t.ok ? t.message : '', /cannot count what you hold right now \(its Redis does not answer\)/);
    });
  });

  describe('the line of one machine shared by two servers', () => {
    function waiter(owner: string, log: string[], frees: Map<string, () => void>): Waiter {
      return { owner, place: 0, told: (p) => log.push(`${owner}:${p}`), go: (free) => (frees.set(owner, free), log.push(`${owner} goes`)), left: (m) => log.push(`${owner} left: ${m}`) };
    }
    const line = async (pool: string, c?: Redis) => new RedisRunLine(c ?? (await client()), await client(), { pool, slots: 1, clock: new RunClock(), leaseMs: LEASE, log: () => {} });

    it('one order for both: places count both servers; a slot freed on either goes to the first in line', async () => {
      const [a, b] = [await line('m1'), await line('m1')];
      const log: string[] = [];
      const frees = new Map<string, () => void>();
      try {
        a.join(waiter('a1', log, frees));
        await until(() => log.includes('a1 goes'));
        b.join(waiter('b1', log, frees));
        await until(() => log.includes('b1:1'));
        a.join(waiter('a2', log, frees));
        await until(() => log.includes('a2:2'));
        b.join(waiter('b2', log, frees));
        await until(() => log.includes('b2:3'));
        // a's run ends: b1 (first, on the other server) goes, not a2 (a's own)
        frees.get('a1')!();
        await until(() => log.includes('b1 goes') && log.includes('a2:1') && log.includes('b2:2'));
        assert.ok(!log.includes('a2 goes'));
        // leaving moves those behind up, on the other server too
        assert.equal(a.leave('a2', 'you left the line'), 1);
        await until(() => log.includes('b2:1'));
        frees.get('b1')!();
        await until(() => log.includes('b2 goes'));
        // (the two servers hear of a change each in its own time: what each is told, not in which order)
        assert.deepEqual(log.slice(0, 4), ['a1 goes', 'b1:1', 'a2:2', 'b2:3']);
        assert.deepEqual(log.slice(4).sort(), ['a2 left: you left the line', 'a2:1', 'b1 goes', 'b2 goes', 'b2:1', 'b2:2']);
        frees.get('b2')!();
        assert.equal(a.length + b.length, 0);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    });

    it('another pool (another machine) has slots of its own', async () => {
      const [a, b] = [await line('m2'), await line('m3')];
      const log: string[] = [];
      const frees = new Map<string, () => void>();
      try {
        a.join(waiter('a1', log, frees));
        b.join(waiter('b1', log, frees));
        await until(() => log.includes('a1 goes') && log.includes('b1 goes'));
        for (const f of frees.values()) f();
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    });

    it("a crashed server's run and places lapse within a lease: the next in line goes", async () => {
      const ca = await client();
      const [a, b] = [await line('m4', ca), await line('m4')];
      const log: string[] = [];
      const frees = new Map<string, () => void>();
      try {
        a.join(waiter('a1', log, frees));
        await until(() => log.includes('a1 goes'));
        a.join(waiter('a2', log, frees));
        await until(() => log.includes('a2:1'));
        b.join(waiter('b1', log, frees));
        await until(() => log.includes('b1:2'));
        crash(ca, a);
        const t0 = Date.now();
        await until(() => log.includes('b1 goes'), LEASE * 6);
        assert.ok(Date.now() - t0 >= LEASE / 2, 'not before the lease could lapse');
        assert.ok(!log.includes('a2 goes'), 'a2, on the dead server, is out of the line');
        frees.get('b1')!();
      } finally {
        await b.stop();
      }
    });
  });

  describe('through the socket layer of two servers', () => {
    /** Two servers sharing a Redis (and so a machine's pool), tabs known by an identity header. */
    async function twoServers(f: (tab: (server: number, identity: string) => Tab, servers: LoopbackServer[]) => Promise<void>, runsTotal = DEFAULT_LIMITS.runsTotal) {
      const books: Bookkeeping[] = [];
      const servers: LoopbackServer[] = [];
      const tabs: Tab[] = [];
      try {
        for (let i = 0; i < 2; i++) {
          books.push(await redisBookkeeping(redis.url, { pool: `sock-${runsTotal}`, leaseMs: 2000, log: () => {} }));
          servers.push(
            await listenLoopback({
              limits: { ...DEFAULT_LIMITS, runsPerClient: 2, runsTotal },
              awayMs: 50,
              who: (req) => ({ identity: String(req.headers['x-identity']), ip: null, presenter: true }),
              quotas: config,
              bookkeeping: books[i],
            }),
          );
        }
        await f((server, identity) => {
          const url = servers[server].url;
          const t: Tab = connect(url, { transports: ['websocket'], reconnection: false, extraHeaders: { origin: url, 'x-identity': identity }, auth: { client: `tok-${Math.random().toString(36).slice(2)}` } });
          tabs.push(t);
          return t;
        }, servers);
      } finally {
        for (const t of tabs) t.disconnect();
        for (const s of servers) for (let i = 0; i < 500 && s.layer.runCount > 0; i++) await sleep(20);
        for (const s of servers) await s.close();
        for (const b of books) await b.close();
      }
    }
    const start = (t: Tab, program: string): Promise<StartReply> => t.timeout(30_000).emitWithAck('run:start', { scenario: scenario({ p: program }), options: {} });
    const stop = (t: Tab, r: StartReply) => t.timeout(5000).emitWithAck('run:control', { runId: r.ok ? r.runId : '', action: 'stop' });

    it('runs: two on one server, a third on the other is refused; connections and rooms likewise', async () => {
      await twoServers(async (tab) => {
        const [a1, a2, b1] = [tab(0, 'student'), tab(0, 'student'), tab(1, 'student')];
        const r1 = await start(a1, 'sleep 60000');
        const r2 = await start(a2, 'sleep 60000');
        assert.ok(r1.ok && r2.ok, JSON.stringify([r1, r2]));
        const r3 = await start(b1, 'sleep 60000');
        assert.match(!r3.ok ? r3.errors[0].message : '', /you have 2 runs going already \(the limit is 2\)/);
        await stop(a1, r1);
        let again: StartReply = r3;
        for (let i = 0; i < 100 && !again.ok; i++) {
          await sleep(50);
          again = await start(b1, 'sleep 60000');
        }
        assert.ok(again.ok, 'the run stopped on one server gave its quota to the other');
        await stop(b1, again);
        await stop(a2, r2);

        // connections: three tabs of one student in all (a1, a2, b1 hold them)
        const extra = tab(1, 'student');
        const limit = await new Promise<string>((r) => extra.once('limit', (m) => r(m.message)));
        assert.match(limit, /you have 3 connections already \(the limit is 3\); close a tab first/);

        // rooms: one per presenter over both servers
        const share = { scenario: scenario({ a: 'print "x"' }), view: { selection: { nodes: [], edges: [] } } };
        const [p1, p2] = [tab(0, 'teacher'), tab(1, 'teacher')];
        assert.equal((await p1.timeout(5000).emitWithAck('follow:create', share)).ok, true);
        const second = await p2.timeout(5000).emitWithAck('follow:create', share);
        assert.equal(!second.ok && second.message, 'you have 1 live session already (the limit is 1); stop one first');
      });
    });

    it("one slot for the machine's two servers: a start on the other server waits in line and starts by itself", async () => {
      await twoServers(async (tab) => {
        const [a, b] = [tab(0, 'first'), tab(1, 'second')];
        const places: number[] = [];
        b.on('run:queue', (q) => places.push(q.place));
        const first = await start(a, 'sleep 60000');
        assert.ok(first.ok);
        const second = start(b, 'print "b"');
        await until(() => places.length > 0);
        assert.deepEqual(places, [1]);
        await stop(a, first);
        const started = await second;
        assert.ok(started.ok, JSON.stringify(started));
      }, 1);
    });
  });
});
