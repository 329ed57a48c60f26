'use client';
// The recording shown and the time cursor. A live run records every frame (run/recording's
// Recorder, fed by store/run.ts); a recording can also come from a file or a link (replay).
// With the cursor set, the run store holds the picture of that moment (run/picture.ts);
// `toLive` (End) gives the live run back.

import { create } from 'zustand';
import type { Recording } from '@/lib/recording/format';
import { recordingLength } from '@/lib/recording/format';
import { Recorder } from '@/lib/recording/recorder';
import { pictureAt, stepFrom, type Picture } from '../run/picture';

interface TimelineStore {
  /** The recording drawn: the live run's as of `refresh`, or an opened one. */
  recording: Recording | null;
  /** Where it comes from: this page's run, or a file or link (nothing runs). */
  source: 'run' | 'file' | null;
  /** The moment shown (ms of run time), or null: the live run / the end of the recording. */
  cursor: number | null;

  /** Takes a fresh copy of the live run's recording. */
  refresh(): void;
  /** Opens a recording to replay (no process runs). */
  open(rec: Recording): void;
  scrub(t: number): void;
  step(dir: 1 | -1, proc?: string): void;
  toLive(): void;
}

let recorder: Recorder | null = null;
/** Who puts the live picture back (store/run.ts re-applies everything recorded). */
let showLive: () => void = () => {};

export function setLiveRestorer(f: () => void): void {
  showLive = f;
}

/** A run starts: its recording starts empty. */
export function beginRecording(scenario: unknown): void {
  recorder = new Recorder(scenario);
  useTimeline.setState({ recording: null, source: 'run', cursor: null });
}

export function recordEvents(events: Parameters<Recorder['push']>[0]): void {
  recorder?.push(events);
}

/** The live run's recording now (what Download gives during a run). */
export function liveRecording(): Recording | null {
  return recorder?.recording() ?? null;
}

/** Who puts a picture into the run store and the terminals (store/run.ts). */
let applyPicture: (p: Picture) => void = () => {};
export function setPictureApplier(f: (p: Picture) => void): void {
  applyPicture = f;
}

export const useTimeline = create<TimelineStore>()((set, get) => ({
  recording: null,
  source: null,
  cursor: null,

  refresh() {
    if (get().source !== 'run') return;
    const rec = liveRecording();
    if (rec) set({ recording: rec });
  },
  open(rec) {
    recorder = null;
    set({ recording: rec, source: 'file', cursor: null });
    applyPicture(pictureAt(rec, Infinity));
  },
  scrub(t) {
    let rec = get().recording;
    if (get().source === 'run' && get().cursor === null) {
      // leaving live: draw from the recording as it is now
      rec = liveRecording();
      if (rec) set({ recording: rec });
    }
    if (!rec) return;
    const end = recordingLength(rec);
    const at = Math.max(0, Math.min(t, end));
    set({ cursor: at });
    applyPicture(pictureAt(rec, at));
  },
  step(dir, proc) {
    const rec = get().source === 'run' && get().cursor === null ? liveRecording() : get().recording;
    if (!rec) return;
    const from = get().cursor ?? recordingLength(rec) + (dir === 1 ? 0 : 1e-6);
    const next = stepFrom(rec, from, dir, proc);
    if (next === null) {
      // past the last step: back to live (or the end of a replay)
      if (dir === 1) get().toLive();
      return;
    }
    get().scrub(next);
  },
  toLive() {
    const { source, recording, cursor } = get();
    if (cursor === null) return;
    set({ cursor: null });
    if (source === 'run') showLive();
    else if (recording) applyPicture(pictureAt(recording, Infinity));
  },
}));
