// The line of runs waiting for a slot (server/line.ts), alone and through the socket layer:
// a start waits instead of being refused, is told its place, starts by itself at its turn;
// leaving (Stop) or going away takes it out.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StartReply } from '../lib/protocol';
import { DEFAULT_LIMITS } from '../lib/scenario';
import { RunLine, type Waiter } from '../server/line';
import { listenLoopback, type Tab } from './harness/loopback';
import { scenario } from './helpers';

describe('run line', () => {
  function waiter(owner: string, log: string[]): Waiter {
    return { owner, place: 0, told: (p) => log.push(`${owner}:${p}`), go: () => log.push(`${owner} goes`), left: (m) => log.push(`${owner} left: ${m}`) };
  }

  it('nobody waits while a slot is free; once someone waits, newcomers wait behind', () => {
    let slots = 1;
    const line = new RunLine(() => slots > 0);
    assert.equal(line.mustWait(), false);
    slots = 0;
    assert.equal(line.mustWait(), true);
    const log: string[] = [];
    line.join(waiter('a', log));
    slots = 1;
    assert.equal(line.mustWait(), true, 'a is first');
  });

  it('a start with a slot free and nobody waiting goes at once, untold; its free() lets the next go', () => {
    let slots = 1;
    const line = new RunLine(() => slots > 0);
    const log: string[] = [];
    let free = () => {};
    const a: Waiter = {
      ...waiter('a', log),
      go: (f) => {
        slots--;
        free = f;
        log.push('a goes');
      },
    };
    line.join(a);
    line.join(waiter('b', log));
    assert.deepEqual(log.splice(0), ['a goes', 'b:1']);
    slots++;
    free();
    assert.deepEqual(log.splice(0), ['b goes']);
  });

  it('places are told as they change; a free slot lets the first go; leaving moves the rest up', () => {
    let slots = 0;
    const line = new RunLine(() => slots > 0);
    const log: string[] = [];
    // a start takes its slot as it goes, as Run.start does
    const taking = (o: string): Waiter => ({ ...waiter(o, log), go: () => (slots--, log.push(`${o} goes`)) });
    for (const o of ['a', 'b', 'c', 'b']) line.join(taking(o));
    assert.deepEqual(log.splice(0), ['a:1', 'b:2', 'c:3', 'b:4']);
    assert.equal(line.leave('b', 'stopped'), 2);
    assert.deepEqual(log.splice(0), ['b left: stopped', 'b left: stopped', 'c:2']);
    slots = 1;
    line.pump();
    assert.deepEqual(log.splice(0), ['a goes', 'c:1']);
    line.pump();
    assert.deepEqual(log.splice(0), [], 'no slot, nobody goes');
    slots = 1;
    line.pump();
    assert.deepEqual(log.splice(0), ['c goes']);
    assert.equal(line.length, 0);
    assert.equal(line.leave('nobody', 'x'), 0);
  });
});

describe('the line on the socket layer', () => {
  it('with every slot busy a start waits in line, knows its place, leaves with Stop, and starts by itself', async () => {
    const server = await listenLoopback({ limits: { ...DEFAULT_LIMITS, runsTotal: 1 }, awayMs: 50 });
    const tabs = ['line-tab-0001', 'line-tab-0002', 'line-tab-0003'].map((t) => server.tab(t));
    const [a, b, c] = tabs;
    const places = new Map<Tab, number[]>(tabs.map((t) => [t, []]));
    for (const t of tabs) t.on('run:queue', (info) => places.get(t)!.push(info.place));
    const start = (t: Tab, program: string) => t.timeout(30_000).emitWithAck('run:start', { scenario: scenario({ p: program }), options: {} });
    try {
      const first = await start(a, 'sleep 60000');
      assert.ok(first.ok);
      const second: Promise<StartReply> = start(b, 'print "b"');
      const third: Promise<StartReply> = start(c, 'print "c"');
      for (let i = 0; i < 200 && places.get(c)!.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(places.get(b), [1]);
      assert.deepEqual(places.get(c), [2]);

      // an invalid scenario is refused at once, not after the wait
      const bad = await start(a, 'recv nowhere');
      assert.equal(bad.ok, false);
      assert.notEqual(!bad.ok && bad.errors[0].place, '(server)');

      await b.timeout(5000).emitWithAck('run:leave');
      const left = await second;
      assert.deepEqual(left, { ok: false, errors: [{ place: '(server)', message: 'you left the line' }] });
      for (let i = 0; i < 200 && places.get(c)!.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(places.get(c), [2, 1]);

      await a.timeout(5000).emitWithAck('run:control', { runId: first.ok ? first.runId : '', action: 'stop' });
      const started = await third;
      assert.ok(started.ok, JSON.stringify(started));
    } finally {
      for (const t of tabs) t.disconnect();
      for (let i = 0; i < 500 && server.layer.runCount > 0; i++) await new Promise((r) => setTimeout(r, 20));
      await server.close();
    }
  });
});
