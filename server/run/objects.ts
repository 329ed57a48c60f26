// Where a server instance keeps its runs, how kernel objects are named, and the journal of
// every object and process a run creates: what the verify step checks and the sweep removes.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { C, SyscallError, sys } from '../../native/index';
import type { JournalEntry } from '../mechanisms/types';

export const PREFIX = 'ipcpg';

/** Base of every instance directory: /tmp/ipcpg-<instance>/ */
export function baseDir(): string {
  return process.env.IPCPG_TMP || os.tmpdir();
}

export function newInstanceId(): string {
  return `${process.pid.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export function journalAppend(file: string, e: JournalEntry): void {
  fs.appendFileSync(file, JSON.stringify(e) + '\n', { mode: 0o600 });
}

export function journalRead(file: string): JournalEntry[] {
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: JournalEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // a line cut by a crash: its object was not created yet either
    }
  }
  return out;
}

function ignoreGone(f: () => void): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof SyscallError)) throw e;
  }
}

/** A process's command line, split (a run process's names its run id); empty when it is gone. */
function argvOf(pid: number | string): string[] {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/** True when /proc/pid is a process of this run (PIDs get reused). */
function isHostOf(pid: number, runId: string): boolean {
  return argvOf(pid).includes(runId);
}

/**
 * SysV message queues and shared-memory segments as `ipcs` lists them: here, or in the IPC
 * namespace of process `nsOfPid` (through nsenter). For counting leftovers, never for removing.
 */
export function sysvObjects(nsOfPid?: number): { key: number; id: string }[] {
  const ipcs = ['ipcs', '-q', '-m'];
  const out = nsOfPid
    ? execFileSync('nsenter', [`--ipc=/proc/${nsOfPid}/ns/ipc`, ...ipcs], { encoding: 'utf8' })
    : execFileSync(ipcs[0], ipcs.slice(1), { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => /^0x[0-9a-f]+\s+\d+/.test(l))
    .map((l) => ({ key: parseInt(l, 16), id: l.split(/\s+/)[1] }));
}

/** PIDs of the live processes of any of these runs (zombies have no command line). */
export function hostPidsOf(...runIds: string[]): number[] {
  const ids = new Set(runIds);
  const pids: number[] = [];
  for (const pid of fs.readdirSync('/proc')) {
    if (/^\d+$/.test(pid) && argvOf(pid).some((a) => ids.has(a))) pids.push(Number(pid));
  }
  return pids;
}

export function removeEntry(e: JournalEntry): void {
  switch (e.kind) {
    case 'sem':
      return ignoreGone(() => sys.semUnlink(e.name));
    case 'shm':
      return ignoreGone(() => sys.shmUnlink(e.name));
    case 'mq':
      return ignoreGone(() => sys.mqUnlink(e.name));
    case 'msg':
      return ignoreGone(() => sys.msgRemove(e.id));
    case 'shmid':
      return ignoreGone(() => sys.shmRemove(e.id));
    case 'pid':
      if (isHostOf(e.pid, e.runId)) {
        ignoreGone(() => sys.kill(-e.pid, 9));
        ignoreGone(() => sys.kill(e.pid, 9));
      }
      return;
    case 'ns':
      return;
  }
}

/** Entries whose objects live in a run's IPC namespace (when it has one): gone with it. */
export function inIpcNamespace(e: JournalEntry): boolean {
  return e.kind === 'mq' || e.kind === 'msg' || e.kind === 'shmid';
}

/** A readable name of what still exists, or null when the entry's object is gone. */
export function entryLeft(e: JournalEntry): string | null {
  switch (e.kind) {
    case 'sem':
      return fs.existsSync(`/dev/shm/sem.${e.name.slice(1)}`) ? `semaphore ${e.name}` : null;
    case 'shm':
      return fs.existsSync(`/dev/shm/${e.name.slice(1)}`) ? `shared memory ${e.name}` : null;
    case 'mq':
      try {
        const q = sys.mqOpen(e.name, C.O_RDONLY);
        sys.mqClose(q);
        return `message queue ${e.name}`;
      } catch {
        return null;
      }
    case 'msg':
      try {
        sys.msgStat(e.id);
        return `SysV message queue ${e.id}`;
      } catch {
        return null;
      }
    case 'shmid':
      try {
        sys.shmStat(e.id);
        return `SysV shared memory ${e.id}`;
      } catch {
        return null;
      }
    case 'pid':
      return isHostOf(e.pid, e.runId) && fs.existsSync(`/proc/${e.pid}`) && !isZombie(e.pid) ? `process ${e.pid}` : null;
    case 'ns':
      return null;
  }
}

function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}

/** Single-letter scheduler state from /proc/PID/stat (R, S, D, T, Z), or null if gone. */
export function procState(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2);
  } catch {
    return null;
  }
}

export function rmrf(p: string): void {
  fs.rmSync(p, { recursive: true, force: true });
}

export function instanceDirName(instance: string): string {
  return path.join(baseDir(), `${PREFIX}-${instance}`);
}
