// Several servers, one class (server/cluster.ts): two servers joined through a real
// redis-server; a follower on the other server than its presenter finds the room by its code,
// gets the picture so far and every frame after it, and counts among the presenter's followers.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Frame } from '../lib/events';
import type { FollowCreateReply, FollowJoinReply } from '../lib/protocol';
import { DEFAULT_LIMITS } from '../lib/scenario';
import { joinCluster } from '../server/cluster';
import { listenLoopback, type LoopbackServer, type Tab } from './harness/loopback';
import { redisMissing, startRedis } from './harness/redis';
import { scenario } from './helpers';

const connected = (t: Tab) => new Promise<void>((res) => (t.connected ? res() : t.once('connect', () => res())));
const until = async (what: () => boolean, ms = 15_000) => {
  for (const end = Date.now() + ms; !what(); ) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};
const textOf = (events: Frame['events'], proc: string) => events.map((e) => (e.type === 'stdout' && e.proc === proc ? e.text : '')).join('');

describe('two servers, one class', { skip: redisMissing() ?? false }, () => {
  it('a follower on the other server follows the presenter from its first line on', async () => {
    const redis = await startRedis();
    const servers: LoopbackServer[] = [];
    const leave: (() => Promise<void>)[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const s = await listenLoopback({ limits: DEFAULT_LIMITS, awayMs: 30_000 });
        leave.push(await joinCluster(s.io, redis.url, () => {}));
        s.layer.follow.clustered = true;
        servers.push(s);
      }
      const [a, b] = servers;
      const presenter = a.tab('cluster-presenter-1');
      await connected(presenter);
      const counts: number[] = [];
      presenter.on('follow:count', (c) => counts.push(c.followers));
      const ticker = scenario({ p: 'repeat 40 {\n  print "tick {i}"\n  sleep 50\n}' });
      const room: FollowCreateReply = await presenter.timeout(5000).emitWithAck('follow:create', { scenario: ticker, view: { selection: { nodes: [], edges: [] } } });
      assert.ok(room.ok);
      const started = await presenter.timeout(20_000).emitWithAck('run:start', { scenario: ticker, options: {} });
      assert.ok(started.ok);
      await new Promise((r) => setTimeout(r, 500));

      const follower = b.tab();
      await connected(follower);
      const frames: Frame[] = [];
      follower.on('run:frame', (f) => frames.push(f));
      const joined: FollowJoinReply = await follower.timeout(10_000).emitWithAck('follow:join', { token: room.code });
      assert.ok(joined.ok, JSON.stringify(joined));
      assert.equal(joined.presenter, 'here');
      await until(() => counts.at(-1) === 1);
      await until(() => frames.some((f) => f.events.some((e) => e.type === 'end')));
      // the picture, then the frames from `since` on: every tick once, in order
      const after = frames.filter((f) => f.seq >= joined.since).flatMap((f) => f.events);
      const text = textOf(joined.snapshot?.events ?? [], 'p') + textOf(after, 'p');
      assert.equal(text, Array.from({ length: 40 }, (_, i) => `tick ${i + 1}\n`).join(''));

      follower.disconnect();
      await until(() => counts.at(-1) === 0);
      presenter.disconnect();
    } finally {
      for (const s of servers) await s.close();
      for (const l of leave) await l();
      await redis.stop();
    }
  });
});
