// The page's picture of a run at a moment of its recording: the recorded events up to that
// time, applied from nothing by the same code that applies live frames (apply.ts), so every
// view (graph, objects, terminals, hex view, trace) shows that moment without knowing it is
// looking back.
//
// A long recording keeps the picture every CHECKPOINT_EVERY events (prepareScrub, built in
// slices once the timeline is drawn): a scrub starts from the latest one made only of events
// before the moment, and re-applies at most that many, not the whole run.

import type { RunEvent } from '@/lib/events';
import type { Recording } from '@/lib/recording/format';
import { TRACE_KEEP, applyEvents } from './apply';
import { IDLE, type RunLive } from './live';
import type { Chunk } from './terminalBus';
import { inSlices, type SliceStats, type Steps } from '@/lib/timeline/steps';

export interface Picture {
  live: RunLive;
  output: Map<string, Chunk[]>;
}

/** Events between two kept pictures. */
const CHECKPOINT_EVERY = 2000;

interface Checkpoint {
  /** Events applied (the first `at` of the recording), the latest time among them, and what they made. */
  at: number;
  maxT: number;
  live: RunLive;
  output: Map<string, Chunk[]>;
  sends: Map<string, number>;
}

const START: Checkpoint = { at: 0, maxT: -Infinity, live: IDLE, output: new Map(), sends: new Map() };
const checkpoints = new WeakMap<Recording, Checkpoint[]>();

/** Output of `a` then `b`, new arrays (a checkpoint's are never changed). */
function joined(a: Map<string, Chunk[]>, b: Map<string, Chunk[]>): Map<string, Chunk[]> {
  if (!b.size) return a;
  const out = new Map(a);
  for (const [proc, chunks] of b) out.set(proc, [...(a.get(proc) ?? []), ...chunks]);
  return out;
}

function* checkpointSteps(rec: Recording): Steps<Checkpoint[]> {
  const kept: Checkpoint[] = [];
  let cp = START;
  const sends = new Map<string, number>();
  for (let at = 0; at < rec.events.length; at += CHECKPOINT_EVERY) {
    const block = rec.events.slice(at, at + CHECKPOINT_EVERY);
    let maxT = cp.maxT;
    for (const e of block) if (e.t > maxT) maxT = e.t;
    const { live, output } = applyEvents(cp.live, block, 0, sends);
    cp = { at: at + block.length, maxT, live, output: joined(cp.output, output), sends: new Map(sends) };
    kept.push(cp);
    yield;
  }
  return kept;
}

/** Keeps pictures along `rec`, in slices of about `sliceMs`: afterwards a scrub anywhere re-applies at most CHECKPOINT_EVERY events. */
export async function prepareScrub(rec: Recording, sliceMs: number, cancelled: () => boolean, stats?: SliceStats): Promise<void> {
  if (checkpoints.has(rec) || rec.events.length <= CHECKPOINT_EVERY) return;
  const kept = await inSlices(checkpointSteps(rec), sliceMs, cancelled, stats);
  if (kept) checkpoints.set(rec, kept);
}

/** `sendsSeen`: apply.ts's per-channel send counts, to carry on from (the live picture's own). */
export function pictureAt(rec: Recording, t: number, sendsSeen = new Map<string, number>()): Picture {
  // the latest kept picture whose events are all at or before t: the rest is applied on it
  let cp = START;
  for (const c of checkpoints.get(rec) ?? []) if (c.maxT <= t) cp = c;
  for (const [k, v] of cp.sends) sendsSeen.set(k, v);
  const upTo = (cp.at ? rec.events.slice(cp.at) : rec.events).filter((e) => e.t <= t);
  // the trace pane keeps its last TRACE_KEEP calls: older ones change nothing it shows
  let firstKept = 0;
  for (let i = upTo.length - 1, calls = 0; i >= 0; i--) {
    if (upTo[i].type === 'syscall' && ++calls === TRACE_KEEP) {
      firstKept = i;
      break;
    }
  }
  const applied = firstKept ? upTo.filter((e, i) => i >= firstKept || e.type !== 'syscall') : upTo;
  const { live, output } = applyEvents(cp.live === IDLE ? { ...IDLE } : cp.live, applied, performance.now(), sendsSeen);
  // the clock shows the moment looked at, not the time since
  return { live: { ...live, clockZero: null, lastT: Math.min(t, live.lastT) }, output: joined(cp.output, output) };
}

/** Events a step moves between: what a person sees happen (samples and counters are not steps). */
export function isStep(e: RunEvent): boolean {
  switch (e.type) {
    case 'syscall':
    case 'stdout':
    case 'stderr':
    case 'state':
    case 'signal':
    case 'exit':
    case 'fork':
    case 'reaped':
    case 'ready':
    case 'failed':
    case 'line':
    case 'run':
    case 'end':
      return true;
    case 'counters':
    case 'object':
    case 'control':
    case 'notice':
      return false;
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** The process an event is about (a signal: the one it reaches). */
export function procOf(e: RunEvent): string | null {
  if ('proc' in e && typeof e.proc === 'string') return e.proc;
  return e.type === 'signal' ? e.to : null;
}

/** The time of the next (dir 1) or previous (dir -1) step from t, of one process or of any; null at either end. */
export function stepFrom(rec: Recording, t: number, dir: 1 | -1, proc?: string): number | null {
  let best: number | null = null;
  for (const e of rec.events) {
    if (!isStep(e) || (proc && procOf(e) !== proc)) continue;
    if (dir === 1 ? e.t > t && (best === null || e.t < best) : e.t < t && (best === null || e.t > best)) best = e.t;
  }
  return best;
}
