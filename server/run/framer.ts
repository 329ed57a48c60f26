// Batches a run's events into frames, at most about 30 a second. Samples coalesce (the last
// counters per process, the last object state per channel with shared-memory changes merged);
// per-call events beyond a frame's budget are counted in a visible notice; stdout is never dropped.

import type { Frame, RunEvent } from '../../lib/events';

export const FRAME_MS = 34;
/** syscall and line events kept per frame (3,000 a second): more than a person can read, and a flood with trace on stays bounded. */
const DETAIL_BUDGET = 100;

export class Framer {
  private events: RunEvent[] = [];
  private counters = new Map<string, number>();
  private objects = new Map<string, number>();
  private detail = 0;
  private dropped = 0;
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private runId: string,
    private onFrame: (f: Frame) => void,
  ) {}

  push(ev: RunEvent): void {
    if (this.closed) return;
    if (ev.type === 'counters') {
      const i = this.counters.get(ev.proc);
      if (i !== undefined) {
        this.events[i] = ev;
        return;
      }
      this.counters.set(ev.proc, this.events.length);
    } else if (ev.type === 'object') {
      const i = this.objects.get(ev.channel);
      if (i !== undefined) {
        // later fields win; shared-memory changes add up (a sample without any keeps the earlier ones)
        const prev = this.events[i] as typeof ev;
        const a = prev.state.changes;
        const b = ev.state.changes;
        const changes = a && b ? [...a, ...b] : (b ?? a);
        this.events[i] = { ...ev, state: { ...prev.state, ...ev.state, ...(changes ? { changes } : {}) } };
        return;
      }
      this.objects.set(ev.channel, this.events.length);
    } else if (ev.type === 'syscall' || ev.type === 'line') {
      if (++this.detail > DETAIL_BUDGET) {
        this.dropped++;
        return;
      }
    }
    this.events.push(ev);
    if (ev.type === 'end') this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FRAME_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.dropped) {
      const t = this.events[this.events.length - 1]?.t ?? 0;
      this.events.push({ type: 'notice', t, message: `${this.dropped} trace events left out of this frame (too fast to show; counters stay exact)` });
    }
    if (this.events.length === 0) return;
    const f: Frame = { runId: this.runId, seq: this.seq++, events: this.events };
    this.events = [];
    this.counters.clear();
    this.objects.clear();
    this.detail = 0;
    this.dropped = 0;
    this.onFrame(f);
    if (f.events.some((e) => e.type === 'end')) this.closed = true;
  }
}
