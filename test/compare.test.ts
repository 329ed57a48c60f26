// Compare runs: a recording's outcome (output and end state of each process: exit, signal,
// deadlocked, time limit, stopped), outcomes grouped (numbers that differ become spreads),
// and the spread of a number.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChannelInfo, EndReason, RunEvent } from '../lib/events';
import { groupOutcomes, splitNumbers } from '../lib/compare/group';
import { endLabel, outcomeOf, type RunOutcome } from '../lib/compare/outcome';
import { spreadOf } from '../lib/compare/spread';
import { RECORDING_KIND, type Recording } from '../lib/recording/format';
import { DEFAULT_BUDGET } from '../lib/recording/recorder';

const locks: ChannelInfo[] = [
  { id: 'a', label: 'lockA', mechanism: 'sem-named', links: [{ process: 'p1', end: 'from' }, { process: 'p2', end: 'to' }] },
  { id: 'b', label: 'lockB', mechanism: 'sem-named', links: [{ process: 'p1', end: 'from' }, { process: 'p2', end: 'to' }] },
];

function recording(events: RunEvent[]): Recording {
  return {
    kind: RECORDING_KIND, version: 1, recordedAt: '2026-12-02T00:00:00.000Z', budget: DEFAULT_BUDGET,
    scenario: { title: 't', channels: [{ id: 'a', options: { initial: 1 } }, { id: 'b', options: { initial: 1 } }] },
    coalesced: { traceLeftOut: 0, detailLeftOut: {}, countersMerged: 0, statesMerged: 0, textLeftOut: {}, shmLeftOut: 0 },
    events: [{ type: 'run', t: 0, runId: 'r', isolation: 'naming', processes: [{ id: 'p1', name: 'p1', pid: 1 }, { id: 'p2', name: 'p2', pid: 2 }], channels: locks }, ...events],
  };
}
const out = (t: number, proc: string, text: string): RunEvent => ({ type: 'stdout', t, proc, text });
const exit = (t: number, proc: string, code: number | null, signal: string | null = null): RunEvent => ({ type: 'exit', t, proc, code, signal });
const end = (t: number, reason: EndReason): RunEvent => ({ type: 'end', t, reason, processes: [], channels: [], leftovers: [], ms: t });
const blocked = (t: number, proc: string, channel: string): RunEvent => ({ type: 'state', t, proc, state: 'blocked', call: 'sem_wait', channel });
const sem = (t: number, channel: string, value: number): RunEvent => ({ type: 'object', t, channel, mechanism: 'sem-named', state: { value } });
/** The two locks taken in opposite order, both blocked from t = 10 until the run's end kills them at `killAt`. */
const deadlocked = (killAt: number, reason: EndReason): RunEvent[] => [
  out(1, 'p1', 'p1 holds A\n'), sem(2, 'a', 0), sem(2, 'b', 0),
  blocked(10, 'p1', 'b'), blocked(10.5, 'p2', 'a'),
  { type: 'state', t: killAt - 0.5, proc: 'p2', state: 'running' },
  exit(killAt, 'p2', null, 'SIGTERM'), exit(killAt + 0.2, 'p1', null, 'SIGTERM'), end(killAt + 1, reason),
];

const outcome = (procs: [string, string, RunOutcome['procs'][number]['end']][], deadlock: string | null = null): RunOutcome => ({
  procs: procs.map(([id, output, e]) => ({ id, name: id, output, end: e })),
  deadlock,
});

describe('outcome of a recording', () => {
  it('each process: its output in order and its exit code or signal', () => {
    const o = outcomeOf(recording([out(1, 'p1', 'a '), { type: 'stderr', t: 2, proc: 'p1', text: 'b' }, out(3, 'p1', 'c'), exit(4, 'p1', 0), exit(5, 'p2', null, 'SIGPIPE'), end(6, 'finished')]));
    assert.deepEqual(o.procs.map((p) => [p.output, endLabel(p.end)]), [['a bc', 'exit 0'], ['', 'killed by SIGPIPE']]);
    assert.equal(o.deadlock, null);
  });

  it('a deadlock that held until the time limit: deadlocked, with its explanation', () => {
    const o = outcomeOf(recording(deadlocked(2000, 'timeout')));
    assert.deepEqual(o.procs.map((p) => endLabel(p.end)), ['deadlocked', 'deadlocked']);
    assert.match(o.deadlock ?? '', /p1 waits for lockB held by p2; p2 waits for lockA held by p1/);
  });

  it('a deadlock shorter than a sample can lag is not one; what the end killed says why it was killed', () => {
    const o = outcomeOf(recording(deadlocked(100, 'timeout')));
    assert.equal(o.deadlock, null);
    assert.deepEqual(o.procs.map((p) => endLabel(p.end)), ['time limit', 'time limit']);
    assert.deepEqual(outcomeOf(recording(deadlocked(100, 'stopped'))).procs.map((p) => endLabel(p.end)), ['stopped', 'stopped']);
  });

  it('a run that finished by itself never deadlocked, whatever a sample said', () => {
    const o = outcomeOf(recording([blocked(10, 'p1', 'b'), blocked(10.5, 'p2', 'a'), sem(11, 'a', 0), sem(11, 'b', 0), exit(900, 'p1', 0), exit(900, 'p2', 0), end(901, 'finished')]));
    assert.equal(o.deadlock, null);
    assert.deepEqual(o.procs.map((p) => endLabel(p.end)), ['exit 0', 'exit 0']);
  });

  it('a SIGTERM another process sent is a signal, even in a run stopped later', () => {
    const o = outcomeOf(recording([{ type: 'signal', t: 1, signal: 'SIGTERM', from: 'p1', to: 'p2', phase: 'sent' }, exit(2, 'p2', null, 'SIGTERM'), exit(50, 'p1', null, 'SIGTERM'), end(51, 'stopped')]));
    assert.deepEqual(o.procs.map((p) => endLabel(p.end)), ['stopped', 'killed by SIGTERM']);
  });

  it('a process with no exit in the recording is lost', () => {
    assert.deepEqual(outcomeOf(recording([exit(2, 'p1', 3)])).procs.map((p) => endLabel(p.end)), ['exit 3', 'lost']);
  });
});

describe('numbers in output', () => {
  it('splits at numbers, not at digits inside words', () => {
    assert.deepEqual(splitNumbers('p1 lost 80052 of 200000 (-3, 1.5).'), { parts: ['p1 lost ', ' of ', ' (', ', ', ').'], numbers: [80052, 200000, -3, 1.5] });
    assert.deepEqual(splitNumbers('none'), { parts: ['none'], numbers: [] });
  });

  it('spread: min, median, max and bins that hold every value', () => {
    const s = spreadOf([5, 1, 3, 2, 4, 100]);
    assert.deepEqual([s.min, s.median, s.max, s.distinct], [1, 3.5, 100, 6]);
    assert.equal(s.bins.reduce((n, b) => n + b.count, 0), 6);
    assert.equal(s.bins[s.bins.length - 1].count, 1);
    // a few small integers: one bin per value
    assert.deepEqual(spreadOf([1, 3, 3, 2]).bins.map((b) => [b.lo, b.count]), [[1, 1], [2, 1], [3, 2]]);
    assert.deepEqual(spreadOf([7, 7]).bins, [{ lo: 7, hi: 7, count: 2 }]);
    // integers far apart: whole ranges that meet, the last one ending at the max
    const wide = spreadOf([100000, 61761, 138239, 100000]).bins;
    assert.ok(wide.length <= 8);
    assert.ok(wide.every((b, i) => Number.isInteger(b.lo) && Number.isInteger(b.hi) && (i === 0 || b.lo === wide[i - 1].hi + 1)));
    assert.equal(wide[0].lo, 61761);
    assert.ok(wide[wide.length - 1].hi >= 138239);
    assert.equal(wide.reduce((n, b) => n + b.count, 0), 4);
  });
});

describe('grouping outcomes', () => {
  const race = (v: number) => outcome([['inc1', `without a lock: ${v} of 200000 (${200000 - v} lost)\nwith the mutex: 200000 of 200000\n`, { kind: 'exit', code: 0 }], ['inc2', '', { kind: 'exit', code: 0 }]]);

  it('outcomes that differ only in numbers are one group with a spread of each number that changes', () => {
    const values = [120000, 119000, 121000, 120000, 150000];
    const groups = groupOutcomes(values.map(race));
    assert.equal(groups.length, 1);
    const [g] = groups;
    assert.deepEqual(g.runs, [0, 1, 2, 3, 4]);
    assert.ok(g.varies);
    // the exact outcomes inside, most frequent first
    assert.deepEqual(g.variants.map((v) => v.runs), [[0, 3], [1], [2], [4]]);
    const pieces = g.procs[0].pieces;
    const spreads = pieces.flatMap((p) => ('spread' in p ? [p.spread] : []));
    assert.equal(spreads.length, 2);
    assert.deepEqual([spreads[0].min, spreads[0].median, spreads[0].max], [119000, 120000, 150000]);
    assert.deepEqual(spreads[1].values, values.map((v) => 200000 - v));
    // numbers that never change stay text
    assert.ok(pieces.some((p) => 'text' in p && p.text.includes('with the mutex: 200000 of 200000')));
    assert.deepEqual(g.procs.map((p) => p.end), ['exit 0', 'exit 0']);
  });

  it('different end states or words are different groups, most frequent first, counts adding up', () => {
    const dl = outcome([['p1', 'p1 holds A\n', { kind: 'deadlocked' }], ['p2', 'p2 holds B\n', { kind: 'deadlocked' }]], 'p1 waits for p2');
    const ok = outcome([['p1', 'p1 has both\n', { kind: 'exit', code: 0 }], ['p2', 'p2 has both\n', { kind: 'exit', code: 0 }]]);
    const groups = groupOutcomes([ok, dl, dl, ok, dl]);
    assert.deepEqual(groups.map((g) => [g.runs.length, g.deadlock, g.varies]), [[3, 'p1 waits for p2', false], [2, null, false]]);
    assert.deepEqual(groups[0].procs.map((p) => p.end), ['deadlocked', 'deadlocked']);
    assert.equal(groups.reduce((n, g) => n + g.runs.length, 0), 5);
  });
});
