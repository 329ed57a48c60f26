// One process of a run: the compiled program, spawned with its inherited objects and its
// control page; the server's view of it (state sampled from the page and checked against
// /proc, the event ring turned into run events) and its handle for signals (a pidfd, which
// names this process and never a later one with the same PID).

import fs from 'node:fs';
import net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import type { ProcOutcome, ProcState, RunEvent } from '../../lib/events';
import { CALLS, PAGE, PSTATE, RECKIND } from '../../lib/wire';
import { formatBytes } from '../../lib/format';
import { C, errnoName, onPidfdReadable, reap, signame, spawnProcess, sys, type ExitStatus } from '../../native/index';
import { ControlPage, type RingRecord } from './control';
import { decodeWaitStatus, formatRecord } from './records';
import { StdoutBytes } from './stdout';

export interface ProcSpec {
  id: string;
  name: string;
  index: number;
  bin: string;
  argv: string[];
  /** fds the child inherits, from 3 on: index i becomes child fd 3 + i */
  fds: number[];
  ctl: ControlPage;
  /** fd 0: end of file, a pipe the server writes typed text into, or these bytes then end of file. */
  stdin: 'eof' | 'typed' | Buffer;
  /** Its stdout is a pipe to another process (a shell's |, dup2 in its C): its writes are no terminal output. */
  stdoutChannel?: boolean;
}

/** A child that a run process forked (runtime/ipcpg.c's fork), adopted by the server from its pool page. */
export interface ForkedSpec {
  id: string;
  name: string;
  index: number;
  pid: number;
  ctl: ControlPage;
  parent: RunProcess;
  /** Its page in the pool of its drawn ancestor. */
  slot: number;
}

export interface ProcHooks {
  emit(ev: RunEvent): void;
  /** run-relative ms of a CLOCK_MONOTONIC ns time */
  tOf(ns: bigint): number;
  now(): number;
  channelOfLine(proc: string, line: number): string | undefined;
  /** The channels the poll at a program line watches. */
  watchedAt(proc: string, line: number): string[] | undefined;
  procOfPid(pid: number): string | null;
  peerOf(proc: string, line: number): string;
  stdoutLimit: number;
  /** Reads every process's ring and passes the events on in time order (before an exit is told). */
  settle(): void;
  /** `parent` forked a child on pool page `slot` (its fork() began at run time t). */
  forked(parent: RunProcess, slot: number, t: number): void;
  onExit(p: RunProcess): void;
}

/** /proc/PID/stat's state letter: R running, S sleeping, D disk sleep, T stopped, Z zombie. */
export function procState(pid: number): string | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    return s.slice(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}

/** /proc/PID/stat's fields from the state on (field 3 is [0]), or null when it is gone. */
function statFields(pid: number): string[] | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** How a zombie ended (stat's exit_code, field 52, kept until it is reaped); null when it is not one. */
function zombieStatus(pid: number): ExitStatus | null {
  const f = statFields(pid);
  return f && f[0] === 'Z' && f[49] !== undefined ? decodeWaitStatus(Number(f[49])) : null;
}

/**
 * Its wait status, once waitid gives it. A tracer (strace -p, gdb) is told of the exit first and
 * the parent only after it, though the pidfd is readable already: so try again for a while.
 */
function reapOnceTold(pidfd: number, done: (st: ExitStatus) => void, tries = 500): void {
  const st = reap(pidfd);
  if (st || tries <= 0) done(st ?? { code: null, signal: null });
  else setTimeout(() => reapOnceTold(pidfd, done, tries - 1), 10);
}

/** A pidfd of a forked child, once /proc confirms it is that parent's (a PID seen late may be someone else's by now); -1 if gone. */
function openChildPidfd(pid: number, parentPid: number): number {
  let fd: number | null;
  try {
    fd = sys.pidfdOpen(pid);
  } catch {
    return -1;
  }
  if (fd === null) return -1;
  if (statFields(pid)?.[1] === String(parentPid)) return fd;
  sys.close(fd);
  return -1;
}

/** How long a write of a family with forked children waits for the record of the bytes at the pipe's head. */
const CLAIM_WAIT_MS = 50;

export class RunProcess {
  readonly id: string;
  readonly name: string;
  readonly index: number;
  readonly pid: number;
  readonly ctl: ControlPage;
  private pidfd = -1;
  outcome: ProcOutcome | null = null;
  stdoutBytes = 0;
  /** held in pause by the user (not by slow motion) */
  paused = false;
  private shown = { state: '' as string, line: 0, stmts: -1, counts: '', failures: 0 };

  /** The drawn process whose stdout pipe this one writes to (itself, or the one it was forked from). */
  readonly root: RunProcess;
  /** The process that forked this one; null for a drawn process. */
  readonly parent: RunProcess | null = null;
  /** Its page in the pool of forked children's pages; -1: a drawn process, with a page of its own. */
  readonly slot: number = -1;
  /** Children it forked, adopted so far. */
  readonly children: RunProcess[] = [];
  /** Its fd 1 is a pipe to another process (a shell's |): a write(1) sends, it prints nothing. */
  private readonly stdoutChannel: boolean = false;

  constructor(
    spec: ProcSpec | ForkedSpec,
    private hooks: ProcHooks,
  ) {
    this.id = spec.id;
    this.name = spec.name;
    this.index = spec.index;
    this.ctl = spec.ctl;
    if ('parent' in spec) {
      this.parent = spec.parent;
      this.slot = spec.slot;
      this.paused = spec.parent.paused;
      this.root = spec.parent.root;
      this.pid = spec.pid;
      this.pidfd = openChildPidfd(spec.pid, spec.parent.pid);
      spec.parent.children.push(this);
      this.streams = [];
      this.wireForked();
      return;
    }
    this.root = this;
    this.stdoutChannel = !!spec.stdoutChannel;
    // stdout and stderr are pipes, as a shell gives them (Node's 'pipe' would be a socketpair)
    const out = sys.pipe2(C.O_CLOEXEC);
    const err = sys.pipe2(C.O_CLOEXEC);
    const inp = spec.stdin === 'eof' ? null : sys.pipe2(C.O_CLOEXEC);
    let pid = 0;
    try {
      pid = spawnProcess({
        path: spec.bin,
        argv: [spec.name.replace(/[^\w.-]/g, '_').slice(0, 15) || 'process', ...spec.argv],
        env: [],
        // stdin (end of file: /dev/null, or a pipe); then the control page, the start pipe and the channels' objects
        fds: [inp ? inp[0] : -1, out[1], err[1], ...spec.fds],
      });
    } catch (e) {
      for (const fd of [out[0], err[0], ...(inp ? [inp[1]] : [])]) sys.close(fd);
      throw e;
    } finally {
      for (const fd of [out[1], err[1], ...(inp ? [inp[0]] : [])]) sys.close(fd);
    }
    if (inp) {
      this.stdin = new net.Socket({ fd: inp[1], readable: false, writable: true });
      // EPIPE once the process has exited or closed fd 0: what is typed then goes nowhere, as in a shell
      this.stdin.on('error', () => {});
      if (Buffer.isBuffer(spec.stdin)) this.stdin.end(spec.stdin);
    }
    this.pid = pid;
    // a pidfd names this process from now on: signals, its fds, its end (only we reap it)
    this.pidfd = sys.pidfdOpen(pid) ?? -1;
    this.streams = [out[0], err[0]].map((fd) => new net.Socket({ fd, readable: true, writable: false }));
    this.wire();
  }

  private streams: net.Socket[];
  private stdin: net.Socket | null = null;

  /** Writes typed text to the process's fd 0; false when it has none open for writing. */
  input(text: string): boolean {
    if (!this.stdin || this.stdin.writableEnded || this.stdin.destroyed) return false;
    this.stdin.write(text);
    return true;
  }

  /** Ends the process's fd 0 (Ctrl-D): its reads give end of file once what was typed is read. */
  endInput(): boolean {
    if (!this.stdin || this.stdin.writableEnded) return false;
    this.stdin.end();
    return true;
  }
  private closed: Promise<void> = Promise.resolve();

  private wire(): void {
    const { hooks } = this;
    // ended: the process has exited and its output is all read (in that order or the other)
    const ended = [
      new Promise<ExitStatus>((resolve) => {
        const watch = onPidfdReadable(this.pidfd, () => {
          watch.close();
          reapOnceTold(this.pidfd, resolve);
        });
      }),
      ...this.streams.map((s) => new Promise<void>((resolve) => s.once('close', () => resolve()))),
    ];
    this.closed = Promise.all(ended).then(([status]) => this.exited((status as ExitStatus).code, (status as ExitStatus).signal));
    const [out, err] = this.streams;
    for (const st of this.streams) st.on('error', () => {});
    // stdout: its bytes wait for the runtime's record of the write(2) that made them, which
    // gives them their time (so that lines of several processes come out in the order they
    // were printed); stderr (perror, glibc's messages: no record) goes on as it comes
    out.on('data', (b: Buffer) => {
      this.pipeOut.out.add(b);
      // its forked children write to the same pipe: their records claim their bytes
      for (const p of this.family) p.pump();
      this.claimOut();
      this.unclaimedLater();
    });
    err.on('data', (b: Buffer) => {
      this.pump();
      this.flush();
      this.output('stderr', this.stderrDecoder.write(b), hooks.now(), false);
    });
  }

  /** A forked child: ended when its pidfd says so; how, from /proc while it is a zombie, else from its parent's waitpid. */
  private wireForked(): void {
    this.closed = new Promise<void>((resolve) => {
      this.forkedEnd = resolve;
      if (this.pidfd < 0) return void this.endedUnseen();
      const watch = onPidfdReadable(this.pidfd, () => {
        watch.close();
        const st = zombieStatus(this.pid);
        if (st) this.finish(st);
        else this.endedUnseen();
      });
    });
  }

  private forkedEnd: (() => void) | null = null;

  /** Gone before the server saw how: its parent's waitpid will say, or (reaped by someone else) nobody will. */
  private endedUnseen(): void {
    setTimeout(() => this.finish({ code: null, signal: null }), 1000).unref();
  }

  private finish(st: ExitStatus): void {
    if (this.outcome) return;
    this.exited(st.code, st.signal);
    this.forkedEnd?.();
  }

  /** A forked child at the run's end, not told ended yet (killed with the run, reaped by nobody we see): ended, how unknown. */
  forgetChild(): void {
    if (this.parent) this.finish({ code: null, signal: null });
  }

  /** Its parent's waitpid(2) took it (the raw wait status): it is gone. */
  reaped(by: RunProcess, status: number): void {
    this.finish(decodeWaitStatus(status));
    this.emit({ type: 'reaped', t: this.hooks.now(), proc: this.id, by: by.id });
  }

  private pipeOut = { out: new StdoutBytes(), decoder: new StringDecoder('utf8') };
  private lastOutT = 0;
  /** Children of this drawn process's family forked with no page to watch them by. */
  unobserved = 0;

  /** This process and every child it forked, theirs too. */
  get family(): RunProcess[] {
    return [this, ...this.children.flatMap((c) => c.family)];
  }

  private outTimer: NodeJS.Timeout | null = null;
  private stderrDecoder = new StringDecoder('utf8');

  /** stdout bytes no record claims a moment after they came (a dropped record): passed on as they are. */
  private unclaimedLater(): void {
    if (this.pipeOut.out.waiting === 0 || this.outTimer) return;
    this.outTimer = setTimeout(() => {
      this.outTimer = null;
      for (const p of this.family) p.pump();
      this.claimOut();
      this.unclaimed();
    }, 50);
  }

  private unclaimed(): void {
    const dropped = this.ctl.alive ? this.ctl.dropped : this.droppedSeen;
    // bytes of an unwatched child, or of a dropped record, have no record to come
    const late = dropped === this.droppedSeen && this.unobserved === 0;
    this.droppedSeen = dropped;
    const { out, decoder } = this.pipeOut;
    if (out.waiting > 0) this.output('stdout', decoder.write(out.unclaimed(late)), this.hooks.now(), true);
  }

  private droppedSeen = 0;

  /** Output within the process's limit; through the ring's merge (in time order) or straight on. */
  private output(stream: 'stdout' | 'stderr', text: string, t: number, merged: boolean): void {
    const limit = this.hooks.stdoutLimit;
    if (!text || this.stdoutBytes >= limit) return;
    const room = limit - this.stdoutBytes;
    const bytes = Buffer.byteLength(text);
    if (bytes > room) text = Buffer.from(text).subarray(0, room).toString();
    this.stdoutBytes += Math.min(bytes, room);
    if (stream === 'stdout') {
      // one pipe's text in its order, bytes shown without their record (at `now`) included
      t = Math.max(t, this.root.lastOutT);
      this.root.lastOutT = t;
    }
    const ev: RunEvent = { type: stream, t, proc: this.id, text };
    if (merged) this.fromRingEvent(ev);
    else this.emit(ev);
    if (this.stdoutBytes >= limit) {
      this.emit({ type: 'notice', t: this.hooks.now(), proc: this.id, message: `${this.name}: output limit of ${formatBytes(limit)} reached; the rest of its output is not shown` });
    }
  }

  /** Events of the ring read but not yet passed on: the run merges every process's by time. */
  readonly fromRing: RunEvent[] = [];

  /** Passes an event on (to the run's merge by time), after what this process's ring held before it. */
  private emit(ev: RunEvent): void {
    this.flush();
    this.hooks.emit(ev);
  }

  /** Passes on what was read from the ring. */
  flush(): void {
    for (const ev of this.fromRing) this.hooks.emit(ev);
    this.fromRing.length = 0;
  }

  private fromRingEvent(ev: RunEvent): void {
    this.fromRing.push(ev);
  }

  get ready(): boolean {
    return this.ctl.state !== PSTATE.starting;
  }

  /** Reads the event ring. */
  pump(): void {
    if (!this.ctl.alive) return;
    this.ctl.drain((r) => this.record(r));
  }

  /**
   * The stdout writes of this drawn process and its forked children (one pipe), whose bytes
   * wait to be claimed: in the order of their times, as the pipe took them.
   */
  private pendingOut: { proc: RunProcess; n: number; t: number; head: Buffer }[] = [];

  /**
   * Claims the bytes of the pending writes as far as they have been read from the pipe: each
   * time the oldest write whose first bytes (the record's preview) are the pipe's next ones
   * (writes of several processes returning together may have entered the pipe in another
   * order than they returned). Bytes already shown without their record go to the oldest.
   */
  claimOut(): void {
    const pending = this.pendingOut;
    if (pending.length > 1) pending.sort((a, b) => a.t - b.t);
    const { out, decoder } = this.pipeOut;
    while (pending.length) {
      const next = out.peek(PAGE.preview);
      let k = pending.findIndex((w) => {
        const m = Math.min(w.head.length, next.length);
        return m > 0 && w.head.subarray(0, m).equals(next.subarray(0, m));
      });
      // bytes no pending write starts with: the record of their write may still be to read (a
      // child's, a moment later), so the oldest waits a little; alone, or after that (a record the
      // full ring dropped), the writes take the bytes in order, as they came
      if (k < 0 && next.length > 0 && this.children.length > 0 && this.hooks.now() - pending[0].t < CLAIM_WAIT_MS) break;
      if (k < 0) k = 0;
      const w = pending[k];
      const bytes = out.claim(w.n);
      if (!bytes) break;
      pending.splice(k, 1);
      if (bytes.length) w.proc.output('stdout', decoder.write(bytes), w.t, true);
    }
  }

  /** The time of a write(1) of this family whose bytes have not been read from the pipe yet (events after it wait), or null. */
  get blockedAt(): number | null {
    return this.root === this ? (this.pendingOut[0]?.t ?? null) : null;
  }

  /** One record as events (a write to stdout waits for its bytes: claimOut). */
  private record(r: RingRecord): void {
    const { hooks } = this;
    // a call is told when it returns, as strace prints it (and so, in the order things completed)
    const t = hooks.tOf(r.t + r.dur);
    switch (r.kind) {
      case RECKIND.line:
        this.fromRingEvent({ type: 'line', t, proc: this.id, line: r.line });
        return;
      case RECKIND.signal: {
        const sig = signame(Number(r.a[0]));
        this.fromRingEvent({ type: 'signal', t, signal: sig, from: null, to: this.id, phase: 'delivered' });
        this.fromRingEvent({ type: 'signal', t, signal: sig, from: null, to: this.id, phase: 'handled' });
        return;
      }
      case RECKIND.handlerEnd:
        return;
      case RECKIND.syscall: {
        const f = formatRecord(r, hooks.peerOf(this.id, r.line));
        if (f.name === 'write' && r.a[0] === 1n && r.ret > 0n && !this.root.stdoutChannel) {
          // the process's stdout: its bytes, at the time of the write
          this.root.pendingOut.push({ proc: this, n: Number(r.ret), t, head: r.data });
        }
        if (f.name === 'poll' && r.ret > 0n) {
          const ready = this.readyChannels(r.data);
          if (ready.length) this.fromRingEvent({ type: 'ready', t, proc: this.id, channels: ready });
        }
        if (f.name === 'fork' && r.ret > 0n) {
          if (r.a[0] >= 0n) hooks.forked(this, Number(r.a[0]), hooks.tOf(r.t));
          else if (this.root.unobserved++ === 0) {
            this.fromRingEvent({ type: 'notice', t, proc: this.id, message: `${this.name} forked more children at once than the page can follow: the others run unwatched (their output goes to ${this.root.name}'s terminal)` });
          }
        }
        if (f.name === 'waitpid' && r.ret > 0n) {
          const child = this.children.find((c) => c.pid === Number(r.ret));
          // after this drain: reaping ends the child, which reads every ring
          if (child) setImmediate(() => child.reaped(this, Number(r.a[1])));
        }
        const channel = hooks.channelOfLine(this.id, r.line);
        if (f.name === 'kill' && r.ret === 0n) {
          this.fromRingEvent({ type: 'signal', t, signal: signame(Number(r.a[1])), from: this.id, to: hooks.procOfPid(Number(r.a[0])) ?? String(r.a[0]), phase: 'sent' });
        }
        // kill and write(1) are recorded whatever the trace, for the events above; the trace shows them only when on
        if (this.ctl.tracing) this.fromRingEvent({ type: 'syscall', t, proc: this.id, name: f.name, args: f.args, ret: f.ret, errno: f.errno, ms: Number(r.dur) / 1e6, ...(channel ? { channel } : {}) });
        return;
      }
    }
  }

  /** The channels of the pollfds a poll record found ready (struct pollfd: fd, events, revents), by the fds this process holds. */
  private readyChannels(fds: Buffer): string[] {
    const out: string[] = [];
    for (let off = 0; off + 8 <= fds.length; off += 8) {
      const fd = fds.readInt32LE(off);
      if (fd < 0 || !fds.readInt16LE(off + 6)) continue;
      const i = this.chanIds.findIndex((_, k) => this.ctl.chanFd(k) === fd);
      if (i >= 0) out.push(this.chanIds[i]);
    }
    return out;
  }

  /** Samples state and counters (after the ring was read: Run.sampleProcs); emits what changed. */
  sample(): void {
    if (this.outcome) return;
    const { ctl, hooks } = this;
    let state: ProcState;
    let call: string | undefined;
    let channel: string | undefined;
    let watching: string[] | undefined;
    const st = ctl.state;
    const os = this.pid > 1 ? procState(this.pid) : null;
    if (os === 'T' || os === 't') state = 'stopped';
    else if (st === PSTATE.starting || st === PSTATE.ready) state = 'starting';
    else if (st === PSTATE.paused) state = 'paused';
    else if (st === PSTATE.inCall && (os === 'S' || os === 'D')) {
      call = CALLS[ctl.call];
      state = call === 'nanosleep' ? 'sleeping' : 'blocked';
      channel = hooks.channelOfLine(this.id, ctl.callLine);
      if (call === 'poll') watching = hooks.watchedAt(this.id, ctl.callLine);
    } else state = 'running';
    const key = `${state}/${call ?? ''}/${channel ?? ''}/${watching?.join(',') ?? ''}`;
    if (key !== this.shown.state && !(state === 'starting' && this.shown.state === '')) {
      this.shown.state = key;
      this.emit({ type: 'state', t: hooks.now(), proc: this.id, state, ...(call ? { call } : {}), ...(channel ? { channel } : {}), ...(watching ? { watching } : {}) });
    }
    const f = ctl.failures;
    if (f.count !== this.shown.failures) {
      this.shown.failures = f.count;
      this.emit({ type: 'failed', t: hooks.now(), proc: this.id, call: CALLS[f.call] ?? `call ${f.call}`, errno: errnoName(f.errno), line: f.line, count: f.count });
    }
    this.counters();
  }

  /** Channel counts of this process: channel index -> sends, receives, bytes. */
  channelCounts(chans: number): [number, number, number][] {
    const out: [number, number, number][] = [];
    for (let i = 0; i < chans; i++) out.push(this.ctl.alive ? this.ctl.chanCounts(i) : [0, 0, 0]);
    return out;
  }

  private countsCache: [number, number, number][] = [];
  chanIds: string[] = [];
  /** Lines of shared-memory statements: line, channel index, 0 write / 1 read. */
  memLines: [number, number, 0 | 1][] = [];

  private counters(): void {
    const { ctl } = this;
    if (!ctl.alive) return;
    const stmts = ctl.statements;
    const syscalls: Record<string, number> = {};
    for (let i = 1; i < CALLS.length; i++) {
      const c = ctl.callCount(i);
      if (c) syscalls[CALLS[i]] = c;
    }
    this.countsCache = this.channelCounts(this.chanIds.length);
    for (const [line, ch, dir] of this.memLines) if (ch >= 0) this.countsCache[ch][dir] += ctl.lineHits(line);
    const channels: Record<string, [number, number, number]> = {};
    let sends = 0;
    let recvs = 0;
    let bytes = 0;
    this.countsCache.forEach((c, i) => {
      if (!c[0] && !c[1]) return;
      channels[this.chanIds[i]] = c;
      sends += c[0];
      recvs += c[1];
      bytes += c[2];
    });
    const key = `${stmts}/${JSON.stringify(syscalls)}/${sends}/${recvs}`;
    if (key === this.shown.counts) return;
    this.shown.counts = key;
    this.emit({ type: 'counters', t: this.hooks.now(), proc: this.id, statements: stmts, line: ctl.line, syscalls, sends, recvs, bytes, channels });
  }

  /** The last counts read (kept after the page is unmapped). */
  get counts(): [number, number, number][] {
    return this.countsCache;
  }

  private exited(code: number | null, signal: string | null): void {
    this.stdin?.destroy();
    this.hooks.settle();
    this.pump();
    if (this.outTimer) clearTimeout(this.outTimer);
    if (this.root === this) {
      this.claimOut();
      this.unclaimed();
    }
    this.flush();
    const inCall = this.ctl.alive && this.ctl.state === PSTATE.inCall;
    if (signal && inCall && this.ctl.tracing) {
      // killed inside a call (write(2) on a pipe with no reader and SIGPIPE, a signal's default
      // action): the call never returned, as strace shows it: `write(...) = -1 EPIPE`, or `= ?`
      const call = CALLS[this.ctl.call];
      const channel = this.hooks.channelOfLine(this.id, this.ctl.callLine);
      const epipe = signal === 'SIGPIPE' && /^(write|send|sendto)$/.test(call);
      this.emit({ type: 'syscall', t: this.hooks.now(), proc: this.id, name: call, args: '...', ret: epipe ? '-1' : '?', errno: epipe ? 'EPIPE' : null, ms: 0, ...(channel ? { channel } : {}) });
    } else this.sample(); // a call that returned since the last sample shows as returned
    this.counters();
    const t = this.hooks.now();
    this.outcome = { id: this.id, name: this.name, code, signal, ms: t, outcome: signal ? `killed by ${signal}` : `exited ${code}` };
    if (signal && signal !== 'SIGKILL' && signal !== 'SIGTERM') this.emit({ type: 'signal', t, signal, from: null, to: this.id, phase: 'delivered' });
    this.emit({ type: 'exit', t, proc: this.id, code, signal });
    this.emit({ type: 'state', t, proc: this.id, state: signal ? 'killed' : 'exited' });
    this.ctl.unmap();
    if (this.pidfd >= 0) sys.close(this.pidfd);
    this.pidfd = -1;
    this.hooks.onExit(this);
  }

  /** A signal to this process and no other (pidfd); false once it has ended. */
  signal(sig: number): boolean {
    if (this.outcome || this.pidfd < 0) return false;
    try {
      return sys.pidfdSignal(this.pidfd, sig);
    } catch {
      return false;
    }
  }

  /** A copy of one of its fds (pidfd_getfd), closed after fn; null if it has none there. */
  withFd<T>(fd: number, fn: (fd: number) => T): T | null {
    if (this.outcome || this.pidfd < 0 || fd < 0) return null;
    let mine: number;
    try {
      mine = sys.pidfdGetfd(this.pidfd, fd);
    } catch {
      return null;
    }
    try {
      return fn(mine);
    } finally {
      sys.close(mine);
    }
  }

  whenClosed(): Promise<void> {
    return this.closed;
  }
}
