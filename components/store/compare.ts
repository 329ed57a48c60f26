'use client';
// "Run 20 times": the scenario run again and again, one run after the other, and the
// distinct outcomes of the runs (lib/compare) with how often each happened; each opens as
// its recording.
//
// The page drives the series, not the server: each run is started by the same Run as any
// other (store/run.ts), so it takes a run slot, waits in the server's line and counts
// against the identity's quota and rate limits exactly like a run started by hand, with no
// new server command to bound, and its recording is the one the page makes of every run.
// The cost is that the series lives in the tab: a tab closed ends it (its runs are the tab's).
// A run that deadlocks is stopped once the page has seen the deadlock (store/run.ts holds
// it 350 ms): its outcome is "deadlocked", and the series does not wait for the time limit.

import { create } from 'zustand';
import { exactKey, groupOutcomes, type OutcomeGroup } from '@/lib/compare/group';
import { outcomeOf, type RunOutcome } from '@/lib/compare/outcome';
import type { Recording } from '@/lib/recording/format';
import { openRecording } from '../timeline/openRecording';
import { useEditor } from './editor';
import { useRun } from './run';
import { liveRecording } from './timeline';

/** What the button says and a series makes. */
export const SERIES_RUNS = 20;

/** Runs in a series: SERIES_RUNS, or what the page's address says (?series=N, for tests that cannot wait for 20). */
function seriesLength(): number {
  const asked = Number(new URLSearchParams(window.location.search).get('series'));
  return Number.isInteger(asked) && asked >= 1 && asked <= SERIES_RUNS ? asked : SERIES_RUNS;
}

interface CompareStore {
  /** Runs the series asked for (0: no series yet). */
  planned: number;
  active: boolean;
  /** The scenario's title when the series began. */
  title: string;
  /** Each finished run's outcome, in order. */
  outcomes: RunOutcome[];
  groups: OutcomeGroup[];
  /** Why the series ended before its count, or null. */
  note: string | null;

  start(): Promise<void>;
  /** Stops the run going on and the series. */
  stop(): void;
  /** Opens run i's recording in the page's replay (of the first run whose outcome was exactly the same). */
  open(run: number): void;
}

/**
 * Recordings, kept out of the store (large, never drawn as such): one per distinct outcome
 * (twenty floods alike keep one), and for each run the one of its outcome.
 */
let recordings: Recording[] = [];
let recordingOfRun: number[] = [];
let recordingOfOutcome = new Map<string, number>();
/** Bumped by stop() and by a new series: a series that sees another number stops. */
let generation = 0;

/** Resolves when the run has ended (or never began); stops it when the page sees a deadlock, and says so. */
function runEnded(): Promise<{ stoppedForDeadlock: boolean }> {
  return new Promise((resolve) => {
    let stopping = false;
    const check = (s: ReturnType<typeof useRun.getState>) => {
      if (s.status === 'ended' || s.status === 'idle') {
        unsubscribe();
        resolve({ stoppedForDeadlock: stopping });
      } else if (s.deadlock && !stopping) {
        stopping = true;
        s.stop();
      }
    };
    const unsubscribe = useRun.subscribe(check);
    check(useRun.getState());
  });
}

export const useCompare = create<CompareStore>()((set, get) => ({
  planned: 0,
  active: false,
  title: '',
  outcomes: [],
  groups: [],
  note: null,

  async start() {
    const run = useRun.getState();
    if (get().active || run.status === 'starting' || run.status === 'running') return;
    const gen = ++generation;
    const planned = seriesLength();
    recordings = [];
    recordingOfRun = [];
    recordingOfOutcome = new Map();
    set({ planned, active: true, outcomes: [], groups: [], note: null, title: useEditor.getState().scenario.title });
    const finish = (note: string | null) => {
      if (gen === generation) set({ active: false, note });
    };
    for (let i = 0; i < planned; i++) {
      if (gen !== generation) return finish(null);
      // full speed: twenty runs in slow motion would take the lesson
      await useRun.getState().start({ sps: 0 });
      if (gen !== generation) return finish(null);
      const started = useRun.getState();
      if (started.status === 'idle') return finish(started.message?.text ?? 'The run did not start.');
      const { stoppedForDeadlock } = await runEnded();
      const rec = liveRecording();
      const end = useRun.getState().end;
      // Stop pressed: that run is not an outcome of the scenario, and the series ends
      if (gen !== generation || !rec || !end) return finish(null);
      if (end.reason === 'stopped' && !stoppedForDeadlock) return finish(`Stopped after ${i} of ${planned} runs.`);
      const outcome = outcomeOf(rec);
      const key = exactKey(outcome);
      if (!recordingOfOutcome.has(key)) recordingOfOutcome.set(key, recordings.push(rec) - 1);
      recordingOfRun.push(recordingOfOutcome.get(key)!);
      const outcomes = [...get().outcomes, outcome];
      set({ outcomes, groups: groupOutcomes(outcomes) });
      if (end.reason === 'disconnected' || end.reason === 'error') return finish(`Run ${i + 1} did not end by itself (${end.reason}): the series stops.`);
    }
    finish(null);
  },
  stop() {
    if (get().active) {
      generation++;
      set({ active: false, note: `Stopped after ${get().outcomes.length} of ${get().planned} runs.` });
    }
    useRun.getState().stop();
  },
  open(i) {
    const rec = recordings[recordingOfRun[i]];
    if (rec) openRecording(rec);
  },
}));
