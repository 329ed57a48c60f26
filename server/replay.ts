// A run's picture kept on the server for late joiners of follow mode: fed every frame of the
// run, it keeps what the browser needs to draw the same view (the latest state of each
// process and object, the terminals' text, the tail of the trace) instead of every frame,
// so its memory stays bounded however long or busy the run. `snapshot()` gives it back as
// one frame, which the browser applies like any other (components/run/apply.ts).

import type { Frame, ObjectState, RunEvent } from '../lib/events';

/** Terminal text kept per process (older text is replaced by a note). */
export const REPLAY_TEXT_BYTES = 256 * 1024;
/** Syscall events kept (the trace pane's tail). */
export const REPLAY_TRACE = 300;
const REPLAY_NOTICES = 50;
/** Largest shared-memory image kept per channel (as the browser's view). */
const SHM_MAX = 1 << 20;

type Ev<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;
type OutEv = Extract<RunEvent, { type: 'stdout' | 'stderr'; text: string }>;
type TermEv = OutEv | Ev<'notice'>;
const sizeOf = (e: TermEv) => (e.type === 'notice' ? e.message.length : e.text.length);

interface ProcReplay {
  term: TermEv[];
  termBytes: number;
  droppedBytes: number;
  state?: Ev<'state'>;
  line?: Ev<'line'>;
  counters?: Ev<'counters'>;
  failed?: Ev<'failed'>;
  exit?: Ev<'exit'>;
  signal?: Ev<'signal'>;
}

interface ShmImage {
  bytes: Uint8Array;
  /** One past the last byte ever written (the used prefix). */
  used: number;
}

export class RunReplay {
  readonly runId: string;
  private run: Ev<'run'>;
  private procs = new Map<string, ProcReplay>();
  private objects = new Map<string, Ev<'object'>>();
  private shm = new Map<string, ShmImage>();
  private trace: Ev<'syscall'>[] = [];
  private notices: Ev<'notice'>[] = [];
  private control: Ev<'control'> | null = null;
  private end: Ev<'end'> | null = null;
  private lastT = 0;
  private lastAt = Date.now();

  constructor(runId: string, run: Ev<'run'>) {
    this.runId = runId;
    this.run = run;
    for (const p of run.processes) this.procs.set(p.id, { term: [], termBytes: 0, droppedBytes: 0 });
  }

  get ended(): boolean {
    return this.end !== null;
  }

  push(frame: Frame): void {
    if (frame.runId !== this.runId) return;
    for (const ev of frame.events) this.add(ev);
  }

  private add(ev: RunEvent): void {
    if (ev.t > this.lastT) {
      this.lastT = ev.t;
      this.lastAt = Date.now();
    }
    const proc = 'proc' in ev && typeof ev.proc === 'string' ? this.procs.get(ev.proc) : undefined;
    switch (ev.type) {
      case 'run':
        break;
      case 'stdout':
      case 'stderr':
        if (proc) this.text(proc, ev);
        break;
      case 'notice':
        if (proc) this.text(proc, ev);
        else if (!/^\d+ trace events left out/.test(ev.message)) {
          this.notices.push(ev);
          if (this.notices.length > REPLAY_NOTICES) this.notices.shift();
        }
        break;
      case 'syscall':
        this.trace.push(ev);
        if (this.trace.length > REPLAY_TRACE * 2) this.trace = this.trace.slice(-REPLAY_TRACE);
        break;
      case 'state':
        if (proc) proc.state = ev;
        break;
      case 'line':
        if (proc) proc.line = ev;
        break;
      case 'counters':
        if (proc) proc.counters = ev;
        break;
      case 'failed':
        if (proc) proc.failed = ev;
        break;
      case 'exit':
        if (proc) proc.exit = ev;
        break;
      case 'signal': {
        const to = this.procs.get(ev.to);
        if (to) to.signal = ev;
        break;
      }
      case 'object':
        this.object(ev);
        break;
      case 'control':
        if (!ev.proc && ev.action !== 'speed') this.control = ev;
        break;
      case 'end':
        this.end = ev;
        break;
    }
  }

  /** Terminal text in order, consecutive chunks of one kind merged, the oldest dropped past the cap. */
  private text(p: ProcReplay, ev: TermEv): void {
    const last = p.term[p.term.length - 1];
    if (last && ev.type !== 'notice' && last.type === ev.type) p.term[p.term.length - 1] = { ...last, text: last.text + ev.text };
    else p.term.push(ev);
    p.termBytes += sizeOf(ev);
    while (p.termBytes > REPLAY_TEXT_BYTES && p.term.length) {
      const first = p.term[0];
      const over = p.termBytes - REPLAY_TEXT_BYTES;
      if (first.type !== 'notice' && first.text.length > over) {
        p.term[0] = { ...first, text: first.text.slice(over) };
        p.termBytes -= over;
        p.droppedBytes += over;
      } else {
        p.term.shift();
        p.termBytes -= sizeOf(first);
        p.droppedBytes += sizeOf(first);
      }
    }
  }

  private object(ev: Ev<'object'>): void {
    const { changes, size } = ev.state;
    if (changes || size !== undefined) {
      let img = this.shm.get(ev.channel);
      const want = Math.min(SHM_MAX, size ?? img?.bytes.length ?? 0);
      if (!img || img.bytes.length < want) {
        const bytes = new Uint8Array(want);
        if (img) bytes.set(img.bytes.subarray(0, want));
        img = { bytes, used: img?.used ?? 0 };
        this.shm.set(ev.channel, img);
      }
      for (const { offset, hex } of changes ?? []) {
        for (let i = 0; i * 2 < hex.length; i++) {
          const at = offset + i;
          if (at >= img.bytes.length) break;
          img.bytes[at] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
          if (at + 1 > img.used) img.used = at + 1;
        }
      }
    }
    // the latest state; the changes are rebuilt from the image in the snapshot
    const { changes: _drop, ...rest } = ev.state;
    this.objects.set(ev.channel, { ...ev, state: rest });
  }

  /** The run's time now: its latest event's, plus the time since while it goes on. */
  private now(): number {
    return this.end ? this.end.t : this.lastT + (Date.now() - this.lastAt);
  }

  /** The run so far as one frame: applied to a fresh picture, it draws what the others see. */
  snapshot(): Frame {
    const events: RunEvent[] = [];
    events.push({ ...this.run, t: Math.max(this.run.t, this.now()) });
    for (const [id, p] of this.procs) {
      if (p.droppedBytes) {
        events.push({ type: 'notice', t: 0, proc: id, message: `${Math.ceil(p.droppedBytes / 1024)} KiB of earlier output not replayed` });
      }
      events.push(...p.term);
    }
    events.push(...this.trace.slice(-REPLAY_TRACE));
    events.push(...this.notices);
    for (const [channel, ev] of this.objects) {
      const img = this.shm.get(channel);
      const state: ObjectState = { ...ev.state };
      if (img) {
        state.size = state.size ?? img.bytes.length;
        if (img.used > 0) state.changes = [{ offset: 0, hex: Buffer.from(img.bytes.subarray(0, img.used)).toString('hex') }];
      }
      events.push({ ...ev, state });
    }
    for (const p of this.procs.values()) if (p.signal) events.push(p.signal);
    for (const p of this.procs.values()) {
      if (p.counters) events.push(p.counters);
      if (p.failed) events.push(p.failed);
      if (p.line && (!p.counters || p.line.t >= p.counters.t)) events.push(p.line);
      if (p.state) events.push(p.state);
      if (p.exit) events.push(p.exit);
    }
    if (this.control) events.push(this.control);
    if (this.end) events.push(this.end);
    return { runId: this.runId, seq: -1, events };
  }
}
