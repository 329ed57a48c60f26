// One server instance: its private directory, the lock that says it is alive, and the sweep
// that, at start-up, removes everything left by instances that died (kill -9, crash).

import fs from 'node:fs';
import path from 'node:path';
import { C, sys } from '../../native/index';
import type { JournalEntry } from '../mechanisms/types';
import { RunCgroup, sweepCgroups } from './cgroup';
import { PREFIX, baseDir, entryLeft, inIpcNamespace, instanceDirName, journalRead, newInstanceId, removeEntry, rmrf } from './objects';

export class Instance {
  readonly id: string;
  readonly dir: string;
  private lockFd: number;
  private runSeq = 0;

  private constructor() {
    this.id = newInstanceId();
    this.dir = instanceDirName(this.id);
    // 0711: a run's processes (each run its own uid) may pass through to their own run
    // directory (0700, theirs), not list the others
    fs.mkdirSync(this.dir, { mode: 0o711 });
    fs.chmodSync(this.dir, 0o711);
    // An OFD write lock held for the instance's life: the sweep of a later server can take it
    // only once this process is gone, whatever became of its PID.
    this.lockFd = sys.open(path.join(this.dir, 'server.lock'), C.O_RDWR | C.O_CREAT | C.O_CLOEXEC, 0o600);
    sys.setLock(this.lockFd, C.F_OFD_SETLK, C.F_WRLCK);
    // On a clean exit, leave no trace; a run still journalled (a crash mid-run) is the sweep's.
    process.once('exit', () => {
      if (safeReaddir(this.dir).every((f) => f === 'server.lock')) rmrf(this.dir);
    });
  }

  private static current: Instance | null = null;

  /** The instance of this server process, created (after sweeping dead ones) on first use. */
  static get(): Instance {
    if (!Instance.current) {
      sweepDeadInstances();
      Instance.current = new Instance();
      // cgroups of dead instances' runs (named <instance>-<run>): their processes are killed, the directories removed
      void sweepCgroups((name) => {
        const dir = instanceDirName(name.split('-')[0]);
        return fs.existsSync(dir) && !isDead(dir);
      }).catch(() => {});
    }
    return Instance.current;
  }

  /** A cgroup name for a run: unique on the machine, and the sweep can tell whose it is. */
  cgroupName(runId: string): string {
    return `${this.id}-${runId}`;
  }

  newRunId(): string {
    return `r${(++this.runSeq).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  }

  runDir(runId: string): string {
    return path.join(this.dir, runId);
  }

  journalFile(runId: string): string {
    return path.join(this.dir, `${runId}.journal`);
  }

  /** POSIX object name for a channel: from the instance, the run and the channel's index only. */
  objectName(runId: string, index: number): string {
    return `/${PREFIX}.${this.id}.${runId}.c${index}`;
  }
}

/** Removes what dead instances left behind. Returns a description of each removed item. */
export function sweepDeadInstances(): string[] {
  const removed: string[] = [];
  let names: string[] = [];
  try {
    names = fs.readdirSync(baseDir());
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(`${PREFIX}-`)) continue;
    const dir = path.join(baseDir(), name);
    if (!isDead(dir)) continue;
    for (const f of safeReaddir(dir)) {
      if (!f.endsWith('.journal')) continue;
      // processes first, so nothing holds or recreates the objects
      let entries = journalRead(path.join(dir, f)).sort((a, b) => (a.kind === 'pid' ? -1 : b.kind === 'pid' ? 1 : 0));
      // A namespaced run's SysV ids mean nothing out here (the same id may be someone else's
      // object): the kernel frees them with the namespace once its processes are killed.
      if (entries.some((e) => e.kind === 'ns')) entries = entries.filter((e) => !inIpcNamespace(e));
      for (const e of entries) {
        const left = entryLeft(e);
        if (left) {
          removeEntry(e);
          removed.push(left);
        }
      }
      waitGone(entries);
    }
    const instance = name.slice(PREFIX.length + 1);
    for (const f of safeReaddir('/dev/shm')) {
      if (f.startsWith(`${PREFIX}.${instance}.`) || f.startsWith(`sem.${PREFIX}.${instance}.`)) {
        fs.rmSync(path.join('/dev/shm', f), { force: true });
        removed.push(`/dev/shm/${f}`);
      }
    }
    // its runs' cgroups (named <instance>-<run>): their processes were killed above
    removed.push(...RunCgroup.removeNow((name) => name.startsWith(`${instance}-`)));
    rmrf(dir);
    removed.push(dir);
  }
  return removed;
}

/** SIGKILL takes effect when the process is next scheduled: wait (briefly) until it has. */
function waitGone(entries: JournalEntry[]): void {
  const until = Date.now() + 2000;
  while (Date.now() < until && entries.some((e) => e.kind === 'pid' && entryLeft(e))) sys.poll([], 10);
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** An instance is dead when its lock can be taken. */
function isDead(dir: string): boolean {
  let fd = -1;
  try {
    fd = sys.open(path.join(dir, 'server.lock'), C.O_RDWR | C.O_CLOEXEC, 0);
    sys.setLock(fd, C.F_OFD_SETLK, C.F_WRLCK);
    return true;
  } catch {
    // no lock file: not an instance directory (or one that never started): not ours to remove
    return false;
  } finally {
    if (fd >= 0) sys.close(fd);
  }
}
