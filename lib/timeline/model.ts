// The sequence diagram of a recording, as a model: one lifeline per process, time flowing
// down, arrows from each send to the receive that took its bytes, signals from kill to
// delivery, semaphore posts to the waits they woke, a file lock's release to the blocked
// F_SETLKW it let through, blocked intervals, and lanes of object
// state. Pure and isomorphic: the page draws it (and scrubs on it), the CLI writes it as SVG.
//
// Time is drawn on rows, not on a linear clock: a run is mostly idle between bursts of
// microsecond-apart calls, so every moment with something to draw gets a row, and the gap
// to the next row grows with the time between them up to a cap (a break mark beyond).
// When there are more moments than `maxRows`, nearby ones share a row, and arrows of the
// same pair and channel within a row fold into one counted bundle; zooming in (more rows)
// opens them.

import type { ChannelInfo, ProcInfo, ProcState, RunEvent } from '../events';
import { symmetric, type MechanismId } from '../mechanisms';
import type { Recording } from '../recording/format';
import { drain, due, type Steps } from './steps';

export type ArrowKind = 'data' | 'signal' | 'sem' | 'lock';

export interface Arrow {
  kind: ArrowKind;
  from: string;
  to: string;
  channel: string | null;
  /** When it left (the send, the kill, the post) and arrived (the receive returned, the delivery, the wait returned). */
  t0: number;
  t1: number;
  /** Bytes moved (data), or 0. */
  bytes: number;
  /** A short text: the bytes' preview, the signal's name. */
  label: string;
  /** Arrows folded into this one (1: a single arrow). */
  count: number;
  /** A lock's release: how (F_UNLCK, close, exit). */
  how?: string;
}

export interface Interval {
  proc: string;
  t0: number;
  t1: number;
  state: ProcState;
  call?: string;
  channel?: string;
}

export interface Mark {
  proc: string;
  t: number;
  text: string;
  kind: 'stdout' | 'exit' | 'failed';
}

export interface LanePoint {
  t: number;
  value: number;
}

export interface Lane {
  channel: string;
  label: string;
  /** What the value is: bytes buffered, semaphore value, messages queued. */
  measure: 'bytes' | 'value' | 'messages';
  max: number;
  points: LanePoint[];
}

export interface Row {
  t0: number;
  t1: number;
  y: number;
  /** A gap before this row longer than the drawing shows. */
  gapBefore: boolean;
}

export interface TimelineModel {
  title: string;
  processes: ProcInfo[];
  channels: ChannelInfo[];
  /** Where each process's lifeline starts and ends (ms). */
  life: Record<string, { t0: number; t1: number }>;
  /** Children forked during the run: each one's lifeline branches from its parent's at t. */
  forks: { parent: string; child: string; t: number }[];
  arrows: Arrow[];
  intervals: Interval[];
  marks: Mark[];
  lanes: Lane[];
  rows: Row[];
  /** Total height of the rows (px), from the first row at y = 0. */
  height: number;
  t0: number;
  t1: number;
  /** How many single arrows the bundles hold in all, and whether the trace was there to draw arrows from. */
  folded: number;
  traced: boolean;
}

export interface TimelineOptions {
  /** Most rows drawn: more moments than this share rows (and fold their arrows). */
  maxRows?: number;
  /** Vertical space per row and the most a gap between two rows adds (px). */
  rowGap?: number;
  gapMax?: number;
  /** Pixels per ms of a gap between rows, up to gapMax. */
  pxPerMs?: number;
}

const STREAM: ReadonlySet<MechanismId> = new Set(['pipe', 'fifo', 'tcp', 'unix-stream', 'file']);
const SEND = new Set(['write', 'send', 'sendto', 'sendmsg', 'msgsnd', 'mq_send', 'mq_timedsend', 'pwrite']);
const RECV = new Set(['read', 'recv', 'recvfrom', 'recvmsg', 'msgrcv', 'mq_receive', 'mq_timedreceive', 'pread']);
const WAIT = new Set(['sem_wait', 'sem_trywait', 'sem_timedwait']);

type Syscall = Extract<RunEvent, { type: 'syscall' }>;


/** The first quoted string of strace-like arguments, unescaped enough to read. */
export function previewOf(args: string): string {
  const m = /"((?:[^"\\]|\\.)*)"(\.\.\.)?/.exec(args);
  if (!m) return '';
  return m[1].replace(/\\n/g, '⏎').replace(/\\t/g, ' ').replace(/\\"/g, '"').replace(/\\\\/g, '\\') + (m[2] ? '…' : '');
}

/** Bytes a successful send or receive moved. */
function bytesOf(e: Syscall): number {
  const ret = Number(e.ret);
  if (ret > 0) return ret;
  // msgsnd and mq_send return 0: the size is their third argument
  const size = Number(e.args.split(', ')[2]);
  return Number.isFinite(size) && size > 0 ? size : previewOf(e.args).length;
}

interface Pending {
  from: string;
  /** When the call returned, and when it began. */
  t: number;
  start: number;
  bytes: number;
  label: string;
  /** Stream: bytes of this send not yet received. */
  left: number;
}

/**
 * The framer's and the recorder's "N trace events left out" notices: calls are missing in the
 * frame (about 34 ms) or the recorder's 100 ms window that ends at the notice.
 */
const LEFT_OUT = /^\d+ trace events left out/;
const FRAME_SPAN_MS = 40;
const RECORDER_WINDOW_MS = 100;

function* lossyWindows(events: RunEvent[]): Steps<[number, number][]> {
  const out: [number, number][] = [];
  for (const e of events) {
    if (due()) yield;
    if (e.type !== 'notice' || !LEFT_OUT.test(e.message)) continue;
    const from = / of the recording /.test(e.message) ? Math.floor(e.t / RECORDER_WINDOW_MS) * RECORDER_WINDOW_MS : e.t - FRAME_SPAN_MS;
    const last = out[out.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], e.t);
    else out.push([from, e.t]);
  }
  return out;
}

/** Whether t falls in one of the windows (sorted, apart): a binary search, a flood has thousands. */
function within(w: [number, number][], t: number): boolean {
  let lo = 0;
  let hi = w.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (t < w[mid][0]) hi = mid - 1;
    else if (t > w[mid][1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Whether [a, b] meets one of the windows. */
function meets(w: [number, number][], a: number, b: number): boolean {
  let lo = 0;
  let hi = w.length;
  // the first window that ends at or after a
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (w[mid][1] < a) lo = mid + 1;
    else hi = mid;
  }
  return lo < w.length && w[lo][0] <= b;
}

/**
 * Arrows from each send to the receive that took its bytes. Where calls were left out the
 * bytes cannot be followed: no arrow is guessed there (counter bundles stand in), and the
 * matching starts over after.
 */
function* dataArrows(events: RunEvent[], channels: Map<string, ChannelInfo>, lossy: [number, number][]): Steps<Arrow[]> {
  const arrows: Arrow[] = [];
  // per channel and destination: the sends not yet (fully) received, oldest first
  const queues = new Map<string, Pending[]>();
  const posts = new Map<string, Pending[]>();
  const other = (c: ChannelInfo, p: string) => destinationOf(c, p) ?? '*';
  // a call's t is when it returned: a send counts from when it began (a blocked write's first
  // bytes may be read before it returns), a receive or a wait from when it returned
  // calls in a window where some were left out are not matched, so not sorted either (a
  // flood's are nearly all of them): crossing such a window starts the matching over
  const calls: { at: number; e: Syscall; c: ChannelInfo; give: boolean }[] = [];
  for (const e of events) {
    if (due()) yield;
    if (e.type !== 'syscall' || !e.channel || e.errno !== null || Number(e.ret) < 0) continue;
    const c = channels.get(e.channel);
    if (!c || within(lossy, e.t)) continue;
    const give = SEND.has(e.name) || e.name === 'sem_post';
    if (give || RECV.has(e.name) || WAIT.has(e.name)) calls.push({ at: give ? e.t - e.ms : e.t, e, c, give });
  }
  yield;
  calls.sort((a, b) => a.at - b.at || Number(b.give) - Number(a.give));
  yield;
  const arrow = (kind: ArrowKind, s: Pending, e: Syscall, c: ChannelInfo, bytes: number, label: string) =>
    arrows.push({ kind, from: s.from, to: e.proc, channel: c.id, t0: s.t <= e.t ? s.t : s.start, t1: e.t, bytes, label, count: 1 });

  let after = -Infinity;
  for (const { at, e, c, give } of calls) {
    if (due()) yield;
    if (meets(lossy, after, e.t)) {
      queues.clear();
      posts.clear();
    }
    after = Math.max(after, at);
    const pending: Pending = { from: e.proc, t: e.t, start: e.t - e.ms, bytes: 0, left: 0, label: '' };
    if (give && e.name === 'sem_post') {
      let q = posts.get(c.id);
      if (!q) posts.set(c.id, (q = []));
      q.push(pending);
    } else if (give) {
      const key = `${c.id}>${other(c, e.proc)}`;
      pending.bytes = pending.left = bytesOf(e);
      pending.label = previewOf(e.args);
      let q = queues.get(key);
      if (!q) queues.set(key, (q = []));
      q.push(pending);
    } else if (WAIT.has(e.name)) {
      // a wait that returned takes the oldest post (none: it took the initial value)
      const s = posts.get(c.id)?.shift();
      if (s && s.from !== e.proc) arrow('sem', s, e, c, 0, c.label);
    } else {
      // sent to this process, or into an object any of its receivers may take from
      const q = queues.get(`${c.id}>${e.proc}`)?.length ? queues.get(`${c.id}>${e.proc}`) : queues.get(`${c.id}>*`);
      const got = Number(e.ret);
      if (!q?.length || !(got > 0)) continue;
      if (!STREAM.has(c.mechanism)) {
        const s = q.shift()!;
        arrow('data', s, e, c, s.bytes, s.label);
        continue;
      }
      // the bytes read came from the oldest sends first: one arrow from each
      let need = got;
      while (need > 0 && q.length) {
        const s = q[0];
        const take = Math.min(need, s.left);
        arrow('data', s, e, c, take, s.label);
        s.left -= take;
        need -= take;
        if (s.left === 0) q.shift();
      }
    }
  }
  return arrows;
}

const LOCK_TYPE = /^\d+, (F_SETLKW?), \{l_type=(F_RDLCK|F_WRLCK|F_UNLCK)/;

/**
 * A file's fcntl lock released by one process (F_UNLCK, closing the file, exiting) to the
 * F_SETLKW of another that was blocked while it happened: the release that came last before
 * the lock was taken is the one that let it through. Only a holder's release counts (closing
 * a file or exiting frees the locks a process holds, and nothing else).
 */
function* lockArrows(events: RunEvent[], channels: Map<string, ChannelInfo>, lossy: [number, number][]): Steps<Arrow[]> {
  type LockCall = { at: number; e: RunEvent; kind: 'take' | 'release'; proc: string; channel: string | null; how: string; wait: boolean };
  const calls: LockCall[] = [];
  for (const e of events) {
    if (due()) yield;
    if (e.type === 'exit') calls.push({ at: e.t, e, kind: 'release', proc: e.proc, channel: null, how: 'exit', wait: false });
    if (e.type !== 'syscall' || !e.channel || e.errno !== null || e.ret !== '0' || !channels.has(e.channel)) continue;
    if (e.name === 'close') calls.push({ at: e.t - e.ms, e, kind: 'release', proc: e.proc, channel: e.channel, how: 'close', wait: false });
    if (e.name !== 'fcntl') continue;
    const m = LOCK_TYPE.exec(e.args);
    if (!m) continue;
    // a release counts from when it began (the waiter may return before the unlock does); a take when it returned
    if (m[2] === 'F_UNLCK') calls.push({ at: e.t - e.ms, e, kind: 'release', proc: e.proc, channel: e.channel, how: 'F_UNLCK', wait: false });
    else calls.push({ at: e.t, e, kind: 'take', proc: e.proc, channel: e.channel, how: '', wait: m[1] === 'F_SETLKW' });
  }
  calls.sort((a, b) => a.at - b.at);
  const holders = new Map<string, Set<string>>();
  const last = new Map<string, { from: string; t: number; start: number; how: string }>();
  const arrows: Arrow[] = [];
  const release = (c: string, proc: string, t: number, start: number, how: string) => {
    if (!holders.get(c)?.delete(proc)) return;
    last.set(c, { from: proc, t, start, how });
  };
  for (const { e, kind, proc, channel, how, wait } of calls) {
    if (due()) yield;
    if (within(lossy, e.t)) {
      // calls left out: who holds what is unknown until the next release
      last.clear();
      continue;
    }
    if (kind === 'release') {
      if (channel) release(channel, proc, e.t, e.t - (e.type === 'syscall' ? e.ms : 0), how);
      else for (const [c, h] of holders) if (h.has(proc)) release(c, proc, e.t, e.t, how);
      continue;
    }
    const c = channel!;
    let h = holders.get(c);
    if (!h) holders.set(c, (h = new Set()));
    h.add(proc);
    const r = last.get(c);
    const began = e.t - (e.type === 'syscall' ? e.ms : 0);
    // blocked in F_SETLKW while the other released: that release let it through
    if (!wait || !r || r.from === proc || r.t < began) continue;
    arrows.push({ kind: 'lock', from: r.from, to: proc, channel: c, t0: Math.min(r.t, e.t), t1: e.t, bytes: 0, label: channels.get(c)!.label, count: 1, how: r.how });
  }
  return arrows;
}

/**
 * Where a process's sends on a channel go: the other process of a channel between two; the one
 * receiver of an object with several senders; undefined when several could take them.
 */
function destinationOf(c: ChannelInfo, p: string): string | undefined {
  const others = c.links.filter((l) => l.process !== p);
  if (others.length === 1) return others[0].process;
  const receivers = others.filter((l) => l.end === 'to');
  return receivers.length === 1 && !symmetric(c.mechanism) ? receivers[0].process : undefined;
}

/** A kill's event carries the time it returned, which can be just after the delivery it caused. */
const KILL_SLACK_MS = 0.25;

function* signalArrows(events: RunEvent[]): Steps<Arrow[]> {
  const arrows: Arrow[] = [];
  const sent = new Map<string, { from: string; t: number }[]>();
  const deliveries: Extract<RunEvent, { type: 'signal' }>[] = [];
  for (const e of events) {
    if (due()) yield;
    if (e.type !== 'signal') continue;
    if (e.phase === 'sent' && e.from) {
      const key = `${e.to}:${e.signal}`;
      let q = sent.get(key);
      if (!q) sent.set(key, (q = []));
      q.push({ from: e.from, t: e.t });
    } else if (e.phase === 'delivered' || e.phase === 'ignored') deliveries.push(e);
  }
  for (const d of deliveries) {
    if (due()) yield;
    // one delivery takes every send before it: the kernel merges pending standard signals
    const q = sent.get(`${d.to}:${d.signal}`);
    let n = 0;
    while (q && n < q.length && q[n].t <= d.t + KILL_SLACK_MS) n++;
    if (!q || n === 0) continue;
    const first = q[0];
    arrows.push({ kind: 'signal', from: first.from, to: d.to, channel: null, t0: Math.min(first.t, d.t), t1: d.t, bytes: 0, label: d.signal, count: n });
    q.splice(0, n);
  }
  return arrows;
}

/** With no trace (or where it has gaps), the per-channel counters still say how many sends each sample saw: bundles. */
function* counterBundles(events: RunEvent[], channels: Map<string, ChannelInfo>, t0: number, only: ((t0: number, t1: number) => boolean) | null): Steps<Arrow[]> {
  const arrows: Arrow[] = [];
  const seen = new Map<string, { sends: number; bytes: number; t: number }>();
  for (const e of events) {
    if (due()) yield;
    if (e.type !== 'counters' || !e.channels) continue;
    for (const [cid, [sends, , bytes]] of Object.entries(e.channels)) {
      const c = channels.get(cid);
      if (!c || c.mechanism === 'signal') continue;
      const key = `${e.proc}/${cid}`;
      // the first sample counts from the start of the run
      const before = seen.get(key) ?? { sends: 0, bytes: 0, t: t0 };
      seen.set(key, { sends, bytes, t: e.t });
      const n = sends - before.sends;
      if (n <= 0 || (only && !only(before.t, e.t))) continue;
      const to = destinationOf(c, e.proc);
      if (!to) continue; // into an object several may take from: whose, the counters cannot say
      arrows.push({ kind: 'data', from: e.proc, to, channel: cid, t0: before.t, t1: e.t, bytes: Math.max(0, bytes - before.bytes), label: '', count: n });
    }
  }
  return arrows;
}

function* intervalsOf(events: RunEvent[], procs: ProcInfo[], end: number): Steps<Interval[]> {
  const open = new Map<string, Interval>();
  const out: Interval[] = [];
  for (const e of events) {
    if (due()) yield;
    if (e.type !== 'state' && e.type !== 'exit') continue;
    const prev = open.get(e.proc);
    if (prev) {
      prev.t1 = e.t;
      if (prev.t1 > prev.t0 && (prev.state === 'blocked' || prev.state === 'sleeping' || prev.state === 'paused' || prev.state === 'stopped')) out.push(prev);
      open.delete(e.proc);
    }
    if (e.type === 'state' && e.state !== 'exited' && e.state !== 'killed') open.set(e.proc, { proc: e.proc, t0: e.t, t1: e.t, state: e.state, call: e.call, channel: e.channel });
  }
  for (const p of procs) {
    const prev = open.get(p.id);
    if (prev && (prev.state === 'blocked' || prev.state === 'sleeping')) out.push({ ...prev, t1: end });
  }
  return out;
}

function* marksOf(events: RunEvent[]): Steps<Mark[]> {
  const marks: Mark[] = [];
  for (const e of events) {
    if (due()) yield;
    if (e.type === 'stdout' || e.type === 'stderr') {
      const text = e.text.replace(/\n$/, '').replace(/\n/g, '⏎');
      if (text) marks.push({ proc: e.proc, t: e.t, text, kind: 'stdout' });
    } else if (e.type === 'exit') {
      marks.push({ proc: e.proc, t: e.t, text: e.signal ? `killed by ${e.signal}` : `exit ${e.code}`, kind: 'exit' });
    } else if (e.type === 'failed') {
      marks.push({ proc: e.proc, t: e.t, text: `${e.call}() ${e.errno}`, kind: 'failed' });
    }
  }
  return marks;
}

function* lanesOf(events: RunEvent[], channels: ChannelInfo[]): Steps<Lane[]> {
  const lanes = new Map<string, Lane>();
  for (const e of events) {
    if (due()) yield;
    if (e.type !== 'object') continue;
    const s = e.state;
    const [measure, value] =
      s.value !== undefined ? (['value', s.value] as const) : s.messages !== undefined ? (['messages', s.messages] as const) : s.bytes !== undefined && s.size === undefined ? (['bytes', s.bytes] as const) : [null, 0];
    if (!measure) continue;
    let lane = lanes.get(e.channel);
    if (!lane) {
      const c = channels.find((x) => x.id === e.channel);
      lanes.set(e.channel, (lane = { channel: e.channel, label: c?.label ?? e.channel, measure, max: 0, points: [] }));
    }
    const last = lane.points[lane.points.length - 1];
    if (last && last.value === value) continue;
    lane.points.push({ t: e.t, value });
    // scaled to what it reached, not to its capacity: 5 bytes in a 64 KiB pipe must show
    lane.max = Math.max(lane.max, value);
  }
  return [...lanes.values()].filter((l) => l.points.length > 1 || l.max > 0);
}

/** Rows: the moments worth drawing, merged when closer than a spacing chosen to fit maxRows. */
function* rowsOf(times: number[], opts: Required<TimelineOptions>): Steps<Row[]> {
  // a typed array sorts numbers natively (no comparator calls): a flood has tens of thousands
  const all = Float64Array.from(times, (t) => Math.round(t * 1000) / 1000).sort();
  yield;
  const sorted: number[] = [];
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) sorted.push(all[i]);
  yield;
  let spacing = 0;
  const count = (sp: number) => {
    let n = 0;
    let start = -Infinity;
    for (const t of sorted) if (t - start > sp) {
      n++;
      start = t;
    }
    return n;
  };
  if (sorted.length > opts.maxRows) {
    spacing = 0.001;
    while (count(spacing) > opts.maxRows) {
      spacing *= 2;
      yield;
    }
  }
  const rows: Row[] = [];
  let y = 0;
  for (const t of sorted) {
    if (due()) yield;
    const last = rows[rows.length - 1];
    if (last && t - last.t0 <= spacing) {
      last.t1 = t;
      continue;
    }
    if (last) {
      const gap = (t - last.t1) * opts.pxPerMs;
      y += opts.rowGap + Math.min(gap, opts.gapMax);
      rows.push({ t0: t, t1: t, y, gapBefore: gap > opts.gapMax });
    } else rows.push({ t0: t, t1: t, y, gapBefore: false });
  }
  return rows;
}

/** Where time t is drawn: its row's y, or between two rows in proportion. */
export function yAt(m: Pick<TimelineModel, 'rows'>, t: number): number {
  const rows = m.rows;
  if (!rows.length) return 0;
  if (t <= rows[0].t0) return rows[0].y;
  let lo = 0;
  let hi = rows.length - 1;
  if (t >= rows[hi].t1) return rows[hi].y;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (rows[mid].t0 <= t) lo = mid;
    else hi = mid - 1;
  }
  const r = rows[lo];
  const next = rows[lo + 1];
  if (t <= r.t1 || !next) return r.y;
  return r.y + ((t - r.t1) / (next.t0 - r.t1)) * (next.y - r.y);
}

/** The time drawn at y (the inverse of yAt, for a pointer on the diagram). */
export function tAt(m: Pick<TimelineModel, 'rows'>, y: number): number {
  const rows = m.rows;
  if (!rows.length) return 0;
  if (y <= rows[0].y) return rows[0].t0;
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1];
    const b = rows[i];
    if (y <= b.y) return a.t1 + ((y - a.y) / (b.y - a.y)) * (b.t0 - a.t1);
  }
  return rows[rows.length - 1].t1;
}

/** Which row each time falls in (for folding arrows). */
function rowIndex(rows: Row[], t: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (rows[mid].t0 <= t + 1e-9) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Arrows of one pair, channel and kind leaving and arriving on the same rows become one. */
function* fold(arrows: Arrow[], rows: Row[]): Steps<{ arrows: Arrow[]; folded: number }> {
  const byKey = new Map<string, Arrow>();
  let folded = 0;
  for (const a of arrows) {
    if (due()) yield;
    const key = `${a.kind}|${a.from}|${a.to}|${a.channel}|${rowIndex(rows, a.t0)}|${rowIndex(rows, a.t1)}`;
    const had = byKey.get(key);
    if (!had) {
      byKey.set(key, { ...a });
      continue;
    }
    had.count += a.count;
    had.bytes += a.bytes;
    had.t1 = Math.max(had.t1, a.t1);
    folded += a.count;
  }
  return { arrows: [...byKey.values()], folded };
}

const DEFAULTS: Required<TimelineOptions> = { maxRows: 240, rowGap: 16, gapMax: 60, pxPerMs: 8 };

/**
 * Events in time order (each process's come in its order, between processes the clock orders
 * them), as a stable sort by t would put them. A recording is nearly in order (a few events
 * late): those are sorted alone and merged back, not the whole run in one long task.
 */
function* inTimeOrder(events: RunEvent[]): Steps<RunEvent[]> {
  const late: number[] = [];
  let last = -Infinity;
  for (let i = 0; i < events.length; i++) {
    if (due()) yield;
    if (events[i].t < last) late.push(i);
    else last = events[i].t;
  }
  if (!late.length) return events;
  late.sort((a, b) => events[a].t - events[b].t || a - b);
  yield;
  const out: RunEvent[] = [];
  let j = 0;
  const isLate = new Set(late);
  for (let i = 0; i < events.length; i++) {
    if (due()) yield;
    if (isLate.has(i)) continue;
    const e = events[i];
    // the late ones due before this one (on a tie, the one that came first)
    while (j < late.length && (events[late[j]].t < e.t || (events[late[j]].t === e.t && late[j] < i))) out.push(events[late[j++]]);
    out.push(e);
  }
  while (j < late.length) out.push(events[late[j++]]);
  return out;
}

/** The whole build at once (the CLI, tests). */
export function buildTimeline(rec: Recording, options: TimelineOptions = {}): TimelineModel {
  return drain(timelineSteps(rec, options));
}

/** The build, step by step (the page builds a long run's timeline in slices: steps.ts). */
export function* timelineSteps(rec: Recording, options: TimelineOptions = {}): Steps<TimelineModel> {
  const opts = { ...DEFAULTS, ...options };
  const events = yield* inTimeOrder(rec.events);
  let run: Extract<RunEvent, { type: 'run' }> | undefined;
  let end: Extract<RunEvent, { type: 'end' }> | undefined;
  let tLast = 0;
  let traced = false;
  const forked: Extract<RunEvent, { type: 'fork' }>[] = [];
  for (const e of events) {
    if (due()) yield;
    if (e.t > tLast) tLast = e.t;
    if (e.type === 'syscall') traced = true;
    else if (e.type === 'run') run ??= e;
    else if (e.type === 'end') end ??= e;
    else if (e.type === 'fork') forked.push(e);
  }
  // a forked child's lifeline is drawn right after its parent's and its parent's other children
  const processes: ProcInfo[] = [...(run?.processes ?? [])];
  for (const f of forked) {
    let at = processes.findIndex((p) => p.id === f.parent);
    if (at < 0) continue;
    while (at + 1 < processes.length && processes[at + 1].id.startsWith(`${f.parent}.`)) at++;
    processes.splice(at + 1, 0, { id: f.proc, name: f.name, pid: f.pid });
  }
  const channels = run?.channels ?? [];
  const chanById = new Map(channels.map((c) => [c.id, c]));

  const lossy = yield* lossyWindows(events);
  const overlapsLossy = (a: number, b: number) => meets(lossy, a, b);
  const t0 = run?.t ?? 0;
  const data = traced ? [...(yield* dataArrows(events, chanById, lossy)), ...(yield* counterBundles(events, chanById, t0, overlapsLossy))] : yield* counterBundles(events, chanById, t0, null);
  const raw = [...data, ...(yield* signalArrows(events)), ...(traced ? yield* lockArrows(events, chanById, lossy) : [])];
  const intervals = yield* intervalsOf(events, processes, tLast);
  const marks = yield* marksOf(events);
  const lanes = yield* lanesOf(events, channels);

  const life: TimelineModel['life'] = {};
  for (const p of processes) life[p.id] = { t0, t1: end?.t ?? tLast };
  for (const f of forked) if (life[f.proc]) life[f.proc].t0 = f.t;
  for (const e of events) if (e.type === 'exit' && life[e.proc]) life[e.proc].t1 = e.t;
  const forks = forked.filter((f) => life[f.proc]).map((f) => ({ parent: f.parent, child: f.proc, t: f.t }));
  yield;

  const times: number[] = [t0, end?.t ?? tLast];
  for (const a of raw) times.push(a.t0, a.t1);
  for (const i of intervals) times.push(i.t0, i.t1);
  for (const m of marks) times.push(m.t);
  for (const f of forks) times.push(f.t);
  for (const l of lanes) for (const p of l.points) times.push(p.t);
  yield;
  const rows = yield* rowsOf(times, opts);
  yield;
  const { arrows, folded } = yield* fold(raw, rows);
  const title = (rec.scenario as { title?: unknown } | null)?.title;

  return {
    title: typeof title === 'string' ? title : 'Untitled',
    processes,
    channels,
    life,
    forks,
    arrows,
    intervals,
    marks,
    lanes,
    rows,
    height: rows.length ? rows[rows.length - 1].y : 0,
    t0,
    t1: end?.t ?? tLast,
    folded,
    traced,
  };
}
