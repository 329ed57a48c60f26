// The page's picture of a recording at a moment: the same whether it is applied from the start
// or from a kept picture (a long recording keeps one every 2000 events, for fast scrubbing).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunEvent } from '../lib/events';
import { RECORDING_KIND, type Recording } from '../lib/recording/format';
import { DEFAULT_BUDGET } from '../lib/recording/recorder';
import { pictureAt, prepareScrub, type Picture } from '../components/run/picture';

function longRecording(): Recording {
  const events: RunEvent[] = [
    { type: 'run', t: 0, runId: 'r', isolation: 'naming', processes: [{ id: 'a', name: 'a', pid: 1 }, { id: 'b', name: 'b', pid: 2 }], channels: [{ id: 'p', label: 'pipe', mechanism: 'pipe', links: [{ process: 'a', end: 'from' }, { process: 'b', end: 'to' }] }] },
  ];
  for (let i = 1; i <= 3000; i++) {
    const t = i;
    events.push({ type: 'syscall', t, proc: 'a', name: 'write', args: `7, "m${i}", 2`, ret: '2', errno: null, ms: 0.01, channel: 'p' });
    events.push({ type: 'state', t: t + 0.1, proc: 'b', state: i % 2 ? 'blocked' : 'running', call: 'read', channel: 'p' });
    if (i % 7 === 0) events.push({ type: 'stdout', t: t + 0.2, proc: 'b', text: `got ${i}\n` });
    if (i % 50 === 0) events.push({ type: 'object', t: t + 0.3, channel: 'p', mechanism: 'pipe', state: { bytes: i % 100, capacity: 65536 } });
  }
  // one event late, as a recording can have them
  events.push({ type: 'stdout', t: 1500.5, proc: 'a', text: 'late\n' });
  events.push({ type: 'exit', t: 3001, proc: 'a', code: 0, signal: null }, { type: 'exit', t: 3001, proc: 'b', code: 0, signal: null });
  return { kind: RECORDING_KIND, version: 1, recordedAt: '2026-12-02T00:00:00.000Z', scenario: { title: 't' }, budget: DEFAULT_BUDGET, coalesced: { traceLeftOut: 0, detailLeftOut: {}, countersMerged: 0, statesMerged: 0, textLeftOut: {}, shmLeftOut: 0 }, events };
}

/** What the views show: the picture without its clock, and the terminals' text. */
function shown(p: Picture) {
  const { clockZero: _c, ...live } = p.live;
  return { live, output: [...p.output].map(([proc, chunks]) => [proc, chunks.map((c) => c.text).join('')]) };
}

describe('the picture at a moment', () => {
  it('is the same from a kept picture as from the start, before and after a late event', async () => {
    const rec = longRecording();
    const moments = [0.5, 1499, 1500.7, 2100.15, 2999.9, Infinity];
    const fromStart = moments.map((t) => shown(pictureAt(rec, t)));
    await prepareScrub(rec, 5, () => false);
    moments.forEach((t, i) => assert.deepEqual(shown(pictureAt(rec, t)), fromStart[i], `at ${t}`));
    assert.match(String(fromStart[5].output.find(([p]) => p === 'b')?.[1]), /got 2996\n$/);
  });
});
