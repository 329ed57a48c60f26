// Where the cgroup hierarchies are and how to read and write their files: the kernel's own
// interface, used with plain node:fs. Writes use flag 'r+' (no O_CREAT): a misspelt file
// name fails instead of doing nothing. See cgroup.ts for what a run gets.

import fs from 'node:fs';
import path from 'node:path';

export type CgroupSupport = 'v2' | 'v1' | { none: string };

/** The parent of every run's cgroup, at the top of each hierarchy (cgroup.ts says why). */
export const PARENT = 'ipcpg';

// ---- where the hierarchies are ---------------------------------------------------------------

export type Ctrl = 'memory' | 'pids' | 'cpu';

export interface Layout {
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
export function hierarchies(l: Layout): { mount: string; ctrls: Ctrl[] }[] {
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

export const write = (file: string, value: string) => fs.writeFileSync(file, value, { flag: 'r+' });

function readOr<T>(file: string, parse: (s: string) => T, dflt: T): T {
  try {
    return parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return dflt;
  }
}

export const readNumber = (file: string): number | null => readOr(file, (s) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : null), null);

/** A "key value" line of a flat-keyed file (memory.events, memory.oom_control). */
export const readKey = (file: string, key: string): number | null =>
  readOr(file, (s) => {
    const m = new RegExp(`^${key} (\\d+)$`, 'm').exec(s);
    return m ? Number(m[1]) : null;
  }, null);

export const readPids = (file: string): number[] => readOr(file, (s) => s.split('\n').filter(Boolean).map(Number), [] as number[]);

export function readdirOr(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

export const errCode = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

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
export function ensureParents(l: Layout): void {
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

/** The layout runs use, or null when cgroupSupport() says none. */
export function supportedLayout(): Layout | null {
  cgroupSupport();
  return support?.layout ?? null;
}

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
