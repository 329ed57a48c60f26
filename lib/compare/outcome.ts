// The outcome of one recorded run, as "Run 20 times" compares them: each process's output
// and how it ended (exit code, killed by a signal, deadlocked, stopped at the time limit,
// stopped by the user). Pure: read from the recording alone, so a run recorded anywhere
// (the page, the CLI, a file) has the same outcome.
//
// A deadlock is what lib/deadlock finds on the recorded states and object samples, held for
// a while: once found it cannot undo itself (the rules are conservative), so only a run that
// did not finish by itself, and whose deadlock held longer than a sample can lag, counts.

import { findDeadlock, type LiveChannel, type LiveProc } from '../deadlock';
import type { EndReason, ObjectState, RunEvent } from '../events';
import type { Recording } from '../recording/format';

export type EndState =
  | { kind: 'exit'; code: number }
  | { kind: 'signal'; signal: string }
  /** Blocked for good in a deadlock, until the run was stopped. */
  | { kind: 'deadlocked' }
  /** Still going when the run's wall time ran out. */
  | { kind: 'timeout' }
  /** Still going when the run was stopped (Stop, or the tab gone). */
  | { kind: 'stopped' }
  /** The recording ends with no word on it (a run lost with its server). */
  | { kind: 'lost' };

export interface ProcResult {
  id: string;
  name: string;
  end: EndState;
  /** Everything it printed (stdout and stderr, in order), as recorded. */
  output: string;
}

export interface RunOutcome {
  procs: ProcResult[];
  /** The deadlock's explanation when the run deadlocked. */
  deadlock: string | null;
}

/** A deadlock shorter than this is taken for samples lagging (the page waits 350 ms before it says so). */
export const DEADLOCK_HOLD_MS = 250;

export function endLabel(e: EndState): string {
  switch (e.kind) {
    case 'exit':
      return `exit ${e.code}`;
    case 'signal':
      return `killed by ${e.signal}`;
    case 'deadlocked':
      return 'deadlocked';
    case 'timeout':
      return 'time limit';
    case 'stopped':
      return 'stopped';
    case 'lost':
      return 'lost';
    default: {
      const never: never = e;
      return never;
    }
  }
}

type Run = Extract<RunEvent, { type: 'run' }>;

/** The first deadlock that held at least DEADLOCK_HOLD_MS, replayed from the states and samples. */
function heldDeadlock(events: RunEvent[], run: Run, scenario: unknown): { procs: string[]; explanation: string } | null {
  const procs = new Map<string, LiveProc>(run.processes.map((p) => [p.id, { id: p.id, name: p.name, state: 'starting' }]));
  const objects = new Map<string, ObjectState>();
  const initial = new Map<string, number>();
  const declared = (scenario as { channels?: { id?: unknown; options?: { initial?: unknown } }[] } | null)?.channels;
  if (Array.isArray(declared)) for (const c of declared) if (typeof c?.id === 'string' && typeof c.options?.initial === 'number') initial.set(c.id, c.options.initial);
  const channels = (): LiveChannel[] =>
    run.channels.map((c) => ({ id: c.id, mechanism: c.mechanism, links: c.links, label: c.label, state: objects.get(c.id), initial: initial.get(c.id) }));

  let found: { procs: string[]; explanation: string; key: string; since: number } | null = null;
  for (const e of events) {
    if (e.type === 'state') {
      const p = procs.get(e.proc);
      if (p) procs.set(e.proc, { ...p, state: e.state, call: e.call, channel: e.channel });
    } else if (e.type === 'object') objects.set(e.channel, e.state);
    else continue;
    // cheap before the search: every live process blocked
    const all = [...procs.values()];
    const d = all.every((p) => p.state === 'blocked' || p.state === 'exited' || p.state === 'killed') ? findDeadlock(all, channels()) : null;
    const key = d ? `${d.kind}:${d.procs.join(',')}` : '';
    if (found && key === found.key) continue;
    // it ended (or became another): did it hold long enough to be one?
    if (found && e.t - found.since >= DEADLOCK_HOLD_MS) return found;
    found = d ? { procs: d.procs, explanation: d.explanation, key, since: e.t } : null;
  }
  const last = events.length ? events[events.length - 1].t : 0;
  return found && last - found.since >= DEADLOCK_HOLD_MS ? found : null;
}

/** Killed by the run's own end (its SIGTERM, then SIGKILL), not by a signal a process sent. */
function killedByEnd(events: RunEvent[], proc: string, signal: string): boolean {
  return (signal === 'SIGTERM' || signal === 'SIGKILL') && !events.some((e) => e.type === 'signal' && e.to === proc && e.signal === signal && e.from !== null);
}

/** What a process still going at the run's end was cut short by, when the run was cut short. */
function cutShortBy(reason: EndReason | null): EndState | null {
  switch (reason) {
    case 'timeout':
      return { kind: 'timeout' };
    case 'stopped':
    case 'disconnected':
      return { kind: 'stopped' };
    case 'finished':
    case 'error':
    case null:
      return null;
    default: {
      const never: never = reason;
      return never;
    }
  }
}

export function outcomeOf(rec: Recording): RunOutcome {
  const events = [...rec.events].sort((a, b) => a.t - b.t);
  const run = events.find((e): e is Run => e.type === 'run');
  if (!run) return { procs: [], deadlock: null };
  const end = events.find((e) => e.type === 'end');
  const reason = end?.type === 'end' ? end.reason : null;
  const output = new Map<string, string>();
  const exits = new Map<string, Extract<RunEvent, { type: 'exit' }>>();
  for (const e of events) {
    if (e.type === 'stdout' || e.type === 'stderr') output.set(e.proc, (output.get(e.proc) ?? '') + e.text);
    else if (e.type === 'exit' && !exits.has(e.proc)) exits.set(e.proc, e);
  }
  // a run that finished by itself had no deadlock for good, whatever a lagging sample said
  const deadlock = reason !== null && reason !== 'finished' ? heldDeadlock(events, run, rec.scenario) : null;
  const cutShort = cutShortBy(reason);
  const procs = run.processes.map((p): ProcResult => {
    const x = exits.get(p.id);
    let end: EndState;
    if (deadlock?.procs.includes(p.id)) end = { kind: 'deadlocked' };
    else if (!x) end = { kind: 'lost' };
    else if (x.signal === null) end = { kind: 'exit', code: x.code ?? 0 };
    else end = (cutShort && killedByEnd(events, p.id, x.signal) ? cutShort : null) ?? { kind: 'signal', signal: x.signal };
    return { id: p.id, name: p.name, end, output: output.get(p.id) ?? '' };
  });
  return { procs, deadlock: deadlock?.explanation ?? null };
}
