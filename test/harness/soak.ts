// The soak: many randomized runs over every mechanism, some at once, ended every way a run
// can end (finished, Stop, SIGKILL of a process, SIGSTOP then Stop, the time limit), counting
// what is left on the host after each run and at the end. Loopback and local objects only.

import fs from 'node:fs';
import path from 'node:path';
import { PARENT, hierarchies, supportedLayout } from '../../server/run/cgroupfs';
import { MECHANISMS, MECHANISM_IDS, type MechanismId } from '../../lib/mechanisms';
import { isOwnKey } from '../../server/mechanisms/sysv-key';
import { DEFAULT_LIMITS } from '../../lib/scenario';
import { listenLoopback, type LoopbackServer } from './loopback';
import { Run, type RunOptions } from '../../server/run/run';
import { Instance } from '../../server/run/instance';
import { hostPidsOf, sysvObjects } from '../../server/run/objects';

/** mulberry32: a small seeded PRNG, so a failing seed can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/** Statements for each end of a channel, by its family: what a student would write. */
function uses(mech: MechanismId, ch: string, k: number): { from: string; to: string } {
  switch (MECHANISMS[mech].family) {
    case 'semaphore':
      return { from: `repeat ${k} {\n  post ${ch}\n}`, to: `repeat ${k} {\n  wait ${ch}\n}` };
    case 'shm':
      return { from: `repeat ${k} {\n  write ${ch} "x{i}" at 8\n}`, to: `read ${ch} 8 at 8 as v${ch}` };
    case 'signal':
      return { from: `repeat ${k} {\n  send ${ch}\n  sleep 5\n}`, to: `recv ${ch}` };
    case 'file':
      return { from: `repeat ${k} {\n  send ${ch} "line {i}"\n}`, to: `recv ${ch} as v${ch}` };
    default:
      return { from: `repeat ${k} {\n  send ${ch} "m{i}"\n}`, to: `repeat ${k} {\n  recv ${ch} as v${ch}\n}` };
  }
}

export function randomScenario(r: Rand) {
  const n = 2 + Math.floor(r() * 3);
  // a random start delay, so that Stop and SIGKILL often land mid-run
  const procs = Array.from({ length: n }, (_, i) => ({ id: `p${i}`, name: `p${i}`, program: [`sleep ${Math.floor(r() * 300)}`] }));
  const channels = Array.from({ length: 1 + Math.floor(r() * 4) }, (_, i) => {
    const mech = pick(r, MECHANISM_IDS);
    const a = Math.floor(r() * n);
    const b = (a + 1 + Math.floor(r() * (n - 1))) % n;
    const u = uses(mech, `c${i}`, 1 + Math.floor(r() * 20));
    procs[a].program.push(u.from);
    procs[b].program.push(u.to);
    return { id: `c${i}`, from: `p${a}`, to: `p${b}`, mechanism: mech, ...(MECHANISMS[mech].family === 'semaphore' ? { options: { initial: Math.floor(r() * 2) } } : {}) };
  });
  return { version: 1, title: 'soak', processes: procs.map((p) => ({ ...p, program: p.program.join('\n') })), channels };
}

export type Ending = 'finish' | 'stop' | 'sigkill' | 'sigstop' | 'timeout' | 'disconnect';
const ENDINGS: Ending[] = ['finish', 'stop', 'sigkill', 'sigstop', 'timeout', 'disconnect'];

export interface SoakReport {
  runs: number;
  runIds: string[];
  endings: Record<string, number>;
  reasons: Record<string, number>;
  /** Runs per isolation asked for (namespaces fall back to naming where the host refuses them). */
  isolation: Record<string, number>;
  /** What any run's own verify step reported. */
  runLeftovers: string[];
  /** What the host shows at the end: processes, /dev/shm, SysV, queues, files, server fds. */
  final: Record<'processes' | 'devShm' | 'sysv' | 'mqueue' | 'files' | 'serverFds' | 'cgroups', string[]>;
  ms: number;
}

/** Ids of this server's SysV objects (by their key prefix): other programs' and other servers' are not ours to count. */
const sysvIds = () => new Set(sysvObjects().filter((o) => isOwnKey(o.key)).map((o) => o.id));
const fds = () => new Set(fs.readdirSync('/proc/self/fd'));
const ours = (dir: string, prefix: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.includes(prefix)) : []);

async function oneRun(r: Rand, ending: Ending, report: SoakReport, tabs: Tabs): Promise<void> {
  const sc = randomScenario(r);
  // both ways a run is isolated: its own namespaces (as root) and run-id naming alone
  const namespaces = r() < 0.5;
  const options = { timeoutMs: ending === 'timeout' ? 200 + r() * 300 : 3000, namespaces };
  const run = ending === 'disconnect' ? await tabs.startAndLeave(sc, options, r() * 400) : await startDirect(sc, options);
  report.runIds.push(run.id);
  const iso = namespaces ? 'namespaces' : 'naming';
  report.isolation[iso] = (report.isolation[iso] ?? 0) + 1;
  const after = (ms: number) => new Promise((res) => setTimeout(res, ms));
  const victim = pick(r, sc.processes).id;
  if (ending === 'stop') {
    await after(r() * 400);
    await run.stop();
  } else if (ending === 'sigkill') {
    await after(50 + r() * 300);
    run.signal(victim, 'SIGKILL');
  } else if (ending === 'sigstop') {
    await after(50 + r() * 300);
    run.signal(victim, 'SIGSTOP');
    await after(100);
    await run.stop();
  }
  const end = await run.done;
  report.reasons[end.reason] = (report.reasons[end.reason] ?? 0) + 1;
  report.runLeftovers.push(...end.leftovers.map((l) => `run ${run.id}: ${l}`));
}

async function startDirect(sc: unknown, options: RunOptions): Promise<Run> {
  const started = await Run.start(sc, options);
  if (!started.ok) throw new Error(`generated an invalid scenario: ${JSON.stringify(started.errors)}`);
  return started.run;
}

/**
 * Browser tabs on loopback: a real socket.io server and session layer, and socket.io clients
 * that start a run and disconnect mid-run, never to come back (the grace period stops it).
 */
class Tabs {
  private runs = new Map<string, Run>();
  /** One start at a time: the options of the run being started are handed over in `options`. */
  private starting: Promise<unknown> = Promise.resolve();
  private constructor(
    private server: LoopbackServer,
    private options: { current: RunOptions },
  ) {}

  static async open(): Promise<Tabs> {
    const options = { current: {} as RunOptions };
    let tabs!: Tabs;
    const server = await listenLoopback({
      limits: DEFAULT_LIMITS,
      awayMs: 100,
      // the soak's own options (time limit, namespaces), and a hold on the Run to await its end
      startRun: async (input, o, sink) => {
        const started = await Run.start(input, { ...o, ...options.current }, sink);
        if (started.ok) tabs.runs.set(started.run.id, started.run);
        return started;
      },
    });
    tabs = new Tabs(server, options);
    return tabs;
  }

  async startAndLeave(sc: unknown, options: RunOptions, afterMs: number): Promise<Run> {
    const client = this.server.tab();
    try {
      const start = this.starting.then(async () => {
        this.options.current = options;
        return client.timeout(10_000).emitWithAck('run:start', { scenario: sc, options: {} });
      });
      this.starting = start.catch(() => {});
      const reply = await start;
      if (!reply.ok) throw new Error(`a tab's run was refused: ${JSON.stringify(reply.errors)}`);
      const run = this.runs.get(reply.runId)!;
      this.runs.delete(reply.runId);
      await new Promise((res) => setTimeout(res, afterMs));
      return run;
    } finally {
      // gone for good: wait until the connection is closed, so that no socket of it stays open
      const engine = client.io.engine;
      const closed = new Promise((res) => (engine && engine.readyState !== 'closed' ? engine.once('close', res) : res(null)));
      client.disconnect();
      await Promise.race([closed, new Promise((res) => setTimeout(res, 2000))]);
    }
  }

  close(): Promise<void> {
    return this.server.close();
  }
}

export async function soak(opts: { runs: number; seed: number; parallel?: number; maxMs?: number }): Promise<SoakReport> {
  const t0 = Date.now();
  const r = prng(opts.seed);
  const inst = Instance.get();
  const tabs = await Tabs.open(); // its listening socket is part of the baseline too
  const sysvBefore = sysvIds();
  const fdsBefore = fds();
  const report: SoakReport = { runs: 0, runIds: [], endings: {}, reasons: {}, isolation: {}, runLeftovers: [], final: { processes: [], devShm: [], sysv: [], mqueue: [], files: [], serverFds: [], cgroups: [] }, ms: 0 };
  const parallel = opts.parallel ?? 3;
  let next = 0;
  const worker = async () => {
    while (next < opts.runs && Date.now() - t0 < (opts.maxMs ?? Infinity)) {
      next++;
      const ending = pick(r, ENDINGS);
      report.endings[ending] = (report.endings[ending] ?? 0) + 1;
      await oneRun(r, ending, report, tabs);
      report.runs++;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  await tabs.close();

  const prefix = `ipcpg.${inst.id}.`;
  report.final.devShm = ours('/dev/shm', prefix);
  report.final.mqueue = ours('/dev/mqueue', prefix);
  report.final.sysv = [...sysvIds()].filter((id) => !sysvBefore.has(id));
  report.final.files = fs.readdirSync(inst.dir).filter((f) => f !== 'server.lock');
  report.final.serverFds = [...fds()].filter((fd) => !fdsBefore.has(fd)).map((fd) => {
    try {
      return `${fd} -> ${fs.readlinkSync(`/proc/self/fd/${fd}`)}`;
    } catch {
      return fd;
    }
  });
  report.final.processes = hostPidsOf(...report.runIds).map(String);
  report.final.cgroups = cgroupsOf(inst);
  report.ms = Date.now() - t0;
  return report;
}

/** The cgroup directories of this server's runs still there (none, once every run has ended). */
function cgroupsOf(inst: Instance): string[] {
  const l = supportedLayout();
  if (!l) return [];
  const mine = `ipcpg-${inst.cgroupName('')}`;
  return hierarchies(l).flatMap(({ mount }) => {
    const parent = path.join(mount, PARENT);
    return fs.existsSync(parent) ? fs.readdirSync(parent).filter((d) => d.startsWith(mine)).map((d) => path.join(parent, d)) : [];
  });
}

export function leftoverCount(rep: SoakReport): number {
  return rep.runLeftovers.length + Object.values(rep.final).reduce((n, xs) => n + xs.length, 0);
}
