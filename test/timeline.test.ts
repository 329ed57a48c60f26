// The timeline model: which arrows a recording draws (bytes followed through a stream,
// messages in order, semaphore wake-ups, signals), blocked intervals, object lanes, dense
// traffic folded into counted bundles, and the time <-> y mapping the cursor uses. A syscall
// event's t is when the call returned, ms how long it took.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChannelInfo, RunEvent } from '../lib/events';
import { RECORDING_KIND, type Recording } from '../lib/recording/format';
import { DEFAULT_BUDGET } from '../lib/recording/recorder';
import { buildTimeline, previewOf, tAt, yAt } from '../lib/timeline/model';
import { renderTimeline } from '../lib/timeline/svg';

const channels: ChannelInfo[] = [
  { id: 'p', label: 'pipe1', mechanism: 'pipe', links: [{ process: 'a', end: 'from' }, { process: 'b', end: 'to' }] },
  { id: 'q', label: 'queue', mechanism: 'mq-sysv', links: [{ process: 'a', end: 'from' }, { process: 'b', end: 'to' }] },
  { id: 's', label: 'full', mechanism: 'sem-named', links: [{ process: 'a', end: 'from' }, { process: 'b', end: 'to' }] },
  // objects shared by three: a FIFO with two writers, a queue that both a and c take from
  { id: 'f', label: 'log', mechanism: 'fifo', links: [{ process: 'a', end: 'from' }, { process: 'c', end: 'from' }, { process: 'b', end: 'to' }] },
  { id: 'w', label: 'jobs', mechanism: 'mq-sysv', links: [{ process: 'a', end: 'from' }, { process: 'b', end: 'from' }, { process: 'c', end: 'from' }] },
  { id: 'l', label: 'ipc_file', mechanism: 'file', links: [{ process: 'a', end: 'from' }, { process: 'b', end: 'to' }, { process: 'c', end: 'to' }] },
];

function recording(events: RunEvent[], title = 'test'): Recording {
  return {
    kind: RECORDING_KIND, version: 1, recordedAt: '2026-12-02T00:00:00.000Z', scenario: { title }, budget: DEFAULT_BUDGET,
    coalesced: { traceLeftOut: 0, detailLeftOut: {}, countersMerged: 0, statesMerged: 0, textLeftOut: {}, shmLeftOut: 0 },
    events: [{ type: 'run', t: 0, runId: 'r', isolation: 'naming', processes: [{ id: 'a', name: 'writer', pid: 1 }, { id: 'b', name: 'reader', pid: 2 }, { id: 'c', name: 'other', pid: 3 }], channels }, ...events],
  };
}
const call = (t: number, proc: string, name: string, channel: string, args: string, ret: string, ms = 0.01): RunEvent => ({ type: 'syscall', t, proc, name, args, ret, errno: null, ms, channel });

describe('timeline model', () => {
  it("a forked child's lifeline branches from its parent's, next to it, from the fork to its exit", () => {
    const m = buildTimeline(recording([
      { type: 'fork', t: 2, proc: 'a.1', parent: 'a', name: 'writer.1', pid: 11 },
      { type: 'fork', t: 3, proc: 'a.2', parent: 'a', name: 'writer.2', pid: 12 },
      { type: 'exit', t: 5, proc: 'a.1', code: 3, signal: null },
      { type: 'reaped', t: 6, proc: 'a.1', by: 'a' },
      { type: 'exit', t: 7, proc: 'a.2', code: 0, signal: null },
    ]));
    assert.deepEqual(m.processes.map((p) => p.id), ['a', 'a.1', 'a.2', 'b', 'c']);
    assert.deepEqual(m.life['a.1'], { t0: 2, t1: 5 });
    assert.deepEqual(m.forks, [{ parent: 'a', child: 'a.1', t: 2 }, { parent: 'a', child: 'a.2', t: 3 }]);
    assert.match(renderTimeline(m), /fork\(\): a\.1/);
  });

  it("an object shared by three: each writer's bytes go to the reader that took them; a queue's message to whoever took it", () => {
    const m = buildTimeline(recording([
      call(1, 'a', 'write', 'f', '7, "from a", 6', '6'),
      call(2, 'c', 'write', 'f', '7, "from c", 6', '6'),
      call(3, 'b', 'read', 'f', '6, "from afrom c", 64', '12'),
      call(4, 'b', 'msgsnd', 'w', '0, {1, "job"}, 3, 0', '0'),
      call(5, 'c', 'msgrcv', 'w', '0, {"job"}, 8192, 1, MSG_NOERROR', '3'),
    ]));
    const log = m.arrows.filter((a) => a.channel === 'f');
    assert.deepEqual(log.map((a) => [a.from, a.to, a.bytes, a.label]), [['a', 'b', 6, 'from a'], ['c', 'b', 6, 'from c']]);
    assert.deepEqual(m.arrows.filter((a) => a.channel === 'w').map((a) => [a.from, a.to, a.label]), [['b', 'c', 'job']]);
  });

  it('follows bytes through a stream: one read taking two writes draws two arrows', () => {
    const m = buildTimeline(recording([
      call(1, 'a', 'write', 'p', '7, "hel", 3', '3'),
      call(2, 'a', 'write', 'p', '7, "lo", 2', '2'),
      call(3, 'b', 'read', 'p', '6, "hell", 1024', '4', 2.5),
      call(4, 'b', 'read', 'p', '6, "o", 1024', '1'),
    ]));
    const data = m.arrows.filter((a) => a.kind === 'data');
    assert.deepEqual(data.map((a) => [a.t0, a.t1, a.bytes, a.label]), [[1, 3, 3, 'hel'], [2, 3, 1, 'lo'], [2, 4, 1, 'lo']]);
    assert.ok(data.every((a) => a.from === 'a' && a.to === 'b' && a.channel === 'p'));
  });

  it('matches messages in order, and sem posts to the waits they woke', () => {
    const m = buildTimeline(recording([
      call(1, 'a', 'msgsnd', 'q', '0, {1, "one"}, 3, 0', '0'),
      call(2, 'a', 'msgsnd', 'q', '0, {1, "two"}, 3, 0', '0'),
      call(3, 'b', 'msgrcv', 'q', '0, {"one"}, 8192, 1, MSG_NOERROR', '3'),
      call(5, 'a', 'sem_post', 's', '0x1', '0'),
      call(5.5, 'b', 'sem_wait', 's', '0x1', '0', 2),
      call(6, 'b', 'msgrcv', 'q', '0, {"two"}, 8192, 1, MSG_NOERROR', '3'),
    ]));
    assert.deepEqual(m.arrows.filter((a) => a.channel === 'q').map((a) => [a.t0, a.label, a.bytes]), [[1, 'one', 3], [2, 'two', 3]]);
    const sem = m.arrows.filter((a) => a.kind === 'sem');
    assert.equal(sem.length, 1);
    assert.deepEqual([sem[0].from, sem[0].to, sem[0].t0, sem[0].t1], ['a', 'b', 5, 5.5]);
  });

  it("draws a file lock's release to the blocked F_SETLKW it let through: unlock, close or exit; not a lock taken at once", () => {
    const lock = (t: number, proc: string, cmd: string, type: string, ms = 0.005) => call(t, proc, 'fcntl', 'l', `3, ${cmd}, {l_type=${type}, l_whence=SEEK_SET, l_start=0, l_len=0}`, '0', ms);
    const m = buildTimeline(recording([
      lock(1, 'a', 'F_SETLKW', 'F_WRLCK'),
      // b waits from 2 to 10.05: a's unlock began at 10 and returned after b got the lock
      lock(10.05, 'b', 'F_SETLKW', 'F_RDLCK', 8.05),
      lock(10.1, 'a', 'F_SETLK', 'F_UNLCK', 0.1),
      // c waits from 11 until b closes the file (which frees b's lock)
      call(20, 'b', 'close', 'l', '3', '0'),
      lock(20.01, 'c', 'F_SETLKW', 'F_WRLCK', 9.01),
      // c exits holding it; a, blocked meanwhile, takes it
      { type: 'exit', t: 30, proc: 'c', code: 0, signal: null },
      lock(30.02, 'a', 'F_SETLKW', 'F_WRLCK', 5),
      // a lock taken at once after a release is no hand-over, nor is a release by one who held nothing
      lock(40, 'a', 'F_SETLK', 'F_UNLCK'),
      call(41, 'c', 'close', 'l', '3', '0'),
      lock(45, 'b', 'F_SETLKW', 'F_WRLCK', 0.01),
    ]));
    const locks = m.arrows.filter((a) => a.kind === 'lock');
    assert.deepEqual(locks.map((a) => [a.from, a.to, a.t0, a.t1, a.how, a.label]), [
      ['a', 'b', 10.05, 10.05, 'F_UNLCK', 'ipc_file'],
      ['b', 'c', 20, 20.01, 'close', 'ipc_file'],
      ['c', 'a', 30, 30.02, 'exit', 'ipc_file'],
    ]);
    const svg = renderTimeline(m);
    assert.equal((svg.match(/data-kind="lock"/g) ?? []).length, 3);
    assert.match(svg, /lock ipc_file/);
    assert.match(svg, /3 lock hand-overs/);
  });

  it('draws a signal from kill to delivery, merged sends counted', () => {
    const m = buildTimeline(recording([
      { type: 'signal', t: 1, signal: 'SIGUSR1', from: 'a', to: 'b', phase: 'sent' },
      { type: 'signal', t: 1.2, signal: 'SIGUSR1', from: 'a', to: 'b', phase: 'sent' },
      { type: 'signal', t: 2, signal: 'SIGUSR1', from: null, to: 'b', phase: 'delivered' },
      { type: 'signal', t: 2, signal: 'SIGUSR1', from: null, to: 'b', phase: 'handled' },
    ]));
    const sig = m.arrows.filter((a) => a.kind === 'signal');
    assert.deepEqual(sig.map((a) => [a.from, a.to, a.t0, a.t1, a.label, a.count]), [['a', 'b', 1, 2, 'SIGUSR1', 2]]);
  });

  it('takes a kill that returned just after the delivery it caused as its sender', () => {
    const m = buildTimeline(recording([
      { type: 'signal', t: 2, signal: 'SIGUSR2', from: null, to: 'a', phase: 'delivered' },
      { type: 'signal', t: 2.05, signal: 'SIGUSR2', from: 'b', to: 'a', phase: 'sent' },
      { type: 'signal', t: 5, signal: 'SIGUSR2', from: 'b', to: 'a', phase: 'sent' },
      { type: 'signal', t: 5.1, signal: 'SIGUSR2', from: null, to: 'a', phase: 'delivered' },
    ]));
    assert.deepEqual(m.arrows.map((a) => [a.t0, a.t1, a.count]), [[2, 2, 1], [5, 5.1, 1]]);
  });

  it('shades blocked intervals with their call and channel, and draws lanes of object state', () => {
    const m = buildTimeline(recording([
      { type: 'state', t: 1, proc: 'b', state: 'blocked', call: 'read', channel: 'p' },
      { type: 'object', t: 2, channel: 'p', mechanism: 'pipe', state: { bytes: 0, capacity: 65536 } },
      { type: 'object', t: 3, channel: 'p', mechanism: 'pipe', state: { bytes: 5, capacity: 65536 } },
      { type: 'object', t: 4, channel: 's', mechanism: 'sem-named', state: { value: 2 } },
      { type: 'state', t: 5, proc: 'b', state: 'running' },
      { type: 'exit', t: 6, proc: 'b', code: 0, signal: null },
    ]));
    assert.deepEqual(m.intervals.map((i) => [i.proc, i.t0, i.t1, i.state, i.call, i.channel]), [['b', 1, 5, 'blocked', 'read', 'p']]);
    assert.deepEqual(m.lanes.map((l) => [l.channel, l.measure, l.max, l.points.length]), [['p', 'bytes', 5, 2], ['s', 'value', 2, 1]]);
    assert.equal(m.life.b.t1, 6);
  });

  it('folds dense traffic into counted bundles that open with more rows', () => {
    const events: RunEvent[] = [];
    for (let i = 0; i < 1000; i++) {
      events.push(call(i, 'a', 'write', 'p', '7, "x", 1', '1'));
      events.push(call(i + 0.5, 'b', 'read', 'p', '6, "x", 1', '1', 0.001));
    }
    const folded = buildTimeline(recording(events), { maxRows: 50 });
    const total = (m: ReturnType<typeof buildTimeline>) => m.arrows.reduce((n, a) => n + (a.kind === 'data' ? a.count : 0), 0);
    assert.equal(total(folded), 1000);
    assert.ok(folded.arrows.length < 120, `${folded.arrows.length} arrows`);
    assert.ok(folded.rows.length <= 50);
    const open = buildTimeline(recording(events), { maxRows: 5000 });
    assert.equal(open.arrows.length, 1000);
  });

  it('bundles from counters where the trace is missing', () => {
    const m = buildTimeline(recording([
      { type: 'counters', t: 100, proc: 'a', statements: 10, line: 1, syscalls: {}, sends: 10, recvs: 0, bytes: 40, channels: { p: [10, 0, 40] } },
      { type: 'counters', t: 200, proc: 'a', statements: 30, line: 1, syscalls: {}, sends: 30, recvs: 0, bytes: 120, channels: { p: [30, 0, 120] } },
    ]));
    assert.equal(m.traced, false);
    assert.deepEqual(m.arrows.map((a) => [a.from, a.to, a.count, a.bytes]), [['a', 'b', 10, 40], ['a', 'b', 20, 80]]);
  });

  it('maps time to y and back, monotonically', () => {
    const events: RunEvent[] = [];
    for (const t of [1, 1.001, 2, 50, 5000]) events.push({ type: 'stdout', t, proc: 'a', text: 'x\n' });
    const m = buildTimeline(recording(events));
    let last = -1;
    for (let t = 0; t <= 5000; t += 0.7) {
      const y = yAt(m, t);
      assert.ok(y >= last, `y(${t})`);
      last = y;
    }
    for (const t of [1, 2, 50, 300, 5000]) assert.ok(Math.abs(tAt(m, yAt(m, t)) - t) < 1e-6, `t(y(${t}))`);
    assert.ok(m.rows.some((r) => r.gapBefore), 'a long gap is marked');
  });

  it('previews the bytes of strace-like arguments', () => {
    assert.equal(previewOf('7, "hello\\n", 6'), 'hello⏎');
    assert.equal(previewOf('1, "Writer wrote: Hello from writer "..., 41'), 'Writer wrote: Hello from writer …');
    assert.equal(previewOf('0x7f00'), '');
  });
});

describe('timeline svg', () => {
  it('is one SVG document with lifelines, arrows and escaped text', () => {
    const svg = renderTimeline(buildTimeline(recording([call(1, 'a', 'write', 'p', '7, "<b>&", 3', '3'), call(2, 'b', 'read', 'p', '6, "<b>&", 9', '3'), { type: 'stdout', t: 3, proc: 'b', text: '<script>x</script>\n' }], 'a <title>')));
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(svg, /<\/svg>$/);
    assert.ok(!svg.includes('<script>') && !svg.includes('<b>'));
    assert.ok(svg.includes('writer') && svg.includes('reader'));
    assert.equal((svg.match(/class="tl-arrow"/g) ?? []).length, 1);
  });
});
