// The run orchestrator: validate → compile → create objects → spawn processes → ready barrier → start →
// relay events → pause/step/speed/signal → stop or time limit → kill → destroy → verify → end.

import fs from 'node:fs';
import type { ChannelCounts, RunEvent, ObjectState, EndReason, Frame } from '../../lib/events';
import { generateC } from '../../lib/cgen/index';
import { forks, lineChannels, pollLines, stdioLines, walkProgram } from '../../lib/lang/walk';
import { optionsWithDefaults, symmetric } from '../../lib/mechanisms';
import { DEFAULT_LIMITS, endOf, procsAt, type Limits, type PlaceError } from '../../lib/scenario';
import { validateScenario } from '../../lib/validate';
import { hostedArgv } from '../../lib/wire';
import { C, signum, sys } from '../../native/index';
import { registry } from '../mechanisms/registry';
import type { Created, InspectContext, JournalEntry, RunChannel } from '../mechanisms/types';
import { RunCgroup, cgroupSupport } from './cgroup';
import { compiled } from './compile';
import { ControlPage, ControlPool } from './control';
import { Framer } from './framer';
import { Instance } from './instance';
import { IdentityPool, type RunIdentity } from './identity';
import { RunNamespace } from './namespace';
import { entryLeft, journalAppend, journalRead, removeEntry, rmrf } from './objects';
import { RunProcess, type ProcHooks } from './process';

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
  /**
   * fd 0 of each process: 'eof' (default) is end of file, except for the processes `stdinData` gives
   * bytes to (by name or id), which read them then end of file; 'typed' is a pipe the page writes
   * what is typed into (input(), endInput()).
   */
  stdin?: 'eof' | 'typed';
  stdinData?: Record<string, Buffer>;
}

export type StartResult = { ok: true; run: Run } | { ok: false; errors: PlaceError[] };

const READY_TIMEOUT_MS = 10_000;
const KILL_GRACE_MS = 300;
/** Object state is sampled this often; process state, line and the event rings more often. */
const SAMPLE_MS = 100;
const PROC_SAMPLE_MS = 15;
/** Fds of every run process: 0-2 stdio, then the control page, the start pipe's two ends, then objects. */
const CTL_FD = 3;
const START_R = 4;
const START_W = 5;
const FIRST_OBJECT_FD = 6;

const active = new Set<Run>();

let identities: IdentityPool | null = null;
/** The pool of run uids/gids (lazily: its range comes from the environment). */
function identityPool(): IdentityPool {
  identities ??= new IdentityPool();
  return identities;
}

/** How runs are contained on this host: for the server's start-up line and the tests. */
export function containment(): { cgroups: string; identities: string } {
  const cg = cgroupSupport();
  const pool = identityPool().support;
  return {
    cgroups: typeof cg === 'string' ? `cgroup ${cg}` : `none (${cg.none})`,
    identities: pool === true ? `uids ${identityPool().base}..${identityPool().base + identityPool().count - 1}` : `none (${pool.none})`,
  };
}

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

interface Chan {
  channel: RunChannel;
  created: Created;
  last: string;
}

/** Each process's line -> channel id, for the state and trace of its calls. */
type LineMap = Map<number, string>;

export class Run {
  readonly id: string;
  readonly t0 = process.hrtime.bigint();
  private framer: Framer;
  private procs: RunProcess[] = [];
  /** The pages of each forking drawn process's children (runtime/ipcpg.c's fork), and which are adopted. */
  private pools = new Map<RunProcess, { pool: ControlPool; adopted: Set<number> }>();
  private lines = new Map<string, LineMap>();
  /** Per process: the channels each poll line watches. */
  private polls = new Map<string, Map<number, string[]>>();
  private startWrite = -1;
  private procSampler: NodeJS.Timeout | null = null;
  private slowTimer: NodeJS.Timeout | null = null;
  private sps = 0;
  private identity: RunIdentity | null = null;
  private cgroup: RunCgroup | null = null;
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

  /** Runs of this server process going on (a slot is taken synchronously by start, given back before `done`). */
  static get running(): number {
    return active.size;
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
        stdin: options.stdin ?? 'eof', stdinData: options.stdinData ?? {},
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
    // compiled first: a compile error leaves nothing to clean
    const bin = await compiled(generateC(scenario, programs, { messageBytes: this.opts.limits.messageBytes }));
    if (this.ending) return;
    this.dir = inst.runDir(this.id);
    this.journal = inst.journalFile(this.id);
    fs.mkdirSync(this.dir, { mode: 0o700 });
    // the run's own uid (its processes drop root to it at the start) and cgroup (memory, pids, CPU)
    this.identity = identityPool().allocate();
    // IPCPG_CGROUPS=0: none (to measure what they cost, or where the host's own limits suffice)
    this.cgroup = process.env.IPCPG_CGROUPS === '0' ? null : RunCgroup.create(inst.cgroupName(this.id));
    if (this.opts.namespaces) this.ns = RunNamespace.create();
    // the sweep must not look for this run's SysV objects and queues outside its namespace
    if (this.ns) journalAppend(this.journal, { kind: 'ns' });

    // kernel objects, named from the run id and channel index only
    this.inNs(() => scenario.channels.forEach((c, index) => {
      const channel: RunChannel = { id: c.id, label: c.label ?? c.id, mechanism: c.mechanism, links: c.links, index, options: optionsWithDefaults(c.mechanism, c.options) };
      const created = registry[c.mechanism].create({
        channel,
        runDir: this.dir,
        objectName: inst.objectName(this.id, index),
        journal: (e: JournalEntry) => journalAppend(this.journal, e),
        owner: this.identity,
      });
      this.chans.push({ channel, created, last: '' });
    }));

    // after the start the processes are the run's uid: FIFOs and socket paths must be theirs
    if (this.identity) chownTree(this.dir, this.identity);
    const [startR, startW] = sys.pipe2(C.O_CLOEXEC);
    this.startWrite = startW;
    const passed = new Set<number>([startR]);
    const chanIds = this.chans.map((c) => c.channel.id);
    this.inNs(() => scenario.processes.forEach((p, index) => {
      const fds = [-1, startR, startW];
      const values: Record<string, string | number> = {};
      const ctl = new ControlPage();
      fds[CTL_FD - 3] = ctl.fd;
      for (const { channel: ch, created } of this.chans) {
        const end = endOf(ch, p.id);
        for (const [k, v] of Object.entries(created.args)) values[`${ch.index}.${k}`] = v;
        if (!created.fds || (created.fds.pass === 'ends' && !end)) continue;
        for (const [k, fd] of Object.entries(created.fds.byKey)) {
          passed.add(fd);
          fds.push(fd);
          const childFd = FIRST_OBJECT_FD + fds.length - 4;
          values[`${ch.index}.${k}`] = childFd;
          if (end && created.fds.endKey?.[end] === k) ctl.setChanFd(ch.index, childFd);
        }
      }
      const table = new Map<number, number>();
      const lines: LineMap = lineChannels(programs[p.id]);
      // a pipe joined as a shell's |: its writer's prints and its reader's recv stdin act on it
      let stdoutChannel = false;
      for (const { channel: ch } of this.chans) {
        const end = ch.options?.stdio === 1 ? endOf(ch, p.id) : undefined;
        if (!end) continue;
        for (const line of stdioLines(programs[p.id], end === 'from' ? 'out' : 'in')) lines.set(line, ch.id);
        if (end === 'from') stdoutChannel = true;
      }
      for (const [line, id] of lines) table.set(line, chanIds.indexOf(id));
      ctl.setLineChannels(table);
      let pool: ControlPool | null = null;
      if (forks(programs[p.id])) {
        pool = new ControlPool(Math.min(16, Math.max(4, this.opts.limits.maxProcesses - scenario.processes.length)));
        ctl.setPoolPages(pool.size);
        fds.push(pool.fd);
        values.pool = FIRST_OBJECT_FD + fds.length - 4;
      }
      ctl.setLastFd(2 + fds.length);
      ctl.setContainment(this.identity, this.cgroup?.procsFiles() ?? []);
      this.lines.set(p.id, lines);
      this.polls.set(p.id, pollLines(programs[p.id]));
      ctl.setTrace(this.opts.trace);
      if (this.opts.paused) ctl.pause();
      else if (this.opts.sps > 0) ctl.slow();
      const proc = new RunProcess(
        {
          id: p.id, name: p.name, index, bin, ctl, fds, argv: hostedArgv({ index, runId: this.id, ctlFd: CTL_FD, startRead: START_R, startWrite: START_W, values }),
          stdin: this.opts.stdinData[p.name] ?? this.opts.stdinData[p.id] ?? (this.opts.stdin === 'typed' ? 'typed' : 'eof'),
          stdoutChannel,
        },
        this.hooks,
      );
      proc.paused = this.opts.paused;
      proc.chanIds = chanIds;
      // shared memory's write and read are plain memory: counted by their statements' lines
      walkProgram(programs[p.id], (st) => {
        if (st.kind === 'write' || st.kind === 'read') proc.memLines.push([st.pos.line, chanIds.indexOf(st.channel.id!), st.kind === 'write' ? 0 : 1]);
      });
      ctl.closeFd();
      if (pool) {
        pool.closeFd();
        this.pools.set(proc, { pool, adopted: new Set() });
      }
      if (proc.pid) journalAppend(this.journal, { kind: 'pid', pid: proc.pid, runId: this.id });
      this.procs.push(proc);
    }));
    // The server never holds a channel end: a pipe must see EOF when the last writer closes.
    for (const fd of passed) sys.close(fd);
    const pids = this.procs.map((p) => p.pid);
    for (const p of this.procs) p.ctl.setPids(pids);

    this.emit({
      type: 'run', t: this.t(), runId: this.id, isolation: this.ns ? 'namespaces' : 'naming',
      processes: this.procs.map((p) => ({ id: p.id, name: p.name, pid: p.pid })),
      channels: this.chans.map(({ channel: c }) => ({ id: c.id, label: c.label, mechanism: c.mechanism, links: c.links })),
    });
    for (const p of this.procs) this.emit({ type: 'state', t: this.t(), proc: p.id, state: 'starting' });
    this.timeLimit = setTimeout(() => void this.end('timeout'), this.opts.timeoutMs);
    this.sampler = setInterval(() => this.sample(), SAMPLE_MS);

    await this.readyBarrier();
    if (this.ending) return;
    // every process waits in read() on the start pipe: its last write end goes, all start at once
    sys.close(this.startWrite);
    this.startWrite = -1;
    if (this.opts.sps > 0) this.speed(this.opts.sps, false);
    this.procSampler = setInterval(() => this.sampleProcs(), PROC_SAMPLE_MS);
    this.sample();
  }

  private get hooks(): ProcHooks {
    return {
      emit: (ev: RunEvent) => this.merging.push(ev),
      tOf: (ns: bigint) => Math.max(0, Math.round(Number(ns - this.t0) / 1e3) / 1e3),
      now: () => this.t(),
      channelOfLine: (proc: string, line: number) => this.lines.get(proc)?.get(line),
      watchedAt: (proc: string, line: number) => this.polls.get(proc)?.get(line),
      procOfPid: (pid: number) => this.procs.find((p) => p.pid === pid)?.id ?? null,
      peerOf: (proc: string, line: number) => {
        const id = this.lines.get(proc)?.get(line);
        const a = id ? this.chans.find((c) => c.channel.id === id)?.created.args : undefined;
        if (a?.port !== undefined) return `{sa_family=AF_INET, sin_port=htons(${a.port}), sin_addr=inet_addr("127.0.0.1")}`;
        return a?.path !== undefined ? `{sa_family=AF_UNIX, sun_path=${JSON.stringify(a.path)}}` : '{...}';
      },
      stdoutLimit: this.opts.limits.stdoutBytes,
      settle: () => this.mergeRings(),
      forked: (parent: RunProcess, slot: number, t: number) => this.adopt(parent.root, slot, t),
      onExit: (p: RunProcess) => {
        // a forked child is dead and its ring read: its page serves the next fork
        if (p.parent) {
          const entry = this.pools.get(p.root);
          entry?.pool.free(p.slot);
          entry?.adopted.delete(p.slot);
        }
        if (this.procs.every((q) => q.outcome)) void this.end(this.endReason);
      },
    };
  }

  private readyBarrier(): Promise<void> {
    return new Promise((resolve) => {
      const began = Date.now();
      const check = () => {
        if (this.ending) return resolve();
        if (this.procs.some((p) => p.outcome)) {
          this.emit({ type: 'notice', t: this.t(), message: 'a process ended before the start' });
          void this.end('error');
          return resolve();
        }
        if (this.procs.every((p) => p.ready)) return resolve();
        if (Date.now() - began > READY_TIMEOUT_MS) {
          this.emit({ type: 'notice', t: this.t(), message: `processes not ready after ${READY_TIMEOUT_MS} ms` });
          void this.end('error');
          return resolve();
        }
        setTimeout(check, 2);
      };
      check();
    });
  }

  private inspectCtx(ch: RunChannel): InspectContext {
    // the first process at that end still running: any holder of a pipe's end sees the same pipe
    const at = (role: 'from' | 'to') => {
      const ids = procsAt(ch, role);
      return this.procs.find((p) => ids.includes(p.id) && !p.outcome) ?? this.procs.find((p) => ids.includes(p.id));
    };
    return {
      procOfPid: (pid) => this.procs.find((p) => p.pid === pid)?.id ?? null,
      pidOf: (role) => {
        const p = at(role);
        return p && !p.outcome ? p.pid : 0;
      },
      withFd: (role, fn) => {
        const p = at(role);
        if (!p || p.outcome || !p.ctl.alive) return null;
        return p.withFd(p.ctl.chanFd(ch.index), fn);
      },
      connections: () => {
        const p = at('to');
        return p && !p.outcome && p.ctl.alive ? p.ctl.connections(ch.index) : null;
      },
    };
  }

  /** Reads every process's ring, passes the events on in time order, then samples states and counters. */
  private sampleProcs(): void {
    this.mergeRings();
    // children whose fork record was not seen (a full ring drops records): adopted late, told now
    for (const [root, { pool, adopted }] of this.pools) for (let i = 0; i < pool.size; i++) if (!adopted.has(i)) this.adopt(root, i, this.t());
    for (const p of this.procs) p.sample();
  }

  /**
   * A child forked by `root` or one of its descendants, on pool page `slot`: a process of the run
   * from now on (sampled, paused, stepped, signalled, ended with the others), drawn beside its parent.
   */
  private adopt(root: RunProcess, slot: number, t: number): void {
    const entry = this.pools.get(root);
    if (!entry || entry.adopted.has(slot) || slot < 0 || slot >= entry.pool.size) return;
    const ctl = entry.pool.page(slot);
    const pid = ctl.childPid;
    if (pid <= 0) return;
    const parentSlot = ctl.parentSlot;
    const parent = parentSlot === -1 ? root : root.family.find((p) => p.slot === parentSlot);
    if (!parent) return; // its parent is adopted first
    entry.adopted.add(slot);
    const n = parent.children.length + 1;
    const child = new RunProcess({ id: `${parent.id}.${n}`, name: `${parent.name}.${n}`, index: parent.index, pid, ctl, parent, slot }, this.hooks);
    child.chanIds = parent.chanIds;
    child.memLines = parent.memLines;
    this.lines.set(child.id, this.lines.get(parent.id)!);
    this.polls.set(child.id, this.polls.get(parent.id)!);
    // the run's controls hold for it as for its parent
    ctl.setTrace(this.opts.trace);
    this.procs.push(child);
    this.merging.push({ type: 'fork', t, proc: child.id, parent: parent.id, name: child.name, pid });
    if (pid) journalAppend(this.journal, { kind: 'pid', pid, runId: this.id });
  }

  /** The processes' events, waiting to be passed on in time order. */
  private merging: RunEvent[] = [];

  /**
   * Every process's ring read, and their events passed on in time order: up to the oldest
   * write(1) whose bytes the server has not read yet (its line must come before anything
   * later), or all of them (`all`, at the end).
   */
  private mergeRings(all = false): void {
    let horizon = Infinity;
    for (const p of this.procs) p.pump();
    // a drawn process and its forked children share one stdout: their writes claim its bytes in time order
    for (const p of this.procs) if (p.root === p) p.claimOut();
    for (const p of this.procs) {
      p.flush();
      if (p.blockedAt !== null) horizon = Math.min(horizon, p.blockedAt);
    }
    if (all) horizon = Infinity;
    // stable: one process's events keep their order (their t never goes back)
    const batch = this.merging.sort((a, b) => a.t - b.t);
    let n = 0;
    for (; n < batch.length && batch[n].t <= horizon; n++) {
      // never back in time: an event observed late (a state seen at a sample) keeps its place
      const ev = batch[n];
      if (ev.t < this.lastMerged) ev.t = this.lastMerged;
      this.lastMerged = ev.t;
      this.emit(ev);
    }
    this.merging = batch.slice(n);
  }

  private lastMerged = 0;

  /** Samples object state (server side) and the processes, emitting what changed. */
  private sample(): void {
    this.sampleProcs();
    this.inNs(() => this.sampleObjects());
  }

  private sampleObjects(): void {
    for (const c of this.chans) {
      const inspect = registry[c.channel.mechanism].inspect;
      if (!inspect) continue;
      let state: ObjectState | null = null;
      try {
        state = inspect(c.created.handle, this.inspectCtx(c.channel));
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

  private targets(proc?: string): RunProcess[] {
    return (proc ? this.procs.filter((p) => p.id === proc) : this.procs).filter((p) => !p.outcome && p.ctl.alive);
  }

  pause(proc?: string): void {
    for (const p of this.targets(proc)) {
      p.paused = true;
      p.ctl.pause();
    }
    this.emit({ type: 'control', t: this.t(), action: 'pause', proc });
  }
  resume(proc?: string): void {
    for (const p of this.targets(proc)) {
      p.paused = false;
      if (this.sps > 0) p.ctl.slow();
      else p.ctl.resume();
    }
    this.emit({ type: 'control', t: this.t(), action: 'resume', proc });
  }
  /** Runs one statement of the chosen process (or of every process), then holds it again. */
  step(proc?: string): void {
    for (const p of this.targets(proc)) p.ctl.step();
    this.emit({ type: 'control', t: this.t(), action: 'step', proc });
  }
  /** Statements per second per process (0: full speed): the gate lets one through per tick. */
  speed(sps: number, announce = true): void {
    this.sps = sps;
    if (this.slowTimer) clearInterval(this.slowTimer);
    this.slowTimer = null;
    for (const p of this.targets()) {
      if (p.paused) continue;
      if (sps > 0) p.ctl.slow();
      else p.ctl.resume();
    }
    if (sps > 0) {
      this.slowTimer = setInterval(() => {
        for (const p of this.targets()) if (!p.paused) p.ctl.step();
      }, Math.max(1, Math.round(1000 / sps)));
    }
    if (announce) this.emit({ type: 'control', t: this.t(), action: 'speed', sps });
  }
  setTrace(on: boolean): void {
    for (const p of this.targets()) p.ctl.setTrace(on);
  }

  /** Text typed into a process's terminal: written to its fd 0 (a run started with stdin 'typed'). */
  input(proc: string, text: string): boolean {
    return this.procs.find((p) => p.id === proc)?.input(text) ?? false;
  }

  /** Ctrl-D: closes the writing end of the process's fd 0, so that its next read gives end of file. */
  endInput(proc: string): boolean {
    return this.procs.find((p) => p.id === proc)?.endInput() ?? false;
  }

  /** Sends a signal to one process of the run, by its id: pidfd_send_signal(2), never a stale PID. */
  signal(proc: string, sig: string): boolean {
    const p = this.procs.find((x) => x.id === proc);
    if (!p || p.outcome) return false;
    this.emit({ type: 'signal', t: this.t(), signal: sig, from: null, to: p.id, phase: 'sent' });
    if (!p.signal(signum(sig))) return false;
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
      if (this.slowTimer) clearInterval(this.slowTimer);
      await this.killAll();
      if (this.sampler) clearInterval(this.sampler);
      if (this.procSampler) clearInterval(this.procSampler);
      if (this.startWrite >= 0) sys.close(this.startWrite);
      this.startWrite = -1;
      this.sample();
      this.mergeRings(true);
      // the children's pages go with their pool: a child not told ended by now never will be
      for (const p of this.procs) p.forgetChild();
      for (const { pool } of this.pools.values()) pool.unmap();
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
      if (this.cgroup) leftovers.push(...(await this.cgroup.destroy()));
      this.cgroup = null;
      // the uid goes back only once nothing of the run can hold it
      if (this.identity && leftovers.length === 0) identityPool().release(this.identity);
      this.identity = null;
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
        const n = p.counts[c.index];
        if (!n) continue;
        sum.sends += n[0];
        sum.recvs += n[1];
        // bytes sent: by every process of an object shared alike, else from the sending end
        if (symmetric(c.mechanism) || endOf(c, p.id) === 'from') sum.bytes += n[2];
      }
      return sum;
    });
  }

  /** SIGTERM to every live process (SIGCONT too, so stopped ones can die), SIGKILL after a grace. */
  private async killAll(): Promise<void> {
    const live = () => this.procs.filter((p) => !p.outcome);
    if (live().length === 0) return;
    const exited = Promise.all(this.procs.map((p) => p.whenClosed()));
    for (const p of live()) {
      // held at the gate or not, a process must see the signal now: open the gate
      p.ctl.resume();
      p.signal(15);
      p.signal(18);
    }
    const graceful = await Promise.race([exited.then(() => true), delay(KILL_GRACE_MS).then(() => false)]);
    if (!graceful) {
      for (const p of live()) p.signal(9);
      await Promise.race([exited, delay(2000)]);
    }
  }
}

/** The run directory and what is in it, owned by the run's uid. */
function chownTree(dir: string, id: RunIdentity): void {
  fs.chownSync(dir, id.uid, id.gid);
  for (const f of fs.readdirSync(dir)) fs.lchownSync(`${dir}/${f}`, id.uid, id.gid);
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
