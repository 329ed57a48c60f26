// What followers of a live room get of the presenter's run: at most 10 frames a second, each
// the latest state of what changed since the last (a process's state, line, counters and
// failed call; a channel's object, its shared-memory changes merged), all its output up to a
// bound per process, and the trace only while the presenter shows it (the tail comes then,
// as a fresh snapshot: server/follow.ts). A viewer sees the same picture, sent once for many.

import type { Frame, RunEvent } from '../lib/events';

/** A frame at most every 100 ms: what a person watching follows, ten times fewer than the presenter's frames. */
export const FOLLOWER_FRAME_MS = 100;
/** Syscalls a frame carries when the trace is shown (the tail of a flood; 300 a second). */
const TRACE_PER_FRAME = 30;
/** Characters of output a frame carries per process (20 KB/s each; more is said, not shown). */
const TEXT_PER_FRAME = 2048;

type Ev<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;
type OutEv = Extract<RunEvent, { type: 'stdout' | 'stderr'; text: string }>;

/** The events of which only the latest counts, and whose they are. */
function latestKey(ev: RunEvent): string | null {
  switch (ev.type) {
    case 'state':
    case 'line':
    case 'counters':
    case 'failed':
      return `${ev.type} ${ev.proc}`;
    case 'object':
      return `object ${ev.channel}`;
    case 'run':
    case 'stdout':
    case 'stderr':
    case 'notice':
    case 'syscall':
    case 'signal':
    case 'exit':
    case 'fork':
    case 'reaped':
    case 'ready':
    case 'control':
    case 'end':
      return null;
  }
}

export class FollowerFeed {
  private runId: string | null = null;
  /** Events in order; a slot is emptied when a later event of the same key replaces it. */
  private events: (RunEvent | null)[] = [];
  private latest = new Map<string, number>();
  private text = new Map<string, number>();
  private textLeftOut = new Map<string, number>();
  private calls = 0;
  private callsLeftOut = 0;
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = 0;

  /** `emit` gets each thinned frame; `withTrace` says whether followers are shown the trace now. */
  constructor(
    private emit: (f: Frame) => void,
    private withTrace: () => boolean,
  ) {}

  push(f: Frame): void {
    if (f.runId !== this.runId) {
      // a new run: the last one's remainder goes first
      this.flush();
      this.runId = f.runId;
    }
    for (const ev of f.events) this.add(ev);
    if (f.events.some((e) => e.type === 'end' || e.type === 'run')) return this.flush();
    if (this.timer) return;
    // the first change after a quiet spell goes at once; then one frame every FOLLOWER_FRAME_MS
    const wait = this.lastFlush + FOLLOWER_FRAME_MS - Date.now();
    if (wait <= 0) return this.flush();
    this.timer = setTimeout(() => this.flush(), wait);
  }

  /** The seq of the next frame: a picture taken now holds every frame before it. */
  get nextSeq(): number {
    return this.seq;
  }

  /** Nothing waits to be sent. */
  get idle(): boolean {
    return this.timer === null;
  }

  /** Drops what waits (a snapshot sent to every follower holds it already). */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.reset();
  }

  private add(ev: RunEvent): void {
    switch (ev.type) {
      case 'syscall':
        if (!this.withTrace()) return;
        if (++this.calls > TRACE_PER_FRAME) {
          // the oldest of this frame's calls goes: the trace pane shows the tail
          const first = this.events.findIndex((e) => e?.type === 'syscall');
          this.events[first] = null;
          this.callsLeftOut++;
        }
        break;
      case 'stdout':
      case 'stderr':
        if (!this.addText(ev)) return;
        break;
      case 'object': {
        const i = this.latest.get(`object ${ev.channel}`);
        const prev = i === undefined ? null : (this.events[i] as Ev<'object'>);
        if (prev) {
          // later fields win; shared-memory changes add up
          const a = prev.state.changes;
          const b = ev.state.changes;
          const changes = a && b ? [...a, ...b] : (b ?? a);
          ev = { ...ev, state: { ...prev.state, ...ev.state, ...(changes ? { changes } : {}) } };
        }
        break;
      }
      default:
        break;
    }
    const key = latestKey(ev);
    if (key !== null) {
      const i = this.latest.get(key);
      if (i !== undefined) this.events[i] = null;
      this.latest.set(key, this.events.length);
    }
    this.events.push(ev);
  }

  /** Output within the frame's bound per process, merged with the chunk before when it can be; false when left out. */
  private addText(ev: OutEv): boolean {
    const used = this.text.get(ev.proc) ?? 0;
    const room = TEXT_PER_FRAME - used;
    if (room <= 0) {
      this.textLeftOut.set(ev.proc, (this.textLeftOut.get(ev.proc) ?? 0) + ev.text.length);
      return false;
    }
    const text = ev.text.length > room ? ev.text.slice(0, room) : ev.text;
    if (text.length < ev.text.length) this.textLeftOut.set(ev.proc, (this.textLeftOut.get(ev.proc) ?? 0) + ev.text.length - text.length);
    this.text.set(ev.proc, used + text.length);
    const last = this.events[this.events.length - 1];
    if (last && last.type === ev.type && last.proc === ev.proc) {
      this.events[this.events.length - 1] = { ...last, text: last.text + text };
      return false;
    }
    if (text.length < ev.text.length) this.events.push({ ...ev, text });
    return text.length === ev.text.length;
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const events = this.events.filter((e): e is RunEvent => e !== null);
    const t = events.at(-1)?.t ?? 0;
    for (const [proc, n] of this.textLeftOut) events.push({ type: 'notice', t, proc, message: `${n} characters of output came too fast to send to followers` });
    // the same words as the run's framer: the page counts these, it does not show each
    if (this.callsLeftOut) events.push({ type: 'notice', t, message: `${this.callsLeftOut} trace events left out of this frame (too fast to show; counters stay exact)` });
    this.reset();
    if (!events.length || this.runId === null) return;
    this.lastFlush = Date.now();
    this.emit({ runId: this.runId, seq: this.seq++, events });
  }

  private reset(): void {
    this.events = [];
    this.latest.clear();
    this.text.clear();
    this.textLeftOut.clear();
    this.calls = 0;
    this.callsLeftOut = 0;
  }
}
