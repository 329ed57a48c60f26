// The page's picture of a run at a moment of its recording: the recorded events up to that
// time, applied from nothing by the same code that applies live frames (apply.ts), so every
// view (graph, objects, terminals, hex view, trace) shows that moment without knowing it is
// looking back.

import type { RunEvent } from '@/lib/events';
import type { Recording } from '@/lib/recording/format';
import { TRACE_KEEP, applyEvents } from './apply';
import { IDLE, type RunLive } from './live';
import type { Chunk } from './terminalBus';

export interface Picture {
  live: RunLive;
  output: Map<string, Chunk[]>;
}

/** `sendsSeen`: apply.ts's per-channel send counts, to carry on from (the live picture's own). */
export function pictureAt(rec: Recording, t: number, sendsSeen = new Map<string, number>()): Picture {
  const upTo = rec.events.filter((e) => e.t <= t);
  // the trace pane keeps its last TRACE_KEEP calls: older ones change nothing it shows
  let firstKept = 0;
  for (let i = upTo.length - 1, calls = 0; i >= 0; i--) {
    if (upTo[i].type === 'syscall' && ++calls === TRACE_KEEP) {
      firstKept = i;
      break;
    }
  }
  const applied = firstKept ? upTo.filter((e, i) => i >= firstKept || e.type !== 'syscall') : upTo;
  const { live, output } = applyEvents({ ...IDLE }, applied, performance.now(), sendsSeen);
  // the clock shows the moment looked at, not the time since
  return { live: { ...live, clockZero: null, lastT: Math.min(t, live.lastT) }, output };
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
