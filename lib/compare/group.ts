// The distinct outcomes of a series of runs, and how often each happened. Outcomes that
// differ only in numbers (the counter race's lost updates) are one group whose varying
// numbers are shown as spreads, not twenty unrelated rows; within a group, the exact
// variants are kept (each opens as its recording).

import { endLabel, type RunOutcome } from './outcome';
import { spreadOf, type Spread } from './spread';

/** A number as a person writes one: not part of a word (p1, inc2) nor of a longer number. */
const NUMBER = /(?<![\w.])-?\d+(?:\.\d+)?(?!\w)/g;

/** Text split at its numbers: parts has one more item than numbers. */
export function splitNumbers(text: string): { parts: string[]; numbers: number[] } {
  const parts: string[] = [];
  const numbers: number[] = [];
  let at = 0;
  for (const m of text.matchAll(NUMBER)) {
    parts.push(text.slice(at, m.index));
    numbers.push(Number(m[0]));
    at = m.index + m[0].length;
  }
  parts.push(text.slice(at));
  return { parts, numbers };
}

/** A piece of a group's output: text, or a number that differs between its runs. */
export type Piece = { text: string } | { spread: Spread };

export interface GroupProc {
  id: string;
  name: string;
  end: string;
  pieces: Piece[];
}

export interface Variant {
  /** Runs (indexes in the series) with exactly this outcome. */
  runs: number[];
  outcome: RunOutcome;
}

export interface OutcomeGroup {
  /** Runs in this group, in order. */
  runs: number[];
  procs: GroupProc[];
  deadlock: string | null;
  /** The exact outcomes in it, most frequent first. */
  variants: Variant[];
  /** Whether some number differs between its runs. */
  varies: boolean;
}

/** Everything of an outcome but its numbers. */
function shapeKey(o: RunOutcome): string {
  return JSON.stringify([o.deadlock !== null, o.procs.map((p) => [p.id, endLabel(p.end), splitNumbers(p.output).parts])]);
}

/** Outcomes with the same key are the same in every respect. */
export function exactKey(o: RunOutcome): string {
  return JSON.stringify([o.deadlock, o.procs.map((p) => [p.id, endLabel(p.end), p.output])]);
}

/** Merges numbers that never change back into the text. */
function piecesOf(parts: string[], columns: number[][]): Piece[] {
  const pieces: Piece[] = [];
  const text = (s: string) => {
    const last = pieces[pieces.length - 1];
    if (last && 'text' in last) last.text += s;
    else if (s) pieces.push({ text: s });
  };
  parts.forEach((part, i) => {
    text(part);
    const col = columns[i];
    if (!col) return;
    if (col.every((v) => v === col[0])) text(String(col[0]));
    else pieces.push({ spread: spreadOf(col) });
  });
  return pieces;
}

export function groupOutcomes(outcomes: RunOutcome[]): OutcomeGroup[] {
  const shapes = new Map<string, number[]>();
  outcomes.forEach((o, i) => {
    const k = shapeKey(o);
    const runs = shapes.get(k);
    if (runs) runs.push(i);
    else shapes.set(k, [i]);
  });
  const groups = [...shapes.values()].map((runs): OutcomeGroup => {
    const first = outcomes[runs[0]];
    const exact = new Map<string, Variant>();
    for (const i of runs) {
      const k = exactKey(outcomes[i]);
      const v = exact.get(k);
      if (v) v.runs.push(i);
      else exact.set(k, { runs: [i], outcome: outcomes[i] });
    }
    const procs = first.procs.map((p, pi): GroupProc => {
      const split = runs.map((i) => splitNumbers(outcomes[i].procs[pi].output).numbers);
      const columns = split[0].map((_, n) => split.map((nums) => nums[n]));
      return { id: p.id, name: p.name, end: endLabel(p.end), pieces: piecesOf(splitNumbers(p.output).parts, columns) };
    });
    const variants = [...exact.values()].sort((a, b) => b.runs.length - a.runs.length || a.runs[0] - b.runs[0]);
    return { runs, procs, deadlock: first.deadlock, variants, varies: variants.length > 1 };
  });
  return groups.sort((a, b) => b.runs.length - a.runs.length || a.runs[0] - b.runs[0]);
}
