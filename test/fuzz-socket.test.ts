// Seeded fuzzing of the socket.io surface, on a real server (socket.io and the session layer,
// on 127.0.0.1) with real runs: random events, random arguments with and without an
// acknowledgement, valid runs then random commands at them, and raw malformed packets on a
// bare WebSocket. No crash, no unhandled rejection, no hang (every acknowledgement comes),
// every refusal says why and, for a scenario, where; afterwards the server still runs a
// scenario, and nothing of any run is left. FUZZ_CASES sets the size (default 400).
// Also here, as it needs the same server: the limit of runs at once per tab.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import WebSocket from 'ws';
import { DEFAULT_LIMITS } from '../lib/scenario';
import { listenLoopback, type Tab } from './harness/loopback';
import { prng } from './harness/soak';
import { PLACE, int, mutate, pick, randomValue, type Rand } from './fuzzgen';
import { hostLeftovers, scenario } from './helpers';

const CASES = Number(process.env.FUZZ_CASES ?? 400);
const SEED = Number(process.env.FUZZ_SEED ?? 42);
const root = path.resolve(import.meta.dirname, '..');
const gallery = fs.readdirSync(path.join(root, 'examples')).map((f) => JSON.parse(fs.readFileSync(path.join(root, 'examples', f), 'utf8')));

const EVENTS = ['run:start', 'run:leave', 'run:control', 'follow:create', 'follow:update', 'follow:stop', 'follow:join', 'follow:leave', '__proto__', 'toString', 'x'.repeat(300)];
/** Events the server acknowledges whenever it is given a function. */
const ACKED = new Set(['run:start', 'run:leave', 'run:control', 'follow:create', 'follow:stop', 'follow:join']);
const ACTIONS = ['pause', 'resume', 'step', 'speed', 'trace', 'signal', 'stop', 'kill', '', 'toString'];
// (the reserved event names only a forged packet can carry)
const RAW = ['42', '42["disconnect"]', '42["connect",1]', '42["disconnecting"]', '41', '42[', '42["run:start"', '42[1,2,3]', '42["run:control",{"runId":{"toString":1}}]', '421["run:start",null]', '4{}', '40{"x":', '2', '6', 'x', '43["run:start"]', `42["run:start",${'['.repeat(5000)}`];

const UNLIMITED = { burst: 1e9, perSecond: 1e9 };

const tiny = () => scenario({ a: 'sleep 200\nprint "a"', b: 'recv c1 as m' }, [['c1', 'a', 'b', 'pipe']]);

function randomCommand(r: Rand, runIds: string[]): unknown {
  if (r() < 0.2) return randomValue(r);
  const cmd: Record<string, unknown> = { runId: runIds.length && r() < 0.8 ? pick(r, runIds) : randomValue(r), action: pick(r, ACTIONS) };
  if (r() < 0.5) cmd.proc = pick(r, ['a', 'b', 'c', randomValue(r)]);
  if (r() < 0.4) cmd.sps = pick(r, [0, 5, -1, 1e9, NaN, '5', null]);
  if (r() < 0.4) cmd.signal = pick(r, ['SIGUSR1', 'SIGTERM', 'SIGKILL', 'SIGSTOP', 9, '9', randomValue(r)]);
  if (r() < 0.2) cmd.on = randomValue(r);
  return cmd;
}

function checkReply(event: string, reply: unknown, input: unknown): void {
  const where = `${event} ${JSON.stringify(input)?.slice(0, 200)} → ${JSON.stringify(reply)?.slice(0, 300)}`;
  assert.ok(reply && typeof reply === 'object', where);
  const r = reply as { ok?: unknown; errors?: { place: string; message: string }[]; message?: unknown; runId?: unknown };
  assert.equal(typeof r.ok, 'boolean', where);
  if (event === 'run:start') {
    if (r.ok) return assert.equal(typeof r.runId, 'string', where);
    assert.ok(Array.isArray(r.errors) && r.errors.length > 0, where);
    for (const e of r.errors) {
      assert.ok(e.place === '(server)' || PLACE.test(e.place), `bad place ${e.place}: ${where}`);
      assert.ok(e.message.length > 0, where);
    }
  } else if (!r.ok && event !== 'follow:join') {
    assert.ok(typeof r.message === 'string' && r.message.length > 0, where);
  }
}

async function rawPackets(url: string, origin: string, packets: string[]): Promise<void> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`, { headers: { origin } });
  await new Promise<void>((resolve) => {
    ws.on('open', () => {
      ws.send('40');
      for (const p of packets) ws.send(p);
      ws.send(Buffer.from([0xff, 0x00, 0x42]));
      setTimeout(() => ws.close(), 50);
    });
    ws.on('close', () => resolve());
    ws.on('error', () => resolve());
  });
}

it(`socket.io payloads: ${CASES} random events, arguments and raw packets (seed ${SEED})`, async (t) => {
  const faults: unknown[] = [];
  const onFault = (e: unknown) => faults.push(e);
  process.on('uncaughtException', onFault);
  process.on('unhandledRejection', onFault);

  // rate limits out of the way: the cases are to reach the handlers (test/quota.test.ts covers the limits)
  const server = await listenLoopback({ limits: { ...DEFAULT_LIMITS, runsPerClient: 3, wallMs: 5000 }, awayMs: 50, rates: { socket: UNLIMITED, holder: UNLIMITED } });
  const { url, layer } = server;
  const open = server.tab;
  const runIds: string[] = [];
  const count = { acknowledged: 0, unacknowledged: 0, rawConnections: 0, refusals: 0 };

  try {
    const r = prng(SEED + 10);
    let socket: Tab = open('fuzz-tab-0001');
    for (let i = 0; i < CASES; i++) {
      if (!socket.connected) await new Promise<void>((res) => socket.once('connect', () => res()));
      const kind = r();
      let event: string;
      let args: unknown[];
      if (kind < 0.08) {
        event = 'run:start';
        args = [{ scenario: tiny(), options: r() < 0.5 ? {} : randomValue(r) }];
      } else if (kind < 0.4) {
        event = 'run:control';
        args = [randomCommand(r, runIds)];
      } else if (kind < 0.55) {
        event = 'run:start';
        args = [r() < 0.7 ? { scenario: mutate(r, pick(r, gallery)), options: randomValue(r) } : randomValue(r)];
      } else if (kind < 0.97) {
        event = pick(r, EVENTS);
        args = Array.from({ length: int(r, 3) }, () => randomValue(r));
      } else {
        await rawPackets(url, url, Array.from({ length: 1 + int(r, 4) }, () => pick(r, RAW)));
        count.rawConnections++;
        continue;
      }
      if (ACKED.has(event) && r() < 0.9) {
        // every acknowledged event must be answered: a missing answer is a hang
        // a start answers once its C is compiled: the page waits 20 s for that, as here
        const reply = await socket
          .timeout(event === 'run:start' ? 20_000 : 5000)
          .emitWithAck(event as 'run:start', ...(args as [never]))
          .catch((e: Error) => assert.fail(`case ${i}: ${event} ${JSON.stringify(args)?.slice(0, 300)}: ${e.message}`));
        checkReply(event, reply, args[0]);
        count.acknowledged++;
        if (!(reply as { ok: boolean }).ok) count.refusals++;
        const id = (reply as { runId?: string }).runId;
        if (id) runIds.push(id);
      } else {
        (socket.emit as (ev: string, ...a: unknown[]) => void)(event, ...args);
        count.unacknowledged++;
      }
      if (r() < 0.01) {
        // a tab that goes away and comes back under the same token
        socket.disconnect();
        socket = open('fuzz-tab-0001');
      }
    }
    assert.ok(runIds.length > 0, 'some valid runs were started');
    t.diagnostic(`${JSON.stringify(count)}, runs started: ${runIds.length}`);

    // the server still works: a fresh tab runs a scenario to its end, cleanly
    const fresh = open('fuzz-tab-0002');
    const end = new Promise<{ leftovers: string[]; reason: string }>((resolve) => {
      fresh.on('run:frame', (f) => {
        for (const e of f.events) if (e.type === 'end') resolve(e);
      });
    });
    const reply = await fresh.timeout(5000).emitWithAck('run:start', { scenario: tiny(), options: {} });
    assert.equal(reply.ok, true, JSON.stringify(reply));
    const e = await end;
    assert.equal(e.reason, 'finished');
    assert.deepEqual(e.leftovers, []);

    socket.disconnect();
    fresh.disconnect();
    // after their time away every run of the gone tabs is stopped and cleaned
    for (const until = Date.now() + 15_000; layer.runCount > 0 && Date.now() < until; ) await new Promise((res) => setTimeout(res, 20));
    assert.equal(layer.runCount, 0, 'runs still going after both tabs left');
    for (const id of runIds) assert.deepEqual(hostLeftovers(id), [], id);
    assert.deepEqual(faults, []);
  } finally {
    process.off('uncaughtException', onFault);
    process.off('unhandledRejection', onFault);
    await server.close();
  }
});

it('runs at once per tab: over the limit a start is refused with the reason, and another tab may still run', async () => {
  const server = await listenLoopback({ limits: { ...DEFAULT_LIMITS, runsPerClient: 2 }, awayMs: 50 });
  const [tab, other] = [server.tab('limit-tab-0001'), server.tab('limit-tab-0002')];
  try {
    const sleeper = { scenario: scenario({ a: 'sleep 5000' }), options: {} };
    const start = (s: Tab) => s.timeout(10_000).emitWithAck('run:start', sleeper);
    const first = await start(tab);
    const second = await start(tab);
    const third = await start(tab);
    assert.ok(first.ok && second.ok);
    assert.equal(third.ok, false);
    assert.match(!third.ok ? third.errors[0].message : '', /this tab already has 2 runs going \(the limit is 2\); stop one first/);
    const elsewhere = await start(other);
    assert.ok(elsewhere.ok, 'the limit is per tab');
    for (const [s, r] of [[tab, first], [tab, second], [other, elsewhere]] as const) if (r.ok) await s.timeout(5000).emitWithAck('run:control', { runId: r.runId, action: 'stop' });
  } finally {
    tab.disconnect();
    other.disconnect();
    await server.close();
  }
});
