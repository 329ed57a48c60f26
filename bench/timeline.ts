// node --import tsx bench/timeline.ts
// The timeline's cost on the worst recording the limits allow: a 60 s full-speed flood with
// the trace on, as the framer delivers it (30 frames a second, each at its detail budget, plus
// counters, object samples and the "left out" notice), through the page's recorder. Prints the
// recording's size (raw and gzipped), the time to build and draw the diagram at the default
// and the deepest zoom, whole and in the page's slices (the longest slice is the longest task
// the page runs for it), and the time to show the page at a moment (the scrub: re-applying the
// recording up to it), the slowest of 20 moments, from the start and from the pictures kept
// along the recording. Targets: no task over 50 ms, a scrub ≤ 100 ms. Times are wall times:
// on a busy machine a slice can be preempted, and then counts the time it waited.

import { gzipSync } from 'fflate';
import type { RunEvent } from '../lib/events';
import { Recorder } from '../lib/recording/recorder';
import { checkRecording, recordingJson } from '../lib/recording/format';
import { buildTimeline, timelineSteps } from '../lib/timeline/model';
import { SLICE_MS, inSlices, type SliceStats } from '../lib/timeline/steps';
import { renderTimeline, timelineSvgSteps } from '../lib/timeline/svg';
import { pictureAt, prepareScrub } from '../components/run/picture';

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
  const opts = { maxRows: 240 * zoom, pxPerMs: 8 * zoom, gapMax: 60 * Math.sqrt(zoom) };
  const [model, buildMs] = time(() => buildTimeline(rec, opts));
  const [svg, drawMs] = time(() => renderTimeline(model));
  rows.push([`build the model, zoom ${zoom} (${model.arrows.length} arrows, ${model.rows.length} rows), whole`, `${buildMs.toFixed(1)} ms`]);
  rows.push([`draw the SVG, zoom ${zoom} (${(svg.length / 1e3).toFixed(0)} kB), whole`, `${drawMs.toFixed(1)} ms`]);
  const stats: SliceStats = { slices: 0, longest: 0 };
  const t0 = performance.now();
  const sliced = await inSlices(timelineSteps(rec, opts), SLICE_MS, () => false, stats);
  await inSlices(timelineSvgSteps(sliced!), SLICE_MS, () => false, stats);
  rows.push([`build and draw in slices, zoom ${zoom}: ${stats.slices} slices, the longest (target ≤ 50 ms)`, `${stats.longest.toFixed(1)} ms`]);
  rows.push([`  ...all done after`, `${(performance.now() - t0).toFixed(0)} ms`]);
}
// opening it from a file, as the page does (components/timeline/openRecording.ts)
const [parsed, parseMs] = time(() => recordingJson(json));
const opened: SliceStats = { slices: 0, longest: 0 };
const openFrom = performance.now();
const check = parsed.ok ? await inSlices(checkRecording(parsed.json), SLICE_MS, () => false, opened) : null;
if (!check?.ok) throw new Error('the flood recording does not open');
rows.push(['open the file: JSON.parse, one task (target ≤ 50 ms)', `${parseMs.toFixed(1)} ms`]);
rows.push([`open the file: its events checked in ${opened.slices} slices, the longest (target ≤ 50 ms)`, `${opened.longest.toFixed(1)} ms`]);
rows.push([`  ...all done after`, `${(performance.now() - openFrom).toFixed(0)} ms`]);
const moments = Array.from({ length: 20 }, (_, i) => (SECONDS * 1000 * (i + 1)) / 20);
const worstScrub = () => Math.max(...moments.map((t) => time(() => pictureAt(rec, t))[1]));
rows.push(['show the page at a moment from the start, slowest of 20', `${worstScrub().toFixed(1)} ms`]);
const kept: SliceStats = { slices: 0, longest: 0 };
const keepFrom = performance.now();
await prepareScrub(rec, SLICE_MS, () => false, kept);
rows.push([`keep pictures along the recording: ${kept.slices} slices, the longest`, `${kept.longest.toFixed(1)} ms`]);
rows.push([`  ...all done after`, `${(performance.now() - keepFrom).toFixed(0)} ms`]);
rows.push(['show the page at a moment from a kept picture, slowest of 20 (target ≤ 100 ms, ≤ 50 ms a task)', `${worstScrub().toFixed(1)} ms`]);

const w = Math.max(...rows.map((r) => r[0].length));
for (const [k, v] of rows) process.stdout.write(`${k.padEnd(w)}  ${v}\n`);
