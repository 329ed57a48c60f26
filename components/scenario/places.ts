// Maps an error's place (`processes[1].program:3:14`, `channels[0].options.size`) back to
// what the user drew: the node, the edge, the editor line.
import type { PlaceError, Scenario } from '@/lib/scenario';

export type Target =
  | { kind: 'process'; id: string; field: string; line?: number; col?: number }
  | { kind: 'channel'; id: string; field: string }
  | { kind: 'scenario'; field: string };

const PROC = /^processes\[(\d+)\](?:\.([A-Za-z]+))?(?::(\d+):(\d+))?/;
const CHAN = /^channels\[(\d+)\](?:\.([A-Za-z.]+))?/;

export function placeTarget(place: string, s: Scenario): Target {
  let m = PROC.exec(place);
  if (m) {
    const p = s.processes[Number(m[1])];
    if (p) return { kind: 'process', id: p.id, field: m[2] ?? '', line: m[3] ? Number(m[3]) : undefined, col: m[4] ? Number(m[4]) : undefined };
  }
  m = CHAN.exec(place);
  if (m) {
    const c = s.channels[Number(m[1])];
    if (c) return { kind: 'channel', id: c.id, field: m[2] ?? '' };
  }
  return { kind: 'scenario', field: place };
}

export interface LocatedError extends PlaceError {
  target: Target;
}

export interface ProblemIndex {
  all: LocatedError[];
  byProcess: Record<string, LocatedError[]>;
  byChannel: Record<string, LocatedError[]>;
}

export function indexProblems(errors: PlaceError[], s: Scenario): ProblemIndex {
  const idx: ProblemIndex = { all: [], byProcess: {}, byChannel: {} };
  for (const e of errors) {
    const target = placeTarget(e.place, s);
    const located = { ...e, target };
    idx.all.push(located);
    if (target.kind === 'process') (idx.byProcess[target.id] ??= []).push(located);
    else if (target.kind === 'channel') (idx.byChannel[target.id] ??= []).push(located);
  }
  return idx;
}

/** Words for a place, for the problems list: `writer, line 3`, `channel c1 (mechanism)`. */
export function describeTarget(t: Target, s: Scenario): string {
  if (t.kind === 'process') {
    const name = s.processes.find((p) => p.id === t.id)?.name ?? t.id;
    return t.line ? `${name}, line ${t.line}:${t.col}` : `${name}${t.field ? ` (${t.field})` : ''}`;
  }
  if (t.kind === 'channel') {
    const c = s.channels.find((x) => x.id === t.id);
    return `channel ${c?.label ?? t.id}${t.field ? ` (${t.field})` : ''}`;
  }
  return t.field === '(server)' ? 'server' : t.field === '(root)' ? 'scenario' : t.field;
}
