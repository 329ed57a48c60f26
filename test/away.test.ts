// A presenter's tab is not the run's life (server/socket.ts): a tab that goes away leaves its
// run going; coming back under its token it is sent the run's whole picture; a live room
// tells followers the presenter is away and keeps its link and short code; only a session
// left alone for its time away has its runs stopped and its room ended.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { io as connect } from 'socket.io-client';
import type { Frame } from '../lib/events';
import type { FollowCreateReply, FollowJoinReply, FollowPresenterState, ServerToClient } from '../lib/protocol';
import { DEFAULT_LIMITS } from '../lib/scenario';
import { listenLoopback, type Tab } from './harness/loopback';
import { scenario } from './helpers';

type SessionInfo = Parameters<ServerToClient['session']>[0];

const TICKER = 'repeat 200 {\n  print "tick {i}"\n  sleep 50\n}';

const sessionOf = (t: Tab) => new Promise<SessionInfo>((res) => t.once('session', res));
const connected = (t: Tab) => new Promise<void>((res) => (t.connected ? res() : t.once('connect', () => res())));
const until = async (what: () => boolean, ms = 10_000) => {
  for (const end = Date.now() + ms; !what(); ) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};
const textOf = (f: Frame | null, proc: string) => (f?.events ?? []).map((e) => (e.type === 'stdout' && e.proc === proc ? e.text : '')).join('');

describe('a tab that goes away', () => {
  it('leaves its run going; back under its token it gets the run so far, and controls it again', async () => {
    const server = await listenLoopback({ limits: DEFAULT_LIMITS, awayMs: 30_000 });
    try {
      const first = server.tab('away-tab-0001');
      let seen = '';
      first.on('run:frame', (f) => (seen += textOf(f, 'p')));
      const started = await first.timeout(20_000).emitWithAck('run:start', { scenario: scenario({ p: TICKER }), options: {} });
      assert.ok(started.ok, JSON.stringify(started));
      await until(() => seen.includes('tick 3'));
      first.disconnect();
      await new Promise((r) => setTimeout(r, 600));
      assert.equal(server.layer.runCount, 1, 'the run goes on without its tab');

      const back = server.tab('away-tab-0001');
      const info = await sessionOf(back);
      assert.deepEqual(info.runs, [started.runId]);
      assert.equal(info.snapshot?.runId, started.runId);
      const text = textOf(info.snapshot, 'p');
      assert.match(text, /^tick 1\ntick 2\ntick 3\n/, 'the terminal from its first line');
      assert.match(text, /tick (1[0-9]|[4-9])\n$/, 'and what was printed while away');
      const stopped = await back.timeout(5000).emitWithAck('run:control', { runId: started.runId, action: 'stop' });
      assert.deepEqual(stopped, { ok: true });
      await until(() => server.layer.runCount === 0);
      back.disconnect();
    } finally {
      await server.close();
    }
  });

  it('a run that ended while its tab was away is shown ended when the tab comes back', async () => {
    const server = await listenLoopback({ limits: DEFAULT_LIMITS, awayMs: 30_000 });
    try {
      const first = server.tab('away-tab-0002');
      await connected(first);
      const started = await first.timeout(20_000).emitWithAck('run:start', { scenario: scenario({ p: 'sleep 300\nprint "done"' }), options: {} });
      assert.ok(started.ok);
      first.disconnect();
      await until(() => server.layer.runCount === 0);
      const back = server.tab('away-tab-0002');
      const info = await sessionOf(back);
      assert.deepEqual(info.runs, []);
      assert.equal(textOf(info.snapshot, 'p'), 'done\n');
      assert.ok(info.snapshot?.events.some((e) => e.type === 'end' && e.reason === 'finished'));
      back.disconnect();
    } finally {
      await server.close();
    }
  });

  it('is stopped only once it has been away longer than its time away', async () => {
    const server = await listenLoopback({ limits: DEFAULT_LIMITS, awayMs: 700 });
    try {
      const tab = server.tab('away-tab-0003');
      const started = await tab.timeout(20_000).emitWithAck('run:start', { scenario: scenario({ p: TICKER }), options: {} });
      assert.ok(started.ok);
      tab.disconnect();
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(server.layer.runCount, 1);
      await until(() => server.layer.runCount === 0, 10_000);
    } finally {
      await server.close();
    }
  });
});

describe('a new tab', () => {
  it('in class mode takes over the session its identity left, and only its own', async () => {
    const server = await listenLoopback({
      limits: DEFAULT_LIMITS,
      awayMs: 30_000,
      // the identity as the edge would give it, here from a header
      who: (req) => ({ identity: String(req.headers['x-who']), ip: '127.0.0.1', presenter: true }),
    });
    const tabOf = (who: string, client: string): Tab => connect(server.url, { transports: ['websocket'], extraHeaders: { origin: server.url, 'x-who': who }, reconnection: false, auth: { client } });
    try {
      const first = tabOf('alice', 'alice-tab-0001');
      const started = await first.timeout(20_000).emitWithAck('run:start', { scenario: scenario({ p: TICKER }), options: {} });
      assert.ok(started.ok);
      first.disconnect();
      await new Promise((r) => setTimeout(r, 200));
      const bob = tabOf('bob', 'bob-tab-00000001');
      assert.deepEqual((await sessionOf(bob)).runs, [], 'another identity gets nothing');
      const second = tabOf('alice', 'alice-tab-0002');
      const info = await sessionOf(second);
      assert.deepEqual(info.runs, [started.runId]);
      assert.equal(info.snapshot?.runId, started.runId);
      assert.deepEqual(await second.timeout(5000).emitWithAck('run:control', { runId: started.runId, action: 'stop' }), { ok: true });
      await until(() => server.layer.runCount === 0);
      for (const t of [bob, second]) t.disconnect();
    } finally {
      await server.close();
    }
  });
});

describe('a live room while its presenter is away', () => {
  it('tells followers, keeps its link and code, and resumes when the presenter is back', async () => {
    const server = await listenLoopback({ limits: DEFAULT_LIMITS, awayMs: 30_000 });
    try {
      const presenter = server.tab('away-presenter-01');
      await connected(presenter);
      const view = { selection: { nodes: [], edges: [] } };
      const shared: FollowCreateReply = await presenter.timeout(5000).emitWithAck('follow:create', { scenario: scenario({ p: TICKER }), view });
      assert.ok(shared.ok);
      assert.match(shared.code, /^[A-HJ-NP-Z2-9]{6}$/);

      const follower = server.tab();
      await connected(follower);
      const states: FollowPresenterState[] = [];
      follower.on('follow:status', (s) => states.push(s.presenter));
      // the short code joins the same room, in any case
      const joined: FollowJoinReply = await follower.timeout(5000).emitWithAck('follow:join', { token: shared.code.toLowerCase() });
      assert.ok(joined.ok, JSON.stringify(joined));
      const wrong: FollowJoinReply = await follower.timeout(5000).emitWithAck('follow:join', { token: 'ZZZZZ0' });
      assert.equal(wrong.ok, false);
      const again: FollowJoinReply = await follower.timeout(5000).emitWithAck('follow:join', { token: shared.token });
      assert.ok(again.ok);

      presenter.disconnect();
      await until(() => states.includes('away'));
      await new Promise((r) => setTimeout(r, 300));
      assert.ok(!states.includes('ended'), 'the room outlives the presenter for its time away');

      const back = server.tab('away-presenter-01');
      const info = await sessionOf(back);
      assert.equal(info.sharing, true);
      await until(() => states.at(-1) === 'here');
      const same: FollowCreateReply = await back.timeout(5000).emitWithAck('follow:create', { scenario: scenario({ p: TICKER }), view });
      assert.deepEqual(same.ok && [same.token, same.code], [shared.token, shared.code], 'one Share live keeps its link and code');
      for (const t of [back, follower]) t.disconnect();
    } finally {
      await server.close();
    }
  });

  it('ends, with its code, once the presenter has been away longer than its time away', async () => {
    const server = await listenLoopback({ limits: DEFAULT_LIMITS, awayMs: 300 });
    try {
      const presenter = server.tab('away-presenter-02');
      await connected(presenter);
      const shared: FollowCreateReply = await presenter.timeout(5000).emitWithAck('follow:create', { scenario: scenario({ p: '' }), view: { selection: { nodes: [], edges: [] } } });
      assert.ok(shared.ok);
      const follower = server.tab();
      await connected(follower);
      const states: FollowPresenterState[] = [];
      follower.on('follow:status', (s) => states.push(s.presenter));
      assert.ok((await follower.timeout(5000).emitWithAck('follow:join', { token: shared.code })).ok);
      presenter.disconnect();
      await until(() => states.at(-1) === 'ended');
      assert.deepEqual(states, ['away', 'ended']);
      const late: FollowJoinReply = await follower.timeout(5000).emitWithAck('follow:join', { token: shared.code });
      assert.equal(late.ok, false);
      follower.disconnect();
    } finally {
      await server.close();
    }
  });
});
