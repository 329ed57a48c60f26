'use client';
// What is wrong with the scenario, kept up to date as the user edits: every check the server
// makes before a run (lib/validate.ts), run in the browser, so errors show where they are
// while typing, and Run refuses to start what the server would refuse.
import { create } from 'zustand';
import type { PlaceError } from '@/lib/scenario';
import { validateScenario } from '@/lib/validate';
import { indexProblems, type ProblemIndex } from '../scenario/places';
import { useEditor } from './editor';

interface ProblemsState extends ProblemIndex {
  /** Errors the server gave for the last Run (limits, or anything the browser missed). */
  server: PlaceError[];
  setServer(errors: PlaceError[]): void;
}

export const useProblems = create<ProblemsState>()((set) => ({
  all: [],
  byProcess: {},
  byChannel: {},
  server: [],
  setServer(errors) {
    set({ server: errors });
    recompute();
  },
}));

export function currentProblems(): PlaceError[] {
  const s = useEditor.getState().scenario;
  const v = validateScenario(s);
  return v.ok ? [] : v.errors;
}

function recompute(): void {
  const s = useEditor.getState().scenario;
  const local = currentProblems();
  const server = useProblems.getState().server.filter((e) => !local.some((l) => l.place === e.place && l.message === e.message));
  useProblems.setState(indexProblems([...local, ...server], s));
}

let timer: ReturnType<typeof setTimeout> | null = null;
let started = false;

/** Re-checks shortly after each edit (a pause in typing), not on every keystroke. */
export function watchProblems(): () => void {
  if (started) return () => {};
  started = true;
  recompute();
  const unsub = useEditor.subscribe((st, prev) => {
    if (st.scenario === prev.scenario) return;
    if (useProblems.getState().server.length) useProblems.setState({ server: [] });
    if (timer) clearTimeout(timer);
    timer = setTimeout(recompute, 150);
  });
  return () => {
    started = false;
    unsub();
  };
}
