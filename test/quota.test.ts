// Quotas per joined identity and per address (server/quota.ts), alone and through the socket
// layer: a client that makes up session tokens gets no more runs, rooms or connections.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { io as connect } from 'socket.io-client';
import { DEFAULT_LIMITS } from '../lib/scenario';
import { Quotas, quotasFromEnv } from '../server/quota';
import { listenLoopback, type Tab } from './harness/loopback';
import { scenario } from './helpers';

const config = { identity: { runs: 2, rooms: 1, connections: 3 }, ip: { runs: 3, rooms: 2, connections: 5 } };

describe('quotas', () => {
  it('per identity: over the limit refused with the reason; a release gives one back, once', () => {
    const q = new Quotas(config);
    const me = { identity: 'me', ip: null };
    const a = q.take('runs', me);
    const b = q.take('runs', me);
    assert.ok(a.ok && b.ok);
    const c = q.take('runs', me);
    assert.equal(c.ok, false);
    assert.equal(!c.ok && c.message, 'you have 2 runs going already (the limit is 2); stop one first');
    assert.ok(q.take('runs', { identity: 'you', ip: null }).ok, 'another identity has its own');
    if (a.ok) {
      a.release();
      a.release();
    }
    assert.ok(q.take('runs', me).ok);
    assert.equal(q.take('runs', me).ok, false, 'a second release gave nothing back');
  });

  it('per address: identities behind one address share its quota; a refusal takes nothing', () => {
    const q = new Quotas(config);
    const at = (identity: string) => ({ identity, ip: '10.0.0.9' });
    assert.ok(q.take('runs', at('a')).ok && q.take('runs', at('a')).ok && q.take('runs', at('b')).ok);
    const refused = q.take('runs', at('c'));
    assert.equal(!refused.ok && refused.message, 'your address (10.0.0.9) has 3 runs going already (the limit is 3); stop one first');
    assert.ok(q.take('runs', { identity: 'c', ip: '10.0.0.10' }).ok, 'c itself held nothing');
  });

  it('nothing is counted for a holder with neither key (loopback outside class mode)', () => {
    const q = new Quotas(config);
    for (let i = 0; i < 10; i++) assert.ok(q.take('connections', { identity: null, ip: null }).ok);
    assert.equal(q.held, 0);
  });

  it('from the environment: identity runs follow the per-tab limit; address limits are set by IPCPG_IP_*', () => {
    const c = quotasFromEnv(2, { IPCPG_IP_RUNS: '6', IPCPG_IP_CONNECTIONS: 'x' });
    assert.equal(c.identity.runs, 2);
    assert.equal(c.ip.runs, 6);
    assert.equal(c.ip.connections, 64, 'a bad value keeps the default');
  });
});

describe('quotas and rate limits on the socket layer', () => {
  /** Tabs of one made-up identity, each with a fresh session token of its own choosing. */
  async function withServer(f: (tab: (identity: string) => Tab) => Promise<void>, rates?: { socket: { burst: number; perSecond: number }; holder: { burst: number; perSecond: number } }) {
    const server = await listenLoopback({
      limits: { ...DEFAULT_LIMITS, runsPerClient: 2 },
      awayMs: 50,
      who: (req) => ({ identity: String(req.headers['x-identity']), ip: null, presenter: req.headers['x-identity'] === 'teacher' }),
      quotas: { identity: { runs: 2, rooms: 1, connections: 3 }, ip: config.ip },
      rates,
    });
    const tabs: Tab[] = [];
    try {
      await f((identity) => {
        const t: Tab = connect(server.url, { transports: ['websocket'], reconnection: false, extraHeaders: { origin: server.url, 'x-identity': identity }, auth: { client: `tok-${Math.random().toString(36).slice(2)}` } });
        tabs.push(t);
        return t;
      });
    } finally {
      for (const t of tabs) t.disconnect();
      await server.close();
    }
  }

  it('runs at once: made-up tokens give one identity no more than its quota', async () => {
    await withServer(async (tab) => {
      const sleeper = { scenario: scenario({ a: 'sleep 5000' }), options: {} };
      const [t1, t2, t3] = [tab('student'), tab('student'), tab('student')];
      const r1 = await t1.timeout(10_000).emitWithAck('run:start', sleeper);
      const r2 = await t2.timeout(10_000).emitWithAck('run:start', sleeper);
      const r3 = await t3.timeout(10_000).emitWithAck('run:start', sleeper);
      assert.ok(r1.ok && r2.ok, JSON.stringify([r1, r2]));
      assert.equal(r3.ok, false);
      assert.match(!r3.ok ? r3.errors[0].message : '', /you have 2 runs going already \(the limit is 2\)/);
      if (r1.ok) await t1.timeout(5000).emitWithAck('run:control', { runId: r1.runId, action: 'stop' });
      // the stopped run's slot comes back once it has ended
      for (let i = 0; i < 100; i++) {
        const again = await t3.timeout(10_000).emitWithAck('run:start', sleeper);
        if (again.ok) {
          await t3.timeout(5000).emitWithAck('run:control', { runId: again.runId, action: 'stop' });
          break;
        }
        assert.ok(i < 99, 'the slot never came back');
        await new Promise((r) => setTimeout(r, 50));
      }
      if (r2.ok) await t2.timeout(5000).emitWithAck('run:control', { runId: r2.runId, action: 'stop' });
    });
  });

  it('connections per identity: the one too many is told why and let go', async () => {
    await withServer(async (tab) => {
      const ok = [tab('student'), tab('student'), tab('student')];
      await Promise.all(ok.map((t) => new Promise((r) => t.once('connect', () => r(null)))));
      const extra = tab('student');
      const message = new Promise<string>((r) => extra.once('limit', (m) => r(m.message)));
      const gone = new Promise((r) => extra.once('disconnect', r));
      assert.match(await message, /you have 3 connections already \(the limit is 3\); close a tab first/);
      await gone;
    });
  });

  it('sharing live: only a presenter, one room per identity', async () => {
    await withServer(async (tab) => {
      const s = tab('student');
      const share = { scenario: scenario({ a: 'print "x"' }), view: { selection: { nodes: [], edges: [] } } };
      const refused = await s.timeout(5000).emitWithAck('follow:create', share);
      assert.deepEqual(refused, { ok: false, message: 'only the presenter may share live: join with the presenter code' });
      const [p1, p2] = [tab('teacher'), tab('teacher')];
      assert.equal((await p1.timeout(5000).emitWithAck('follow:create', share)).ok, true);
      const second = await p2.timeout(5000).emitWithAck('follow:create', share);
      assert.equal(!second.ok && second.message, 'you have 1 live session already (the limit is 1); stop one first');
      await p1.timeout(5000).emitWithAck('follow:stop');
      assert.equal((await p2.timeout(5000).emitWithAck('follow:create', share)).ok, true, 'stopping gave the room back');
    });
  });

  it('events a second: over the rate an answered event says how long to wait, an unanswered one gets a limit message', async () => {
    await withServer(
      async (tab) => {
        const t = tab('student');
        const replies = [];
        for (let i = 0; i < 5; i++) replies.push(await t.timeout(5000).emitWithAck('run:control', { runId: 'x', action: 'stop' }));
        assert.deepEqual(replies.slice(0, 3).map((r) => r.ok === false && r.message), ['no such run going on', 'no such run going on', 'no such run going on']);
        assert.deepEqual(replies[3], { ok: false, message: 'too many requests: wait 1 s' });
        const start = await t.timeout(5000).emitWithAck('run:start', { scenario: {}, options: {} });
        assert.deepEqual(start, { ok: false, errors: [{ place: '(server)', message: 'too many requests: wait 2 s' }] }, 'a start costs 5');
        const limit = new Promise<string>((r) => t.once('limit', (m) => r(m.message)));
        t.emit('follow:leave');
        assert.match(await limit, /^too many requests: wait \d s$/);
        // another identity is not slowed by this one
        assert.equal((await tab('other').timeout(5000).emitWithAck('run:control', { runId: 'x', action: 'stop' })).ok, false);
      },
      { socket: { burst: 3, perSecond: 3 }, holder: { burst: 100, perSecond: 50 } },
    );
  });
});
