// The run orchestrator: validate → create objects → spawn hosts → ready barrier → start →
// relay events → pause/step/speed/signal → stop or time limit → kill → destroy → verify → end.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { ChannelCounts, ProcOutcome, RunEvent, ObjectState, EndReason, Frame } from '../../lib/events';
import { optionsWithDefaults } from '../../lib/mechanisms';
import { DEFAULT_LIMITS, type Limits, type PlaceError } from '../../lib/scenario';
import { validateScenario } from '../../lib/validate';
import { SyscallError, signum, sys } from '../../native/index';
import { registry } from '../mechanisms/registry';
import type { Created, JournalEntry, RunChannel } from '../mechanisms/types';
import type { HostInit, HostStart } from '../host/main';
import { onJsonLines } from '../ndjson';
import { Framer } from './framer';
import { hostBundle } from './hostBundle';
import { Instance } from './instance';
import { RunNamespace } from './namespace';
import { entryLeft, journalAppend, journalRead, procState, removeEntry, rmrf } from './objects';

export interface RunOptions {
  trace?: boolean;
  /** Statements per second per process; 0 = full speed. */
  sps?: number;
  /** Start paused at the first statement (step mode). */
  paused?: boolean;
  timeoutMs?: number;
  limits?: Limits;
  /** Own IPC and network namespaces where the host allows it (default: on, unless IPCPG_NAMESPACES=0). */
  namespaces?: boolean;
}

export type StartResult = { ok: true; run: Run } | { ok: false; errors: PlaceError[] };

const READY_TIMEOUT_MS = 10_000;
const KILL_GRACE_MS = 300;
const SAMPLE_MS = 100;

const active = new Set<Run>();

/** Limits from the environment (IPCPG_MAX_PROCESSES, IPCPG_WALL_MS, ...), over the defaults. */
export function limitsFromEnv(env = process.env): Limits {
  const l = { ...DEFAULT_LIMITS };
  const keys: [keyof Limits, string][] = [
    ['maxProcesses', 'IPCPG_MAX_PROCESSES'], ['maxChannels', 'IPCPG_MAX_CHANNELS'], ['wallMs', 'IPCPG_WALL_MS'],
    ['stdoutBytes', 'IPCPG_STDOUT_BYTES'], ['messageBytes', 'IPCPG_MESSAGE_BYTES'], ['runsTotal', 'IPCPG_RUNS_TOTAL'],
    ['runsPerClient', 'IPCPG_RUNS_PER_CLIENT'],
  ];
  for (const [k, name] of keys) {
    const v = Number(env[name]);
    if (env[name] && Number.isInteger(v) && v > 0) l[k] = v;
  }
  return l;
}

interface Proc {
  id: string;
  name: string;
  index: number;
  child: ChildProcess;
  pid: number;
  ready: Record<string, Record<string, unknown>> | null;
  outcome: ProcOutcome | null;
  stdoutBytes: number;
  stopped: boolean;
  counts: Record<string, [number, number, number]>;
}

interface Chan {
  channel: RunChannel;
  created: Created;
  last: string;
}

export class Run {
  readonly id: string;
  readonly t0 = process.hrtime.bigint();
  private framer: Framer;
  private procs: Proc[] = [];
  private chans: Chan[] = [];
  private dir = '';
  private journal = '';
  private ns: RunNamespace | null = null;
  private ending: Promise<void> | null = null;
  private sampler: NodeJS.Timeout | null = null;
  private timeLimit: NodeJS.Timeout | null = null;
  private endReason: EndReason = 'finished';
  private frameSinks = new Set<(f: Frame) => void>();
  /** Every frame so far, for late joiners and tests; bounded by the stdout and frame limits. */
  readonly done: Promise<Extract<RunEvent, { type: 'end' }>>;
  private resolveDone!: (e: Extract<RunEvent, { type: 'end' }>) => void;

  private constructor(
    private opts: Required<Omit<RunOptions, 'timeoutMs'>> & { timeoutMs: number },
    private instance: Instance,
  ) {
    this.id = instance.newRunId();
    this.framer = new Framer(this.id, (f) => {
      for (const s of this.frameSinks) s(f);
    });
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  /** Subscribe to the run's frames; returns the unsubscribe function. */
  onFrame(sink: (f: Frame) => void): () => void {
    this.frameSinks.add(sink);
    return () => this.frameSinks.delete(sink);
  }

  t(): number {
    return Math.round(Number(process.hrtime.bigint() - this.t0) / 1e3) / 1e3;
  }

  private emit(ev: RunEvent): void {
    this.framer.push(ev);
  }

  static async start(input: unknown, options: RunOptions = {}, sink?: (f: Frame) => void): Promise<StartResult> {
    const limits = options.limits ?? limitsFromEnv();
    const v = validateScenario(input, limits);
    if (!v.ok) return v;
    if (active.size >= limits.runsTotal) {
      return { ok: false, errors: [{ place: '(server)', message: `${active.size === 1 ? 'a run is' : `${active.size} runs are`} already going on this server (the limit is ${limits.runsTotal} at once); try again when one ends` }] };
    }
    const run = new Run(
      {
        trace: !!options.trace, sps: options.sps ?? 0, paused: !!options.paused, timeoutMs: options.timeoutMs ?? limits.wallMs, limits,
        namespaces: options.namespaces ?? process.env.IPCPG_NAMESPACES !== '0',
      },
      Instance.get(),
    );
    if (sink) run.onFrame(sink);
    active.add(run);
    try {
      await run.launch(v.scenario, v.programs);
    } catch (e) {
      run.emit({ type: 'notice', t: run.t(), message: `the run could not start: ${(e as Error).message}` });
      void run.end('error');
    }
    return { ok: true, run };
  }

  private async launch(scenario: import('../../lib/scenario').Scenario, programs: Record<string, import('../../lib/lang/ast').Program>): Promise<void> {
    const inst = this.instance;
    this.dir = inst.runDir(this.id);
    this.journal = inst.journalFile(this.id);
    fs.mkdirSync(this.dir, { mode: 0o700 });
    const bundle = hostBundle();
    if (this.opts.namespaces) this.ns = RunNamespace.create();
    // the sweep must not look for this run's SysV objects and queues outside its namespace
    if (this.ns) journalAppend(this.journal, { kind: 'ns' });

    // kernel objects, named from the run id and channel index only
    this.inNs(() => scenario.channels.forEach((c, index) => {
      const channel: RunChannel = { id: c.id, label: c.label ?? c.id, mechanism: c.mechanism, from: c.from, to: c.to, index, options: optionsWithDefaults(c.mechanism, c.options) };
      const created = registry[c.mechanism].create({
        channel,
        runDir: this.dir,
        objectName: inst.objectName(this.id, index),
        journal: (e: JournalEntry) => journalAppend(this.journal, e),
      });
      this.chans.push({ channel, created, last: '' });
    }));

    const bundlePath = await bundle;
    const passed = new Set<number>();
    this.inNs(() => scenario.processes.forEach((p, index) => {
      const extra: number[] = [];
      const ends: HostInit['channels'] = [];
      for (const ch of this.chans) {
        for (const role of ['from', 'to'] as const) {
          if (ch.channel[role] !== p.id) continue;
          const fds = ch.created.fds?.[role] ?? [];
          const childFds = fds.map((fd) => {
            passed.add(fd);
            extra.push(fd);
            return 3 + extra.length;
          });
          ends.push({ channel: ch.channel, role, spec: ch.created.spec, fds: childFds });
        }
      }
      const child = spawn(process.execPath, [...(process.env.IPCPG_HOST_FLAGS?.split(' ') ?? []), '--no-warnings', bundlePath, this.id, String(index)], {
        detached: true, // own session and process group: Stop kills the group
        stdio: ['pipe', 'pipe', 'pipe', 'pipe', ...extra],
        // a bare environment: nothing of the server's (NODE_OPTIONS, secrets) reaches a host
        env: { NODE_ENV: 'production', PATH: process.env.PATH ?? '/usr/bin:/bin', UV_THREADPOOL_SIZE: String(4 + ends.length), IPCPG_RUN: this.id },
      });
      const proc: Proc = { id: p.id, name: p.name, index, child, pid: child.pid ?? 0, ready: null, outcome: null, stdoutBytes: 0, stopped: false, counts: {} };
      if (proc.pid) journalAppend(this.journal, { kind: 'pid', pid: proc.pid, runId: this.id });
      this.procs.push(proc);
      this.wire(proc);
      const init: HostInit = {
        type: 'init', proc: p.id, t0: this.t0.toString(), trace: this.opts.trace, sps: this.opts.sps, paused: this.opts.paused,
        messageBytes: this.opts.limits.messageBytes, program: programs[p.id], channels: ends,
      };
      child.stdin!.write(JSON.stringify(init) + '\n');
    }));
    // The server never holds a channel end: a pipe must see EOF when the last writer closes.
    for (const fd of passed) sys.close(fd);

    this.emit({
      type: 'run', t: this.t(), runId: this.id, isolation: this.ns ? 'namespaces' : 'naming',
      processes: this.procs.map((p) => ({ id: p.id, name: p.name, pid: p.pid })),
      channels: this.chans.map(({ channel: c }) => ({ id: c.id, label: c.label, mechanism: c.mechanism, from: c.from, to: c.to })),
    });
    for (const p of this.procs) this.emit({ type: 'state', t: this.t(), proc: p.id, state: 'starting' });
    this.timeLimit = setTimeout(() => void this.end('timeout'), this.opts.timeoutMs);
    this.sampler = setInterval(() => this.sample(), SAMPLE_MS);

    await this.readyBarrier();
    if (this.ending) return;
    const pids = Object.fromEntries(this.procs.map((p) => [p.id, p.pid]));
    for (const p of this.procs) {
      const peers: HostStart['peers'] = {};
      for (const { channel: c } of this.chans) {
        const other = c.from === p.id ? c.to : c.to === p.id ? c.from : null;
        if (other) peers[c.id] = this.procs.find((q) => q.id === other)?.ready?.[c.id] ?? {};
      }
      this.control(p, { type: 'start', pids, peers } satisfies HostStart);
    }
    this.sample();
  }

  private readyWaiters: (() => void)[] = [];

  private readyBarrier(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.ending || this.procs.every((p) => p.ready || p.outcome)) {
          clearTimeout(timer);
          this.readyWaiters = [];
          if (!this.ending && this.procs.some((p) => p.outcome)) {
            this.emit({ type: 'notice', t: this.t(), message: 'a process ended before the start' });
            void this.end('error');
          }
          resolve();
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        this.emit({ type: 'notice', t: this.t(), message: `processes not ready after ${READY_TIMEOUT_MS} ms` });
        this.readyWaiters = [];
        void this.end('error');
        resolve();
      }, READY_TIMEOUT_MS);
      if (!check()) this.readyWaiters.push(() => void check());
    });
  }

  private wire(p: Proc): void {
    const { child } = p;
    child.stdin!.on('error', () => {}); // host gone; its exit is reported separately
    const limit = this.opts.limits.stdoutBytes;
    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream]!.setEncoding('utf8');
      child[stream]!.on('data', (text: string) => {
        if (p.stdoutBytes >= limit) return; // over the limit: drained, not shown (the notice says so)
        const room = limit - p.stdoutBytes;
        const bytes = Buffer.byteLength(text);
        if (bytes > room) text = Buffer.from(text).subarray(0, room).toString();
        p.stdoutBytes += Math.min(bytes, room);
        this.emit({ type: stream, t: this.t(), proc: p.id, text });
        if (p.stdoutBytes >= limit) {
          this.emit({ type: 'notice', t: this.t(), proc: p.id, message: `${p.name}: output limit of ${limit} bytes reached; the rest of its output is not shown` });
        }
      });
    }
    onJsonLines(child.stdio[3] as NodeJS.ReadableStream, (msg) => this.fromHost(p, msg));
    child.on('close', (code, signal) => this.exited(p, code, signal));
    child.on('error', (e) => {
      this.emit({ type: 'notice', t: this.t(), proc: p.id, message: `${p.name} could not start: ${e.message}` });
    });
  }

  private fromHost(p: Proc, msg: { type: string } & Record<string, unknown>): void {
    if (msg.type === 'ready') {
      p.ready = msg.ready as Record<string, Record<string, unknown>>;
      for (const w of this.readyWaiters) w();
      return;
    }
    if (msg.type === 'fatal') {
      this.emit({ type: 'notice', t: this.t(), proc: p.id, message: `${p.name}: ${String(msg.message)}` });
      return;
    }
    const ev = msg as unknown as RunEvent;
    if (ev.type === 'counters' && ev.channels) p.counts = ev.channels;
    if (ev.type === 'signal' && ev.phase === 'delivered' && p.outcome) return;
    this.emit(ev);
  }

  private exited(p: Proc, code: number | null, signal: NodeJS.Signals | null): void {
    const ms = this.t();
    p.outcome = {
      id: p.id, name: p.name, code, signal, ms,
      outcome: signal ? `killed by ${signal}` : `exited ${code}`,
    };
    this.emit({ type: 'exit', t: ms, proc: p.id, code, signal });
    this.emit({ type: 'state', t: ms, proc: p.id, state: signal ? 'killed' : 'exited' });
    for (const w of this.readyWaiters) w();
    if (this.procs.every((q) => q.outcome)) void this.end(this.endReason);
  }

  private inspectCtx = { procOfPid: (pid: number) => this.procs.find((p) => p.pid === pid)?.id ?? null };

  /** Samples object state (server side) and stopped processes, emitting what changed. */
  private sample(): void {
    this.inNs(() => this.sampleObjects());
    for (const p of this.procs) {
      if (p.outcome) continue;
      const stopped = procState(p.pid) === 'T';
      if (stopped !== p.stopped) {
        p.stopped = stopped;
        this.emit({ type: 'state', t: this.t(), proc: p.id, state: stopped ? 'stopped' : 'running' });
      }
    }
  }

  private sampleObjects(): void {
    for (const c of this.chans) {
      const inspect = registry[c.channel.mechanism].inspect;
      if (!inspect) continue;
      let state: ObjectState | null = null;
      try {
        state = inspect(c.created.handle, this.inspectCtx);
      } catch {
        continue;
      }
      if (!state) continue;
      const key = JSON.stringify(state);
      if (key === c.last) continue;
      c.last = key;
      this.emit({ type: 'object', t: this.t(), channel: c.channel.id, mechanism: c.channel.mechanism, state });
    }
  }

  /** Runs fn where the run's objects live: inside its namespaces when it has them. */
  private inNs<T>(fn: () => T): T {
    return this.ns ? this.ns.enter(fn) : fn();
  }

  private control(p: Proc, msg: object): void {
    if (p.outcome || !p.child.stdin?.writable) return;
    p.child.stdin.write(JSON.stringify(msg) + '\n');
  }

  private targets(proc?: string): Proc[] {
    return proc ? this.procs.filter((p) => p.id === proc) : this.procs;
  }

  pause(proc?: string): void {
    for (const p of this.targets(proc)) this.control(p, { type: 'pause' });
    this.emit({ type: 'control', t: this.t(), action: 'pause', proc });
  }
  resume(proc?: string): void {
    for (const p of this.targets(proc)) this.control(p, { type: 'resume' });
    this.emit({ type: 'control', t: this.t(), action: 'resume', proc });
  }
  /** Runs one statement of the chosen process (or of every process), then pauses it again. */
  step(proc?: string): void {
    for (const p of this.targets(proc)) this.control(p, { type: 'step' });
    this.emit({ type: 'control', t: this.t(), action: 'step', proc });
  }
  speed(sps: number): void {
    for (const p of this.procs) this.control(p, { type: 'speed', sps });
    this.emit({ type: 'control', t: this.t(), action: 'speed', sps });
  }
  setTrace(on: boolean): void {
    for (const p of this.procs) this.control(p, { type: 'trace', trace: on });
  }

  /** Sends a signal to one process of the run, by its id: a real kill(2). */
  signal(proc: string, sig: string): boolean {
    const p = this.procs.find((x) => x.id === proc);
    if (!p || p.outcome) return false;
    this.emit({ type: 'signal', t: this.t(), signal: sig, from: null, to: p.id, phase: 'sent' });
    try {
      sys.kill(p.pid, signum(sig));
    } catch (e) {
      if (!(e instanceof SyscallError)) throw e;
      return false;
    }
    this.sample();
    return true;
  }

  stop(reason: EndReason = 'stopped'): Promise<void> {
    return this.end(reason);
  }

  get ended(): boolean {
    return this.ending !== null;
  }

  /** Kills what still runs, destroys every object, verifies, and emits `end`. Idempotent. */
  private end(reason: EndReason): Promise<void> {
    if (this.ending) return this.ending;
    let started!: () => void;
    // set before any work: what runs below may call end() again
    this.ending = new Promise<void>((r) => (started = r)).then(() => this.finish(reason));
    started();
    return this.ending;
  }

  private async finish(reason: EndReason): Promise<void> {
    {
      this.endReason = reason;
      if (this.timeLimit) clearTimeout(this.timeLimit);
      for (const w of this.readyWaiters) w();
      await this.killAll();
      if (this.sampler) clearInterval(this.sampler);
      this.sample();
      const journal = journalRead(this.journal);
      const leftovers = this.inNs(() => {
        for (const c of this.chans) {
          try {
            registry[c.channel.mechanism].destroy(c.created.handle);
          } catch {
            // reported by the verify step below if the object is still there
          }
        }
        for (const e of journal) removeEntry(e);
        return journal.map(entryLeft).filter((x): x is string => x !== null);
      });
      this.ns?.close();
      this.ns = null;
      rmrf(this.dir);
      if (fs.existsSync(this.dir)) leftovers.push(`directory ${this.dir}`);
      if (leftovers.length === 0) fs.rmSync(this.journal, { force: true });
      active.delete(this);
      const end = {
        type: 'end' as const, t: this.t(), reason, ms: this.t(), leftovers,
        processes: this.procs.map((p) => p.outcome ?? { id: p.id, name: p.name, outcome: 'unknown', code: null, signal: null, ms: this.t() }),
        channels: this.channelCounts(),
      };
      this.emit(end);
      this.resolveDone(end);
    }
  }

  private channelCounts(): ChannelCounts[] {
    return this.chans.map(({ channel: c }) => {
      const sum: ChannelCounts = { id: c.id, sends: 0, recvs: 0, bytes: 0 };
      for (const p of this.procs) {
        const n = p.counts[c.id];
        if (!n) continue;
        sum.sends += n[0];
        sum.recvs += n[1];
        if (p.id === c.from) sum.bytes += n[2];
      }
      return sum;
    });
  }

  /** SIGTERM to every live group (SIGCONT too, so stopped ones can die), SIGKILL after a grace. */
  private async killAll(): Promise<void> {
    const live = () => this.procs.filter((p) => !p.outcome && p.pid);
    if (live().length === 0) return;
    const exited = Promise.all(this.procs.map((p) => (p.outcome || !p.pid ? null : new Promise((r) => p.child.once('close', r)))));
    for (const p of live()) {
      for (const sig of [15, 18]) {
        try {
          sys.kill(-p.pid, sig);
        } catch {
          // already gone
        }
      }
    }
    const graceful = await Promise.race([exited.then(() => true), delay(KILL_GRACE_MS).then(() => false)]);
    if (!graceful) {
      for (const p of live()) {
        try {
          sys.kill(-p.pid, 9);
        } catch {
          // already gone
        }
      }
      await Promise.race([exited, delay(2000)]);
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
