// node --import tsx bench/timeline.ts
// The timeline's cost on the worst recording the limits allow: a 60 s full-speed flood with
// the trace on, as the framer delivers it (30 frames a second, each at its detail budget, plus
// counters, object samples and the "left out" notice), through the page's recorder. Prints the
// recording's size (raw and gzipped), the time to build and draw the diagram at the default
// and the deepest zoom, and the time to show the page at a moment (the scrub: re-applying the
// recording up to it), the slowest of 20 moments. Targets: no task over 50 ms, a scrub ≤ 100 ms.

import { gzipSync } from 'fflate';
import type { RunEvent } from '../lib/events';
import { Recorder } from '../lib/recording/recorder';
import { buildTimeline } from '../lib/timeline/model';
import { renderTimeline } from '../lib/timeline/svg';
import { pictureAt } from '../components/run/picture';

const SECONDS = 60;
const FRAME_MS = 34;
const DETAIL = 100;

function floodRecording() {
  const rec = new Recorder({ version: 1, title: 'flood' });
  rec.push([{ type: 'run', t: 0, runId: 'r', isolation: 'naming', processes: [{ id: 'w', name: 'writer', pid: 1 }, { id: 'r', name: 'reader', pid: 2 }], channels: [{ id: 'c1', label: 'c1', mechanism: 'pipe', links: [{ process: 'w', end: 'from' }, { process: 'r', end: 'to' }] }] }]);
  let sends = 0;
  for (let t = 1; t < SECONDS * 1000; t += FRAME_MS) {
    const events: RunEvent[] = [];
    for (let i = 0; i < DETAIL; i++) {
      const at = t + (i * FRAME_MS) / DETAIL;
      events.push(i % 2 ? { type: 'syscall', t: at, proc: 'r', name: 'read', args: '6, "ping", 1024', ret: '4', errno: null, ms: 0.001, channel: 'c1' } : { type: 'syscall', t: at, proc: 'w', name: 'write', args: '7, "ping", 4', ret: '4', errno: null, ms: 0.001, channel: 'c1' });
    }
    sends += 16_666 / 30;
    const n = Math.round(sends);
    events.push({ type: 'counters', t: t + FRAME_MS, proc: 'w', statements: n, line: 2, syscalls: { write: n }, sends: n, recvs: 0, bytes: n * 4, channels: { c1: [n, 0, n * 4] } });
    events.push({ type: 'counters', t: t + FRAME_MS, proc: 'r', statements: n, line: 3, syscalls: { read: n }, sends: 0, recvs: n, bytes: n * 4, channels: { c1: [0, n, n * 4] } });
    events.push({ type: 'object', t: t + FRAME_MS, channel: 'c1', mechanism: 'pipe', state: { bytes: (n * 7) % 65536, capacity: 65536 } });
    events.push({ type: 'state', t: t + FRAME_MS, proc: 'r', state: n % 3 ? 'running' : 'blocked', call: 'read', channel: 'c1' });
    events.push({ type: 'notice', t: t + FRAME_MS, message: `${Math.round(16_666 / 30) * 2 - DETAIL} trace events left out of this frame (too fast to show; counters stay exact)` });
    rec.push(events);
  }
  rec.push([{ type: 'end', t: SECONDS * 1000, reason: 'finished', ms: SECONDS * 1000, processes: [], channels: [{ id: 'c1', sends: 1_000_000, recvs: 1_000_000, bytes: 4_000_000 }], leftovers: [] }]);
  return rec.recording();
}

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const v = f();
  return [v, performance.now() - t0];
}

const [rec, recordMs] = time(floodRecording);
const json = JSON.stringify(rec);
const rows: [string, string][] = [
  ['events kept', String(rec.events.length)],
  ['recording, raw', `${(json.length / 1e6).toFixed(2)} MB`],
  ['recording, gzipped (target ≤ 2 MB)', `${(gzipSync(new TextEncoder().encode(json)).length / 1e6).toFixed(3)} MB`],
  ['recording a 60 s flood, in all', `${recordMs.toFixed(0)} ms`],
];
for (const zoom of [1, 16]) {
  const [model, buildMs] = time(() => buildTimeline(rec, { maxRows: 240 * zoom, pxPerMs: 8 * zoom, gapMax: 60 * Math.sqrt(zoom) }));
  const [svg, drawMs] = time(() => renderTimeline(model));
  rows.push([`build the model, zoom ${zoom} (${model.arrows.length} arrows, ${model.rows.length} rows)`, `${buildMs.toFixed(1)} ms`]);
  rows.push([`draw the SVG, zoom ${zoom} (${(svg.length / 1e3).toFixed(0)} kB)`, `${drawMs.toFixed(1)} ms`]);
}
let worst = 0;
for (let i = 1; i <= 20; i++) worst = Math.max(worst, time(() => pictureAt(rec, (SECONDS * 1000 * i) / 20))[1]);
rows.push(['show the page at a moment, slowest of 20 (target ≤ 100 ms)', `${worst.toFixed(1)} ms`]);

const w = Math.max(...rows.map((r) => r[0].length));
for (const [k, v] of rows) process.stdout.write(`${k.padEnd(w)}  ${v}\n`);
