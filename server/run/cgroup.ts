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
// The files here are the kernel's own interface, read and written with plain node:fs.
// Writes use flag 'r+' (no O_CREAT): a misspelt file name fails instead of doing nothing.

import fs from 'node:fs';
import path from 'node:path';
import { killListed, signallable } from './killset';

export interface RunLimits {
  /** memory.max / memory.limit_in_bytes (swap included where the kernel accounts it) */
  memoryBytes: number;
  /** pids.max: processes and threads of the run, together */
  pids: number;
  /** CPU weight on cgroup v2's scale (default 100 for everyone else); v1 shares = weight * 10.24 */
  cpuWeight: number;
}

export type CgroupSupport = 'v2' | 'v1' | { none: string };

const PARENT = 'ipcpg';
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
  return { memoryBytes: num('IPCPG_RUN_MEMORY_MB', 256, 8) * MiB, pids: num('IPCPG_RUN_PIDS', 64, 4), cpuWeight: 25 };
}

// ---- where the hierarchies are ---------------------------------------------------------------

type Ctrl = 'memory' | 'pids' | 'cpu';

interface Layout {
  version: 'v1' | 'v2';
  /** mount point per controller; cpu may be missing (then runs are not weighted) */
  mounts: Partial<Record<Ctrl, string>>;
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

function findLayout(): Layout | string {
  let info: string;
  try {
    info = fs.readFileSync('/proc/self/mountinfo', 'utf8');
  } catch (e) {
    return `cannot read /proc/self/mountinfo: ${(e as Error).message}`;
  }
  const v1: Partial<Record<Ctrl, string>> = {};
  const v2: string[] = [];
  for (const line of info.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!right) continue;
    const mountPoint = unescape(left.split(' ')[4]);
    const [fstype, , superOpts = ''] = right.split(' ');
    if (fstype === 'cgroup2') v2.push(mountPoint);
    if (fstype !== 'cgroup') continue;
    for (const opt of superOpts.split(',')) {
      if ((opt === 'memory' || opt === 'pids' || opt === 'cpu') && !v1[opt]) v1[opt] = mountPoint;
    }
  }
  // A controller lives in exactly one hierarchy: if v1 has both, v2 cannot (hybrid systems
  // mount an empty cgroup2 at /sys/fs/cgroup/unified, as on this project's VMs).
  if (v1.memory && v1.pids) return { version: 'v1', mounts: v1 };
  for (const m of v2) {
    let ctrls: string[];
    try {
      ctrls = fs.readFileSync(path.join(m, 'cgroup.controllers'), 'utf8').trim().split(/\s+/);
    } catch {
      continue;
    }
    if (ctrls.includes('memory') && ctrls.includes('pids')) {
      return { version: 'v2', mounts: { memory: m, pids: m, ...(ctrls.includes('cpu') ? { cpu: m } : {}) } };
    }
  }
  const have = [...Object.keys(v1).map((c) => `${c} (v1)`), ...v2.map((m) => `cgroup2 at ${m}`)];
  return `no cgroup hierarchy with the memory and pids controllers (found: ${have.join(', ') || 'nothing mounted'})`;
}

/** The distinct mount points, each with the controllers it holds (one for v2, up to three for v1). */
function hierarchies(l: Layout): { mount: string; ctrls: Ctrl[] }[] {
  const out: { mount: string; ctrls: Ctrl[] }[] = [];
  for (const c of ['memory', 'pids', 'cpu'] as Ctrl[]) {
    const m = l.mounts[c];
    if (!m) continue;
    const h = out.find((x) => x.mount === m);
    if (h) h.ctrls.push(c);
    else out.push({ mount: m, ctrls: [c] });
  }
  return out;
}

// ---- cgroupfs file helpers -------------------------------------------------------------------

const write = (file: string, value: string) => fs.writeFileSync(file, value, { flag: 'r+' });

function readOr<T>(file: string, parse: (s: string) => T, dflt: T): T {
  try {
    return parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return dflt;
  }
}

const readNumber = (file: string): number | null => readOr(file, (s) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : null), null);

/** A "key value" line of a flat-keyed file (memory.events, memory.oom_control). */
const readKey = (file: string, key: string): number | null =>
  readOr(file, (s) => {
    const m = new RegExp(`^${key} (\\d+)$`, 'm').exec(s);
    return m ? Number(m[1]) : null;
  }, null);

const readPids = (file: string): number[] => readOr(file, (s) => s.split('\n').filter(Boolean).map(Number), [] as number[]);

function readdirOr(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

const errCode = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/** mkdir that accepts an existing directory. */
function ensureDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { mode: 0o755 });
  } catch (e) {
    if (errCode(e) !== 'EEXIST') throw e;
  }
}

/**
 * The parent in every hierarchy, created if needed. On v2 each level must hand the
 * controllers down through cgroup.subtree_control (the top's is usually set by systemd
 * already; writing '+x' again is harmless).
 */
function ensureParents(l: Layout): void {
  for (const { mount, ctrls } of hierarchies(l)) {
    const parent = path.join(mount, PARENT);
    if (l.version === 'v2') enableControllers(mount, ctrls);
    ensureDir(parent);
    if (l.version === 'v2') enableControllers(parent, ctrls);
  }
}

function enableControllers(dir: string, ctrls: Ctrl[]): void {
  const file = path.join(dir, 'cgroup.subtree_control');
  const on = readOr(file, (s) => s.trim().split(/\s+/), [] as string[]);
  for (const c of ctrls) {
    if (on.includes(c)) continue;
    try {
      write(file, `+${c}`);
    } catch (e) {
      // EBUSY: the cgroup has processes of its own (e.g. a container's cgroup namespace root)
      throw new Error(`enabling ${c} in ${file}: ${errCode(e)}`);
    }
  }
}

let support: { layout: Layout | null; answer: CgroupSupport } | null = null;

/**
 * Which cgroup version runs get ('v1' or 'v2'), or why none: decided once, by finding the
 * hierarchies and creating the parent directories (the only real test of permission).
 */
export function cgroupSupport(): CgroupSupport {
  if (support) return support.answer;
  const l = findLayout();
  if (typeof l === 'string') {
    support = { layout: null, answer: { none: l } };
  } else if (process.geteuid?.() !== 0) {
    support = { layout: null, answer: { none: `the server is not root (euid ${process.geteuid?.()}): cannot create cgroups at the top of the hierarchy` } };
  } else {
    try {
      ensureParents(l);
      support = { layout: l, answer: l.version };
    } catch (e) {
      support = { layout: null, answer: { none: `cannot prepare the ${l.version} parent cgroup: ${(e as Error).message}` } };
    }
  }
  return support.answer;
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
    cgroupSupport();
    const l = support?.layout;
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
          writeCpuWeight(l.version, dir, lim.cpuWeight);
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
    cgroupSupport();
    const l = support?.layout;
    if (!l) return out;
    const byRun = new Map<string, Partial<Record<Ctrl, string>>>();
    for (const { mount, ctrls } of hierarchies(l)) {
      const parent = path.join(mount, PARENT);
      for (const name of readdirOr(parent)) {
        if (!name.startsWith(PREFIX)) continue;
        const runId = name.slice(PREFIX.length);
        if (!RUN_ID.test(runId) || isLive(runId)) continue;
        const byCtrl = byRun.get(runId) ?? {};
        for (const c of ctrls) byCtrl[c] = path.join(parent, name);
        byRun.set(runId, byCtrl);
      }
    }
    for (const [runId, byCtrl] of byRun) {
      // the run's view rebuilt from the directories found (some may be gone already)
      const dirs = [...new Set(Object.values(byCtrl))];
      const left = await new RunCgroup(runId, l.version, dirs, byCtrl).destroy();
      out.left.push(...left);
      out.removed.push(...dirs.filter((d) => !left.includes(`cgroup ${d}`)));
    }
    return out;
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
