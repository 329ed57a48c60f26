// What followers get (server/feed.ts): at most a frame every 100 ms, the latest state of what
// changed, output in order up to a bound (the rest said), the trace only while it is shown.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Frame, RunEvent } from '../lib/events';
import { FOLLOWER_FRAME_MS, FollowerFeed } from '../server/feed';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const frame = (events: RunEvent[], runId = 'r1'): Frame => ({ runId, seq: 0, events });
const out = (proc: string, text: string, t = 1): RunEvent => ({ type: 'stdout', t, proc, text });
const state = (proc: string, s: 'running' | 'sleeping', t = 1): RunEvent => ({ type: 'state', t, proc, state: s });
const call = (i: number): RunEvent => ({ type: 'syscall', t: i, proc: 'a', name: 'write', args: `${i}`, ret: '1', errno: null, ms: 0 });

function feed(trace = false) {
  const got: { at: number; f: Frame }[] = [];
  const f = new FollowerFeed((fr) => got.push({ at: Date.now(), f: fr }), () => trace);
  return { f, got };
}

describe('follower feed', () => {
  it('sends the first change at once, then at most one frame every 100 ms', async () => {
    const { f, got } = feed();
    const t0 = Date.now();
    for (let i = 0; i < 40; i++) {
      f.push(frame([out('a', `${i}\n`)]));
      await sleep(10);
    }
    await sleep(FOLLOWER_FRAME_MS + 20);
    assert.ok(got[0].at - t0 < 20, 'the first at once');
    for (let i = 1; i < got.length; i++) assert.ok(got[i].at - got[i - 1].at >= FOLLOWER_FRAME_MS - 5, `frame ${i} came ${got[i].at - got[i - 1].at} ms after the one before`);
    const ms = got.at(-1)!.at - t0;
    assert.ok(got.length <= Math.ceil(ms / FOLLOWER_FRAME_MS) + 1, `${got.length} frames in ${ms} ms`);
    // nothing lost, in order, one chunk a frame
    const text = got.flatMap((g) => g.f.events).map((e) => (e.type === 'stdout' ? e.text : '')).join('');
    assert.equal(text, Array.from({ length: 40 }, (_, i) => `${i}\n`).join(''));
    assert.ok(got.every((g) => g.f.events.filter((e) => e.type === 'stdout').length === 1));
  });

  it('keeps the latest state of each process, in the place of its latest change', () => {
    const { f, got } = feed();
    f.push(frame([out('a', 'x')]));
    f.push(frame([state('a', 'running'), state('b', 'running'), out('a', 'y'), state('a', 'sleeping', 2)]));
    f.flush();
    assert.deepEqual(
      got[1].f.events.map((e) => `${e.type} ${'proc' in e ? e.proc : ''} ${e.type === 'state' ? e.state : e.type === 'stdout' ? e.text : ''}`),
      ['state b running', 'stdout a y', 'state a sleeping'],
    );
  });

  it('merges shared-memory changes of one channel', () => {
    const { f, got } = feed();
    f.push(frame([{ type: 'run', t: 0, runId: 'r1', isolation: 'naming', processes: [], channels: [] }]));
    const obj = (offset: number, hex: string): RunEvent => ({ type: 'object', t: 1, channel: 'm', mechanism: 'shm-posix', state: { size: 8, changes: [{ offset, hex }] } });
    f.push(frame([obj(0, 'aa'), obj(4, 'bb')]));
    f.flush();
    const objects = got[1].f.events.filter((e) => e.type === 'object');
    assert.equal(objects.length, 1);
    assert.deepEqual(objects[0].type === 'object' && objects[0].state.changes, [{ offset: 0, hex: 'aa' }, { offset: 4, hex: 'bb' }]);
  });

  it('bounds output per process a frame, and says how much it left out', () => {
    const { f, got } = feed();
    f.push(frame([out('a', 'start\n')]));
    f.push(frame([out('a', 'x'.repeat(5000)), out('b', 'small')]));
    f.flush();
    const ev = got[1].f.events;
    const a = ev.filter((e) => e.type === 'stdout' && e.proc === 'a').map((e) => (e.type === 'stdout' ? e.text.length : 0));
    assert.deepEqual(a, [2048]);
    assert.ok(ev.some((e) => e.type === 'stdout' && e.proc === 'b' && e.text === 'small'));
    assert.ok(ev.some((e) => e.type === 'notice' && e.proc === 'a' && e.message === '2952 characters of output came too fast to send to followers'));
  });

  it('leaves the trace out unless it is shown; shown, a frame carries its tail', () => {
    const hidden = feed(false);
    hidden.f.push(frame([out('a', '.')]));
    hidden.f.push(frame(Array.from({ length: 50 }, (_, i) => call(i))));
    hidden.f.flush();
    assert.equal(hidden.got.length, 1, 'no frame of calls alone');
    const shown = feed(true);
    shown.f.push(frame([out('a', '.')]));
    shown.f.push(frame(Array.from({ length: 50 }, (_, i) => call(i))));
    shown.f.flush();
    const calls = shown.got[1].f.events.filter((e) => e.type === 'syscall');
    assert.deepEqual(calls.map((e) => e.t), Array.from({ length: 30 }, (_, i) => i + 20));
    assert.ok(shown.got[1].f.events.some((e) => e.type === 'notice' && e.message.startsWith('20 trace events left out')));
  });

  it('a new run sends the last one\'s remainder first; the end goes at once', () => {
    const { f, got } = feed();
    f.push(frame([out('a', '1')], 'r1'));
    f.push(frame([out('a', '2')], 'r1'));
    f.push(frame([{ type: 'end', t: 5, reason: 'finished', processes: [], channels: [], leftovers: [], ms: 5 }], 'r1'));
    f.push(frame([out('a', 'new')], 'r2'));
    f.flush();
    assert.deepEqual(got.map((g) => [g.f.runId, g.f.events.map((e) => e.type).join(',')]), [
      ['r1', 'stdout'],
      ['r1', 'stdout,end'],
      ['r2', 'stdout'],
    ]);
  });
});
