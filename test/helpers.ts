// Shared by the engine tests: build scenarios tersely, run them through the real engine,
// and look at the host for anything a run left behind.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { RunEvent } from '../lib/events';
import type { MechanismId } from '../lib/mechanisms';
import { OWN_KEY_PREFIX } from '../server/mechanisms/sysv-key';
import { hostPidsOf, sysvObjects } from '../server/run/objects';
import { Run, type RunOptions } from '../server/run/run';

export type End = Extract<RunEvent, { type: 'end' }>;

export function scenario(procs: Record<string, string>, channels: [string, string, string, MechanismId, Record<string, number | string>?][] = []) {
  return {
    version: 1,
    title: 'test',
    processes: Object.entries(procs).map(([id, program]) => ({ id, name: id, program })),
    channels: channels.map(([id, from, to, mechanism, options]) => ({ id, from, to, mechanism, ...(options ? { options } : {}) })),
  };
}

export interface Result {
  run: Run;
  events: RunEvent[];
  end: End;
  stdout(proc: string): string;
}

/** Starts a run, lets `during` act on it, and collects every event until the end. */
export async function runIt(sc: unknown, opts: RunOptions = {}, during?: (run: Run, events: RunEvent[]) => Promise<void> | void): Promise<Result> {
  const events: RunEvent[] = [];
  const started = await Run.start(sc, { timeoutMs: 15_000, ...opts }, (f) => events.push(...f.events));
  if (!started.ok) throw new Error(`invalid: ${JSON.stringify(started.errors)}`);
  const { run } = started;
  if (during) await during(run, events);
  const end = await run.done;
  return {
    run, events, end,
    // a drawn process's stdout, its forked children's (`proc.1`, `proc.1.2`...) included: one pipe, as in C
    stdout: (proc) => events.map((e) => (e.type === 'stdout' && (e.proc === proc || e.proc.startsWith(`${proc}.`)) ? e.text : '')).join(''),
  };
}

/** Resolves once an event matching pred has arrived. */
export async function waitFor(events: RunEvent[], pred: (e: RunEvent) => boolean, ms = 10_000): Promise<RunEvent> {
  const until = Date.now() + ms;
  for (;;) {
    const e = events.find(pred);
    if (e) return e;
    if (Date.now() > until) throw new Error('timed out waiting for an event');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function outcome(end: End, proc: string): string {
  return end.processes.find((p) => p.id === proc)?.outcome ?? 'missing';
}

/** What of ours exists on the host: /dev/shm entries, SysV objects, processes of the run. */
export function hostLeftovers(runId: string): string[] {
  const left: string[] = [];
  for (const f of fs.readdirSync('/dev/shm')) if (f.includes(`.${runId}.`)) left.push(`/dev/shm/${f}`);
  for (const pid of hostPidsOf(runId)) left.push(`process ${pid}`);
  return left;
}

/**
 * Ids of SysV message queues and shared-memory segments from ipcs whose key starts with
 * `prefix` (20 bits): by default this process's own, so that test files running at the same
 * time do not count each other's. With `nsOfPid`, those in that process's IPC namespace.
 */
export function sysvIds(prefix = OWN_KEY_PREFIX, nsOfPid?: number): string[] {
  return sysvObjects(nsOfPid)
    .filter((o) => (o.key & 0xfffff000) === prefix)
    .map((o) => o.id);
}

/** A process's namespace of a kind, as /proc names it (`ipc:[4026532177]`). */
export const nsOf = (pid: number | 'self', kind: 'ipc' | 'net') => fs.readlinkSync(`/proc/${pid}/ns/${kind}`);

/** PIDs of the processes in an IPC namespace: none once the kernel may free it. */
export function processesInIpcNs(ns: string): string[] {
  return fs.readdirSync('/proc').filter((pid) => {
    try {
      return /^\d+$/.test(pid) && nsOf(Number(pid), 'ipc') === ns;
    } catch {
      return false;
    }
  });
}

/** `npm run scenario -- ARGS` as a user runs it: its exit code and output. */
export function cli(args: string[], timeoutMs = 30_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { cwd: path.resolve(import.meta.dirname, '..'), timeout: timeoutMs }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
