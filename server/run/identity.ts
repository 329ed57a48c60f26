// A uid/gid of its own for each run, so that the processes of one run cannot signal, ptrace
// or read /proc of another run's (nor the server's: they are never root).
//
// The ids come from a range no account uses (IPCPG_UID_BASE, default 200000, and
// IPCPG_UID_COUNT, default 64: above the number of runs at once). uid and gid are the same
// number. An id is handed out only while no process on the machine still holds it, so a
// process that outlived its run (a crashed server's) never shares an id with a new run.
// Without root the server cannot switch ids: then there is no pool (identitySupport says why).

import fs from 'node:fs';

export interface RunIdentity {
  uid: number;
  gid: number;
}

export type IdentitySupport = true | { none: string };

const MAX_ID = 0xfffffffe; // (uid_t)-1 means "unchanged" to setresuid: never hand it out

/** Why runs cannot get their own ids, if they cannot: not root, or ids the kernel cannot map. */
export function identitySupport(euid = process.geteuid?.() ?? -1, range = rangeFromEnv()): IdentitySupport {
  if (euid !== 0) return { none: `the server is not root (euid ${euid}): it cannot switch a run to another uid` };
  const { base, count } = range;
  // In a user namespace only mapped ids exist; setresuid to another fails with EINVAL.
  for (const f of ['/proc/self/uid_map', '/proc/self/gid_map']) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch (e) {
      return { none: `cannot read ${f}: ${(e as Error).message}` };
    }
    const maps = text.trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
    if (!maps.some(([inside, , len]) => inside <= base && base + count <= inside + len)) {
      return { none: `ids ${base}..${base + count - 1} are not all mapped in ${f}` };
    }
  }
  return true;
}

export function rangeFromEnv(env: Record<string, string | undefined> = process.env): { base: number; count: number } {
  const base = Number(env.IPCPG_UID_BASE ?? 200000);
  const count = Number(env.IPCPG_UID_COUNT ?? 64);
  if (!Number.isInteger(base) || base < 1000) throw new Error(`IPCPG_UID_BASE=${env.IPCPG_UID_BASE}: expected an integer >= 1000 (below are system accounts)`);
  if (!Number.isInteger(count) || count < 1 || base + count - 1 > MAX_ID) throw new Error(`IPCPG_UID_COUNT=${env.IPCPG_UID_COUNT}: expected 1.. with base + count - 1 <= ${MAX_ID}`);
  return { base, count };
}

/**
 * Ids named in /etc/passwd (uid, primary gid) or /etc/group (gid): someone's, even with no
 * process right now. Both kinds are excluded for both uses, since a run's uid and gid are equal.
 */
function accountIds(): Set<number> {
  const ids = new Set<number>();
  const fields = (file: string, cols: number[]) => {
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return;
    }
    for (const line of text.split('\n')) {
      const parts = line.split(':');
      for (const c of cols) if (/^\d+$/.test(parts[c] ?? '')) ids.add(Number(parts[c]));
    }
  };
  fields('/etc/passwd', [2, 3]);
  fields('/etc/group', [2]);
  return ids;
}

/** Every uid and gid (real, effective, saved, fs) that some live process holds. */
export function idsInUse(): Set<number> {
  const ids = new Set<number>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let status: string;
    try {
      status = fs.readFileSync(`/proc/${name}/status`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    for (const m of status.matchAll(/^(?:Uid|Gid):\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/gm)) for (const v of m.slice(1)) ids.add(Number(v));
  }
  return ids;
}

export class IdentityPool {
  private readonly taken = new Set<number>();
  /** next candidate: ids rotate, so a just-released id (whose files may linger) comes back last */
  private cursor = 0;
  readonly base: number;
  readonly count: number;
  readonly support: IdentitySupport;

  constructor(opts: { base?: number; count?: number; euid?: number } = {}) {
    const env = rangeFromEnv();
    this.base = opts.base ?? env.base;
    this.count = opts.count ?? env.count;
    if (this.base < 1000 || this.base + this.count - 1 > MAX_ID) throw new RangeError(`uid range ${this.base}+${this.count}`);
    this.support = identitySupport(opts.euid, { base: this.base, count: this.count });
  }

  /**
   * Ids that were someone's when the pool was made (accounts, live processes: a crashed
   * earlier server's runs are swept before this): looked at once, not at every run, since
   * scanning /proc costs several ms and a run's start should not.
   */
  private foreign: Set<number> | null = null;

  /** An id pair for a new run, or null: no support (see .support) or every id busy. Never 0. */
  allocate(): RunIdentity | null {
    if (this.support !== true) return null;
    this.foreign ??= new Set([...idsInUse(), ...accountIds()]);
    const busy = this.foreign;
    const accounts = busy;
    for (let i = 0; i < this.count; i++) {
      const id = this.base + ((this.cursor + i) % this.count);
      if (id === 0 || this.taken.has(id) || busy.has(id) || accounts.has(id)) continue;
      this.taken.add(id);
      this.cursor = (this.cursor + i + 1) % this.count;
      return { uid: id, gid: id };
    }
    return null;
  }

  /** Gives an id back: only once the run's processes are all gone (after its cgroup's destroy()). */
  release(id: RunIdentity): void {
    this.taken.delete(id.uid);
  }

  /** Ids handed out and not released. */
  inUse(): number {
    return this.taken.size;
  }
}
