// What a process host offers its interpreter and mechanism endpoints: the event pipe to the
// server, the tracer, signal delivery, and blocking that never freezes the event loop.
//
// Blocking design: fd-based waits are synchronous poll(2) calls on the main thread, in slices
// of at most SLICE_MS. A signal interrupts poll (EINTR), the loop yields once so Node runs the
// listener, and the handler runs before the wait goes on. Waiting on the main thread keeps a
// round trip close to C's; a worker-thread (.async) call would add a thread hop each time.

import { C, SyscallError, setTracer, signum, sys, type Tracer } from '../../native/index';
import type { ProcState, RunEvent } from '../../lib/events';

export const SLICE_MS = 50;
/**
 * At full speed with trace off, a call that would block first retries without sleeping for
 * this long (adaptive spinning, as glibc's adaptive mutexes do): a hand-off between two
 * processes on two cores then costs no sleep and wake-up. Slow motion and trace never spin.
 */
const SPIN_MS = 0.05;
/** A wait shorter than this is not announced at full speed with trace off (coalesced away). */
const QUIET_WAIT_MS = 2;
const EVENTS_FD = 3;
const FLUSH_BYTES = 32 * 1024;

type Ev = RunEvent extends infer E ? (E extends { t: number } ? Omit<E, 't'> : never) : never;

export class Stopped extends Error {}

export class HostRuntime {
  readonly proc: string;
  private readonly t0: bigint;
  /** Process id -> PID, known from the start message on. */
  pids: Record<string, number> = {};
  trace: boolean;
  /** Statements per second; 0 = full speed. */
  sps: number;
  paused = false;
  private stepCredits = 0;
  /**
   * Whoever waits while paused: the main program and, when a signal came meanwhile, its handler
   * too. Resume wakes all: keeping only the last left the main program parked for ever.
   */
  private resumeWaiters: (() => void)[] = [];

  private buf = '';
  private state: ProcState = 'starting';
  statements = 0;
  line = 0;
  sends = 0;
  recvs = 0;
  bytes = 0;
  private syscalls: Record<string, number> = {};
  private countersDirty = false;
  private lastYield = 0;
  private hideEagain = false;

  /** Signals delivered and not yet handled, in order. */
  private pendingSignals: string[] = [];
  /** How many handlers are running (nested); what waits while paused knows its own level. */
  private handlerDepth = 0;
  private handlerRun: Promise<void> | null = null;
  /** Run a program's `on SIG` handler; set by the interpreter. */
  runHandler: ((sig: string) => Promise<void>) | null = null;
  private handled = new Set<string>();
  private signalCounts: Record<string, number> = {};
  private signalWaiters: (() => void)[] = [];

  private readonly tracer: Tracer;

  constructor(opts: { proc: string; t0: bigint; trace: boolean; sps: number; paused: boolean }) {
    this.proc = opts.proc;
    this.t0 = opts.t0;
    this.trace = opts.trace;
    this.sps = opts.sps;
    this.paused = opts.paused;
    const self = this;
    this.tracer = {
      detail: this.trace,
      count(name, errno) {
        if (errno === C.EAGAIN && self.hideEagain) return;
        self.syscalls[name] = (self.syscalls[name] ?? 0) + 1;
        self.countersDirty = true;
      },
      onCall(name, args, ret, errno, ms) {
        if (errno === 'EAGAIN' && self.hideEagain) return;
        self.syscalls[name] = (self.syscalls[name] ?? 0) + 1;
        self.countersDirty = true;
        if (self.trace) self.emit({ type: 'syscall', proc: self.proc, name, args: args ?? '', ret, errno, ms: Math.round(ms * 1000) / 1000, channel: self.currentChannel ?? undefined });
      },
    };
    setTracer(this.tracer);
  }

  /** Sends, receives and bytes per channel id, for the counters event. */
  channelCounts: (() => Record<string, [number, number, number]>) | null = null;

  /** The channel the statement being run acts on, for the trace. */
  currentChannel: string | null = null;

  /** True when every statement and call is reported one by one (trace on or slow motion). */
  get detailed(): boolean {
    return this.trace || this.sps > 0 || this.paused;
  }

  now(): number {
    return Number(process.hrtime.bigint() - this.t0) / 1e6;
  }

  emit(ev: Ev): void {
    (ev as RunEvent).t = Math.round(this.now() * 1000) / 1000;
    this.buf += JSON.stringify(ev) + '\n';
    if (this.buf.length > FLUSH_BYTES) this.flush();
  }

  /** Writes buffered events to the server; synchronous, so nothing is lost at _exit. */
  flush(): void {
    if (this.countersDirty) {
      this.countersDirty = false;
      this.buf += JSON.stringify({
        type: 'counters', t: this.now(), proc: this.proc, statements: this.statements, line: this.line,
        syscalls: this.syscalls, sends: this.sends, recvs: this.recvs, bytes: this.bytes, channels: this.channelCounts?.(),
      }) + '\n';
    }
    if (!this.buf) return;
    const data = Buffer.from(this.buf);
    this.buf = '';
    this.quietly(() => writeAll(EVENTS_FD, data));
  }

  setState(state: ProcState, call?: string, channel?: string): void {
    this.state = state;
    this.emit({ type: 'state', proc: this.proc, state, call, channel });
  }

  /**
   * Reports one logical call made of quiet attempts (sem_trywait, then sem_timedwait slices):
   * the trace shows the call the program made, with the whole wait as its duration.
   */
  logical(name: string, args: () => string, ret: string, errno: string | null, ms: number): void {
    this.tracer.onCall(name, this.trace ? args() : null, ret, errno, ms);
  }

  /** Runs fn with the tracer detached: the host's own bookkeeping calls are not the program's. */
  quietly<T>(fn: () => T): T {
    setTracer(null);
    try {
      return fn();
    } finally {
      setTracer(this.tracer);
    }
  }

  // ---- statements: pause, step, speed, yielding ----

  /**
   * Called before every statement. At full speed it returns undefined (nothing to wait for):
   * no promise, no microtask. A promise when the statement must wait (pause, slow motion,
   * the periodic yield to the event loop, a signal handler to run first).
   */
  gate(line: number): Promise<void> | undefined {
    this.statements++;
    this.line = line;
    this.countersDirty = true;
    if (this.detailed || this.statements === 1) this.emit({ type: 'line', proc: this.proc, line });
    if (this.paused || this.sps > 0 || this.pendingSignals.length) return this.gateSlow();
    if ((this.statements & 1023) === 0) {
      const t = performance.now();
      if (t - this.lastYield > 20) {
        this.lastYield = t;
        return this.yieldThenHandlers();
      }
    }
    return undefined;
  }

  private async yieldThenHandlers(): Promise<void> {
    await this.yieldLoop();
    if (this.pendingSignals.length) await this.runPendingHandlers();
  }

  private async gateSlow(): Promise<void> {
    if (this.paused) await this.waitWhilePaused();
    if (this.sps > 0) {
      this.flush();
      await this.sleepInterruptible(1000 / this.sps);
    }
    if (this.pendingSignals.length) await this.runPendingHandlers();
  }

  private async waitWhilePaused(): Promise<void> {
    const depth = this.handlerDepth;
    while (this.paused) {
      if (this.stepCredits > 0) {
        this.stepCredits--;
        return;
      }
      const prev = this.state;
      this.setState('paused');
      this.flush();
      await new Promise<void>((r) => this.resumeWaiters.push(r));
      // a handler that started while we waited (and waited too) runs to its end first, as the
      // kernel runs a handler before the code it interrupted goes on
      if (this.handlerDepth > depth && this.handlerRun) await this.handlerRun;
      if (this.pendingSignals.length) await this.runPendingHandlers();
      if (!this.paused) this.setState(prev === 'paused' ? 'running' : prev);
    }
  }

  control(msg: { type: string; sps?: number; trace?: boolean }): void {
    if (msg.type === 'pause') this.paused = true;
    else if (msg.type === 'resume') this.paused = false;
    else if (msg.type === 'step') {
      this.paused = true;
      this.stepCredits++;
    } else if (msg.type === 'speed') this.sps = Math.max(0, msg.sps ?? 0);
    else if (msg.type === 'trace') this.trace = this.tracer.detail = !!msg.trace;
    const ws = this.resumeWaiters;
    this.resumeWaiters = [];
    for (const w of ws) w();
    this.wakeSleep?.();
  }

  private wakeSleep: (() => void) | null = null;

  /** A timer sleep that signals and control messages cut short. */
  private sleepInterruptible(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeSleep = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeSleep = done;
    });
  }

  /**
   * Lets the event loop run through a whole turn, poll phase included: control messages,
   * signal listeners (libuv reads its signal pipe there), timers. One setImmediate may fire
   * in the current turn's check phase, before any poll: a signal that just came would wait.
   */
  async yieldLoop(): Promise<void> {
    this.flush();
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
  }

  // ---- blocking ----

  /**
   * As ioNb, for an attempt that throws EAGAIN (calls with a result other than a count).
   * The EAGAIN attempts are hidden from the trace: the program made one logical call.
   */
  async io<T>(call: string, channel: string, fd: number, events: number, attempt: () => T): Promise<T> {
    let out!: T;
    await this.ioNb(call, channel, fd, events, () => {
      try {
        out = attempt();
        return 0;
      } catch (e) {
        if (e instanceof SyscallError && e.code === 'EAGAIN') return -1;
        throw e;
      }
    });
    return out;
  }

  /** One nonblocking read or write (-1 on EAGAIN), the EAGAIN hidden from the trace. No closure: the hot path. */
  tryNb(op: (fd: number, buf: Buffer, len: number) => number, fd: number, buf: Buffer, len: number): number {
    this.hideEagain = true;
    try {
      return op(fd, buf, len);
    } finally {
      this.hideEagain = false;
    }
  }

  /**
   * Runs a nonblocking attempt (-1 on EAGAIN) until it succeeds, spinning briefly and then
   * waiting on fd in between; the EAGAIN attempts are hidden from the trace.
   */
  async ioNb(call: string, channel: string, fd: number, events: number, attempt: () => number): Promise<number> {
    let spun = false;
    for (;;) {
      this.hideEagain = true;
      let r: number;
      try {
        r = attempt();
      } finally {
        this.hideEagain = false;
      }
      if (r >= 0) return r;
      // spin on poll(fd, 0), not on the call itself: a zero-timeout poll takes neither the
      // pipe's mutex nor its wait queue, so the process we wait for is not slowed down
      if (!spun) {
        spun = true;
        if (this.spin(() => this.ready(fd, events))) continue;
      }
      await this.waitFd(fd, events, call, channel);
    }
  }

  /** The current spin budget (ms); see spin(). */
  private spinBudget = SPIN_MS;
  private waits = 0;

  /**
   * Adaptive spinning before a sleep, at full speed with trace off: calls done() until it says
   * true or the budget runs out. A spin that ends the wait raises the budget (to twice what it
   * took, at most SPIN_MS); a spin that runs out halves it. When the CPUs are contended the
   * process we wait for is not running, spins run out, and spinning fades away instead of
   * stealing the CPU it needs; one wait in 64 probes with the full budget to find out when it
   * pays again. Returns whether done() said true.
   */
  private spin(done: () => boolean): boolean {
    if (this.detailed) return false;
    const probe = (++this.waits & 63) === 0;
    const budget = probe ? SPIN_MS : this.spinBudget;
    if (budget < 0.001) return false;
    const t0 = performance.now();
    const until = t0 + budget;
    do {
      if (done()) {
        const took = performance.now() - t0;
        this.spinBudget = Math.min(SPIN_MS, Math.max(this.spinBudget, 2 * took, 0.004));
        return true;
      }
    } while (performance.now() < until);
    this.spinBudget /= 2;
    return false;
  }

  private ready(fd: number, events: number): boolean {
    const r = this.quietly(() => sys.poll([{ fd, events }], 0));
    return r !== null && r[0] !== 0;
  }

  /** Waits until fd is ready for events, announcing the blocked state if it takes a while. */
  async waitFd(fd: number, events: number, call: string, channel: string): Promise<void> {
    await this.block(
      call,
      channel,
      (ms) => {
        const r = this.quietly(() => sys.poll([{ fd, events }], ms));
        return r !== null && r[0] !== 0 ? true : undefined;
      },
      true, // called after EAGAIN: no point asking again at once
    );
  }

  /** As block, but synchronous when the first attempt succeeds (no promise, no microtask). */
  blockFast<T>(call: string, channel: string, attempt: (ms: number) => T | undefined): T | Promise<T> {
    const r = attempt(0);
    return r !== undefined ? r : this.block(call, channel, attempt);
  }

  /**
   * The generic wait: `attempt(ms)` waits at most ms (synchronously) and returns a value
   * when done, undefined on timeout or interruption. Between slices the loop runs.
   */
  async block<T>(call: string, channel: string, attempt: (ms: number) => T | undefined, knownBusy = false): Promise<T> {
    let announced = false;
    let r = knownBusy ? undefined : attempt(0);
    if (r === undefined && !knownBusy) this.spin(() => (r = attempt(0)) !== undefined);
    while (r === undefined) {
      if (!announced) {
        // a brief quiet wait first, so fast hand-offs at full speed make no events
        if (!this.detailed) r = attempt(QUIET_WAIT_MS);
        if (r !== undefined) break;
        announced = true;
        this.setState('blocked', call, channel);
      }
      await this.yieldLoop();
      if (this.pendingSignals.length) await this.runPendingHandlers();
      r = attempt(SLICE_MS);
    }
    if (announced) this.setState('running');
    return r;
  }

  /** Awaits a worker-thread call (.async) while showing the blocked state. */
  async blockAsync<T>(call: string, channel: string, p: Promise<T>): Promise<T> {
    this.setState('blocked', call, channel);
    this.flush();
    try {
      const v = await p;
      if (this.handlerRun) await this.handlerRun;
      return v;
    } finally {
      this.setState('running');
    }
  }

  /** Sleeps ms, shown as sleeping; handlers run meanwhile and the sleep goes on (nanosleep restarted). */
  async sleep(ms: number): Promise<void> {
    const until = performance.now() + ms;
    this.setState('sleeping');
    this.flush();
    for (;;) {
      const left = until - performance.now();
      if (left <= 0) break;
      await this.sleepUntilOrSignal(left);
      if (this.pendingSignals.length) await this.runPendingHandlers();
    }
    this.setState('running');
  }

  private sleepUntilOrSignal(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.signalWaiters = this.signalWaiters.filter((w) => w !== wake);
        resolve();
      }, ms);
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      this.signalWaiters.push(wake);
    });
  }

  // ---- signals ----

  /** Installs a listener for sig: the program handles it, or a signal channel waits for it. */
  listen(sig: string, handled: boolean): void {
    if (handled) this.handled.add(sig);
    if (process.listenerCount(sig as NodeJS.Signals) > 0) return;
    process.on(sig as NodeJS.Signals, () => this.onSignal(sig));
  }

  isHandled(sig: string): boolean {
    return this.handled.has(sig);
  }

  private onSignal(sig: string): void {
    this.emit({ type: 'signal', signal: sig, from: null, to: this.proc, phase: 'delivered' });
    this.signalCounts[sig] = (this.signalCounts[sig] ?? 0) + 1;
    if (this.handled.has(sig)) this.pendingSignals.push(sig);
    const ws = this.signalWaiters;
    this.signalWaiters = [];
    for (const w of ws) w();
    // A main program parked on a promise (pause, .async call, timer) gets the handler now.
    if (this.handled.has(sig) && !this.handlerRun) void this.runPendingHandlers();
  }

  /** Runs queued handlers one at a time, as the kernel would with the signal masked meanwhile. */
  runPendingHandlers(): Promise<void> {
    if (this.handlerRun) return this.handlerRun;
    this.handlerRun = (async () => {
      try {
        while (this.pendingSignals.length) {
          const sig = this.pendingSignals.shift()!;
          this.handlerDepth++;
          try {
            await this.runHandler?.(sig);
          } finally {
            this.handlerDepth--;
          }
          this.emit({ type: 'signal', signal: sig, from: null, to: this.proc, phase: 'handled' });
        }
      } finally {
        this.handlerRun = null;
      }
    })();
    return this.handlerRun;
  }

  /** Waits until sig has been delivered (consuming one delivery); shown as blocked in pause(). */
  async waitSignal(sig: string | null, channel: string | null): Promise<void> {
    const have = () => {
      if (sig === null) return false;
      if ((this.signalCounts[sig] ?? 0) > 0) {
        this.signalCounts[sig]--;
        return true;
      }
      return false;
    };
    if (have()) return;
    this.setState('blocked', 'pause', channel ?? undefined);
    this.flush();
    for (;;) {
      await new Promise<void>((r) => this.signalWaiters.push(r));
      if (this.handlerRun) await this.handlerRun;
      if (sig === null || have()) break;
    }
    this.setState('running');
  }

  /** Ends the process now, as _exit does; events are flushed first. */
  exit(code: number): never {
    this.flush();
    return sys.exitNow(code);
  }

  /** Dies by sig with the default action, as a C process would (e.g. SIGPIPE after EPIPE). */
  dieBy(sig: string): never {
    this.flush();
    const n = signum(sig);
    process.removeAllListeners(sig as NodeJS.Signals);
    sys.sigDefault(n);
    sys.kill(process.pid, n);
    // Only reached if the signal could not kill us.
    return sys.exitNow(128 + n);
  }
}

/** Writes all of data to a possibly nonblocking fd, waiting with poll when it is full. */
export function writeAll(fd: number, data: Buffer): void {
  let off = 0;
  while (off < data.length) {
    try {
      off += sys.write(fd, off ? data.subarray(off) : data, data.length - off);
    } catch (e) {
      if (e instanceof SyscallError && (e.code === 'EAGAIN' || e.code === 'EINTR')) {
        sys.poll([{ fd, events: C.POLLOUT }], 1000);
        continue;
      }
      throw e;
    }
  }
}
