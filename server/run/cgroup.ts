// A cgroup per run, so that one user's scenario cannot take the machine's memory, fill its
// process table, or starve the server of CPU.
//
// Layout: <mount>/ipcpg/ipcpg-<runId> in each hierarchy that holds a controller we need.
// - cgroup v1 (one hierarchy per controller, this project's Debian VMs): memory, pids and
//   cpu are usually three mounts, so a run has up to three directories and a process joins
//   by writing its PID into each one's cgroup.procs.
// - cgroup v2 (unified): one directory; the parent enables the controllers for its children.
// The parent sits at the top of each hierarchy, not under the server's own cgroup: on v2 a
// cgroup holding processes (the server's) cannot hand controllers to children, on v1 nesting
// under a supervisor's cgroup would leave directories it cannot rmdir, and a fixed place
// lets the next server find what a crashed one left (sweepCgroups).
//
// The cgroupfs plumbing (finding the hierarchies, reading and writing files) is in cgroupfs.ts.

import fs from 'node:fs';
import path from 'node:path';
import {
  type Ctrl, PARENT, ensureParents, errCode, hierarchies, readKey, readNumber, readPids, readdirOr, supportedLayout, write,
} from './cgroupfs';
import { killListed, signallable } from './killset';

export { cgroupSupport, type CgroupSupport } from './cgroupfs';

export interface RunLimits {
  /** memory.max / memory.limit_in_bytes (swap included where the kernel accounts it) */
  memoryBytes: number;
  /** pids.max: processes and threads of the run, together */
  pids: number;
  /**
   * CPU weight on cgroup v2's scale (100 for everyone else; v1 shares = weight * 10.24) of all
   * runs together (their parent): below the server's, so that the server stays responsive.
   * Each run weighs the same as any other inside it.
   */
  cpuWeight: number;
}

const PREFIX = 'ipcpg-';
const RUN_ID = /^[A-Za-z0-9._-]{1,100}$/;
const MiB = 1024 * 1024;

/** Defaults, with IPCPG_RUN_MEMORY_MB and IPCPG_RUN_PIDS; a bad value is an error, not ignored. */
export function runLimitsFromEnv(env: Record<string, string | undefined> = process.env): RunLimits {
  const num = (name: string, dflt: number, min: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name}=${raw}: expected an integer >= ${min}`);
    return n;
  };
  // 8 MiB: below that even a shell cannot start; 4 pids: the process plus a little
  // 80: all runs together weigh a little less than the server (100) and than any other process;
  // much lower starves the runs' own blocking hand-offs whenever something else is busy
  return { memoryBytes: num('IPCPG_RUN_MEMORY_MB', 256, 8) * MiB, pids: num('IPCPG_RUN_PIDS', 64, 4), cpuWeight: num('IPCPG_RUNS_CPU_WEIGHT', 80, 1) };
}

// ---- one run ---------------------------------------------------------------------------------

export class RunCgroup {
  /** directories still to remove (all of them until destroy() succeeds) */
  private pending: string[];

  private constructor(
    readonly runId: string,
    readonly version: 'v1' | 'v2',
    /** one per hierarchy: [memory, pids, cpu] minus duplicates */
    readonly dirs: readonly string[],
    private readonly byCtrl: Partial<Record<Ctrl, string>>,
  ) {
    this.pending = [...dirs];
  }

  /**
   * Creates ipcpg-<runId> in each hierarchy with the limits (defaults from the environment),
   * or returns null when cgroups are not usable (cgroupSupport() says why). A failure after
   * that (EEXIST: a run id used twice) throws, leaving nothing behind.
   * runId must be unique across servers sharing the machine (prefix it with the instance id).
   */
  static create(runId: string, limits: Partial<RunLimits> = {}): RunCgroup | null {
    if (!RUN_ID.test(runId)) throw new Error(`bad run id for a cgroup name: ${JSON.stringify(runId)}`);
    const l = supportedLayout();
    if (!l) return null;
    const lim = { ...runLimitsFromEnv(), ...limits };
    const made: string[] = [];
    const byCtrl: Partial<Record<Ctrl, string>> = {};
    try {
      for (const { mount, ctrls } of hierarchies(l)) {
        const parent = path.join(mount, PARENT);
        const dir = path.join(parent, PREFIX + runId);
        try {
          fs.mkdirSync(dir, { mode: 0o755 });
        } catch (e) {
          if (errCode(e) !== 'ENOENT') throw e;
          ensureParents(l); // removed by hand since the server started: make it again
          fs.mkdirSync(dir, { mode: 0o755 });
        }
        made.push(dir);
        for (const c of ctrls) byCtrl[c] = dir;
        if (ctrls.includes('cpu')) {
          // The parent too: all runs together then weigh less than the server, not each one.
          writeCpuWeight(l.version, parent, lim.cpuWeight);
          writeCpuWeight(l.version, dir, 100);
        }
      }
      writeMemory(l.version, byCtrl.memory!, lim.memoryBytes);
      write(path.join(byCtrl.pids!, 'pids.max'), String(lim.pids));
    } catch (e) {
      for (const d of made.reverse()) tryRmdir(d); // empty: nothing can have joined yet
      throw new Error(`cgroup for run ${runId}: ${(e as Error).message}`);
    }
    return new RunCgroup(runId, l.version, made, byCtrl);
  }

  /** The files a process writes its own PID into to join the run: one per hierarchy. */
  procsFiles(): string[] {
    return this.dirs.map((d) => path.join(d, 'cgroup.procs'));
  }

  /**
   * Moves a process in from outside (the server side of what runtime/contain.c does itself).
   * Writing 0 to cgroup.procs would move the writer, i.e. the server: hence the check.
   */
  addPid(pid: number): void {
    if (!signallable(pid)) throw new RangeError(`addPid: refusing pid ${pid}`);
    for (const f of this.procsFiles()) write(f, `${pid}\n`);
  }

  /** Members (processes, not threads), from every hierarchy: they agree unless a join was cut short. */
  pids(): number[] {
    const all = new Set<number>();
    for (const f of this.procsFiles()) for (const p of readPids(f)) all.add(p);
    return [...all].sort((a, b) => a - b);
  }

  /** Bytes charged now (memory.current / memory.usage_in_bytes), null if unreadable. */
  memoryCurrent(): number | null {
    return readNumber(path.join(this.byCtrl.memory!, this.version === 'v2' ? 'memory.current' : 'memory.usage_in_bytes'));
  }

  /** High-water mark (memory.peak needs Linux 5.19 on v2; v1's max_usage_in_bytes), or null. */
  memoryPeak(): number | null {
    return readNumber(path.join(this.byCtrl.memory!, this.version === 'v2' ? 'memory.peak' : 'memory.max_usage_in_bytes'));
  }

  /** Processes the kernel's OOM killer has killed in this run (tells a SIGKILL's origin). */
  oomKills(): number | null {
    const m = this.byCtrl.memory!;
    return this.version === 'v2' ? readKey(path.join(m, 'memory.events'), 'oom_kill') : readKey(path.join(m, 'memory.oom_control'), 'oom_kill');
  }

  /**
   * SIGKILL to every member. v2's cgroup.kill (Linux 5.14) does it in the kernel, forks in
   * flight included; otherwise one round through pidfds (a fork bomb needs several rounds,
   * which destroy() does; pids.max bounds how many can appear in between).
   */
  killAll(): void {
    if (this.version === 'v2') {
      try {
        write(path.join(this.dirs[0], 'cgroup.kill'), '1');
        return;
      } catch (e) {
        if (errCode(e) !== 'ENOENT') throw e;
      }
    }
    killListed(() => this.pids());
  }

  /**
   * Kills every member, waits (up to waitMs) until the cgroup is empty, and removes each
   * directory. Idempotent: a later call retries only what is left. Returns what is still there.
   */
  async destroy(waitMs = 2000): Promise<string[]> {
    if (this.pending.length === 0) return [];
    const until = Date.now() + waitMs;
    for (;;) {
      if (this.pids().length > 0) this.killAll();
      // rmdir succeeds only once the last member has exited (not just been signalled)
      this.pending = this.pending.filter((d) => !tryRmdir(d));
      if (this.pending.length === 0) return [];
      if (Date.now() >= until) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const left = this.pids().map((p) => `process ${p} in cgroup ipcpg-${this.runId}`);
    return [...left, ...this.pending.map((d) => `cgroup ${d}`)];
  }

  /** See sweepCgroups. */
  static async sweep(isLive: (runId: string) => boolean): Promise<{ removed: string[]; left: string[] }> {
    const out = { removed: [] as string[], left: [] as string[] };
    for (const cg of RunCgroup.found((runId) => !isLive(runId))) {
      const left = await cg.destroy();
      out.left.push(...left);
      out.removed.push(...cg.dirs.filter((d) => !left.includes(`cgroup ${d}`)));
    }
    return out;
  }

  /**
   * The cgroups of runs whose processes are known gone (a dead server's, after its sweep killed
   * them), removed now: one kill of any member left, then rmdir. Returns what was removed.
   */
  static removeNow(match: (runId: string) => boolean): string[] {
    const removed: string[] = [];
    for (const cg of RunCgroup.found(match)) {
      if (cg.pids().length > 0) cg.killAll();
      removed.push(...cg.dirs.filter((d) => tryRmdir(d)));
    }
    return removed;
  }

  /** The run cgroups on this machine whose run id matches, each with the directories found. */
  private static found(match: (runId: string) => boolean): RunCgroup[] {
    const l = supportedLayout();
    if (!l) return [];
    const byRun = new Map<string, Partial<Record<Ctrl, string>>>();
    for (const { mount, ctrls } of hierarchies(l)) {
      const parent = path.join(mount, PARENT);
      for (const name of readdirOr(parent)) {
        if (!name.startsWith(PREFIX)) continue;
        const runId = name.slice(PREFIX.length);
        if (!RUN_ID.test(runId) || !match(runId)) continue;
        const byCtrl = byRun.get(runId) ?? {};
        for (const c of ctrls) byCtrl[c] = path.join(parent, name);
        byRun.set(runId, byCtrl);
      }
    }
    // each run's view rebuilt from the directories found (some may be gone already)
    return [...byRun].map(([runId, byCtrl]) => new RunCgroup(runId, l.version, [...new Set(Object.values(byCtrl))], byCtrl));
  }
}

/** true once dir is gone (removed now or before); false while it still has members (EBUSY). */
function tryRmdir(dir: string): boolean {
  try {
    fs.rmdirSync(dir);
    return true;
  } catch (e) {
    const code = errCode(e);
    if (code === 'ENOENT') return true;
    if (code === 'EBUSY' || code === 'ENOTEMPTY') return false;
    throw e;
  }
}

function writeCpuWeight(version: 'v1' | 'v2', dir: string, weight: number): void {
  if (version === 'v2') write(path.join(dir, 'cpu.weight'), String(Math.min(10000, Math.max(1, Math.round(weight)))));
  else write(path.join(dir, 'cpu.shares'), String(Math.max(2, Math.round((weight * 1024) / 100))));
}

function writeMemory(version: 'v1' | 'v2', dir: string, bytes: number): void {
  if (version === 'v2') {
    write(path.join(dir, 'memory.max'), String(bytes));
    // absent when the kernel does not account swap (then there is nothing to limit)
    if (fs.existsSync(path.join(dir, 'memory.swap.max'))) write(path.join(dir, 'memory.swap.max'), '0');
    return;
  }
  // memsw (memory + swap) must stay >= the memory limit, so it is written second
  write(path.join(dir, 'memory.limit_in_bytes'), String(bytes));
  if (fs.existsSync(path.join(dir, 'memory.memsw.limit_in_bytes'))) {
    write(path.join(dir, 'memory.memsw.limit_in_bytes'), String(bytes));
  } else {
    // no swap accounting (swapaccount=0): keep the run's pages out of swap instead
    write(path.join(dir, 'memory.swappiness'), '0');
  }
}

// ---- after a crash ---------------------------------------------------------------------------

/**
 * Removes every ipcpg-<runId> cgroup whose run is not live (a crashed server's), killing its
 * members first. isLive must answer for runs of other servers on the machine too.
 */
export function sweepCgroups(isLive: (runId: string) => boolean): Promise<{ removed: string[]; left: string[] }> {
  return RunCgroup.sweep(isLive);
}
