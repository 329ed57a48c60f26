// Records a run as the page receives it: every frame's events, in order, into a bounded
// Recording (format.ts). A full-speed flood is folded as the live view folds it: counter
// samples and state changes keep the latest per process per 100 ms (exact, they are
// cumulative or current), syscall and line events past the first few thousand keep a budget
// per 100 ms of run time,
// output a cap per process; every fold is counted in `coalesced`, and where output stops
// being recorded a notice says so in that process's terminal.

import type { RunEvent } from '../events';
import { RECORDING_KIND, RECORDING_VERSION, type Coalesced, type RecordBudget, type Recording } from './format';

export const DEFAULT_BUDGET: RecordBudget = {
  detailFree: 4000,
  detailPerWindow: 40,
  detailMax: 40_000,
  textMax: 256 * 1024,
  shmMax: 2 << 20,
  samplesPerWindow: 2,
};

const WINDOW_MS = 100;
const LEFT_OUT = /^(\d+) trace events left out/;

interface Sampled {
  window: number;
  /** Kept in this window so far, and the index of the latest kept one. */
  kept: number;
  at: number;
}

export class Recorder {
  /** null: a sample folded into a later one (dropped when the recording is taken). */
  private events: (RunEvent | null)[] = [];
  private coalesced: Coalesced = { traceLeftOut: 0, detailLeftOut: {}, countersMerged: 0, statesMerged: 0, textLeftOut: {}, shmLeftOut: 0 };
  private detailWindow = -1;
  private detailInWindow = 0;
  private detailKept = 0;
  /** Detail left out in the current window, said by a notice when the window closes. */
  private detailDropped = 0;
  private detailDroppedT = 0;
  private text = new Map<string, number>();
  private shm = 0;
  private samples = new Map<string, Sampled>();
  private readonly recordedAt: string;

  constructor(
    private readonly scenario: unknown,
    private readonly budget: RecordBudget = DEFAULT_BUDGET,
    now: Date = new Date(),
  ) {
    this.recordedAt = now.toISOString();
  }

  push(events: readonly RunEvent[]): void {
    for (const ev of events) this.add(ev);
  }

  private add(ev: RunEvent): void {
    if (Math.floor(ev.t / WINDOW_MS) > this.detailWindow) this.sayDropped();
    switch (ev.type) {
      case 'syscall':
      case 'line':
        return this.detail(ev);
      case 'counters':
        return this.sample(`c:${ev.proc}`, ev, () => this.coalesced.countersMerged++);
      case 'state':
        return this.sample(`s:${ev.proc}`, ev, () => this.coalesced.statesMerged++);
      case 'stdout':
      case 'stderr':
        return this.output(ev);
      case 'object':
        return this.object(ev);
      case 'notice': {
        const left = LEFT_OUT.exec(ev.message);
        if (left) this.coalesced.traceLeftOut += Number(left[1]);
        this.events.push(ev);
        return;
      }
      case 'run':
      case 'failed':
      case 'signal':
      case 'control':
      case 'exit':
      case 'fork':
      case 'reaped':
      case 'ready':
      case 'end':
        this.events.push(ev);
        return;
      default: {
        const never: never = ev;
        return never;
      }
    }
  }

  private detail(ev: Extract<RunEvent, { type: 'syscall' | 'line' }>): void {
    const w = Math.floor(ev.t / WINDOW_MS);
    if (w !== this.detailWindow) {
      this.sayDropped();
      this.detailWindow = w;
      this.detailInWindow = 0;
    }
    const overWindow = this.detailKept >= this.budget.detailFree && this.detailInWindow >= this.budget.detailPerWindow;
    if (overWindow || this.detailKept >= this.budget.detailMax) {
      this.coalesced.detailLeftOut[ev.proc] = (this.coalesced.detailLeftOut[ev.proc] ?? 0) + 1;
      this.detailDropped++;
      this.detailDroppedT = ev.t;
      return;
    }
    this.detailInWindow++;
    this.detailKept++;
    this.events.push(ev);
  }

  /** Where detail was left out, a notice as the framer's: the page counts it, the timeline draws bundles there. */
  private sayDropped(): void {
    if (!this.detailDropped) return;
    this.events.push(this.droppedNotice());
    this.detailDropped = 0;
  }

  private droppedNotice(): RunEvent {
    return { type: 'notice', t: this.detailDroppedT, message: `${this.detailDropped} trace events left out of the recording (over its budget; counters stay exact)` };
  }

  /** A sample that replaces the previous one of its key within a window past the budget. */
  private sample(key: string, ev: RunEvent, merged: () => void): void {
    const w = Math.floor(ev.t / WINDOW_MS);
    const s = this.samples.get(key);
    if (s && s.window === w && s.kept >= this.budget.samplesPerWindow) {
      // the latest kept one moves to now, keeping the events in the order of their times
      this.events[s.at] = null;
      s.at = this.events.length;
      this.events.push(ev);
      merged();
      return;
    }
    this.samples.set(key, { window: w, kept: s && s.window === w ? s.kept + 1 : 1, at: this.events.length });
    this.events.push(ev);
  }

  private output(ev: Extract<RunEvent, { type: 'stdout' | 'stderr' }>): void {
    const had = this.text.get(ev.proc) ?? 0;
    const kept = ev.text.slice(0, Math.max(0, this.budget.textMax - had));
    if (kept) {
      this.text.set(ev.proc, had + kept.length);
      this.events.push(kept === ev.text ? ev : { ...ev, text: kept });
    }
    if (kept === ev.text) return;
    const before = this.coalesced.textLeftOut[ev.proc] ?? 0;
    this.coalesced.textLeftOut[ev.proc] = before + ev.text.length - kept.length;
    if (!before) this.events.push({ type: 'notice', t: ev.t, proc: ev.proc, message: `the recording keeps the first ${Math.round(this.budget.textMax / 1024)} KiB of this process's output` });
  }

  private object(ev: Extract<RunEvent, { type: 'object' }>): void {
    const changes = ev.state.changes;
    if (!changes) return void this.events.push(ev);
    let bytes = 0;
    for (const c of changes) bytes += c.hex.length / 2;
    if (this.shm + bytes <= this.budget.shmMax) {
      this.shm += bytes;
      return void this.events.push(ev);
    }
    this.coalesced.shmLeftOut += bytes;
    const { changes: _left, ...state } = ev.state;
    this.events.push({ ...ev, state });
  }

  /** The recording so far (a live run can be downloaded before it ends). */
  recording(): Recording {
    const events = this.events.filter((e): e is RunEvent => e !== null);
    if (this.detailDropped) {
      // a window still open: its notice goes where its time is
      const notice = this.droppedNotice();
      let at = events.length;
      while (at > 0 && events[at - 1].t > notice.t) at--;
      events.splice(at, 0, notice);
    }
    return {
      kind: RECORDING_KIND,
      version: RECORDING_VERSION,
      recordedAt: this.recordedAt,
      scenario: this.scenario,
      budget: this.budget,
      coalesced: structuredClone(this.coalesced),
      events,
    };
  }
}
