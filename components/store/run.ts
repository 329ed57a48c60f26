'use client';
// The run: its live picture (run/live.ts), the controls that act on it, and the user's
// run preferences (speed, trace). Commands go up the socket; the picture changes only from
// the events that come back, so what is shown is what the kernel did.

import { create } from 'zustand';
import type { StartOptions } from '@/lib/protocol';
import { applyEvents } from '../run/apply';
import { connect, sendControl, startRun, type Incoming } from '../run/connection';
import { IDLE, type RunLive } from '../run/live';
import { terminalBus } from '../run/terminalBus';
import type { Scenario } from '@/lib/scenario';
import { useEditor } from './editor';
import { currentProblems, useProblems } from './problems';

const PREFS_KEY = 'ipcpg.prefs';

interface RunStore extends RunLive {
  /** Statements per second per process; 0 = full speed. */
  sps: number;
  trace: boolean;
  /** A message for the status bar: why Run did nothing, why a run failed. */
  message: { text: string; tone: 'error' | 'info' } | null;

  start(opts?: { paused?: boolean }): Promise<void>;
  stop(): void;
  pause(proc?: string): void;
  resume(proc?: string): void;
  step(proc?: string): void;
  setSpeed(sps: number): void;
  setTrace(on: boolean): void;
  signal(proc: string, signal: string): void;
  dismissMessage(): void;
}

const sendsSeen = new Map<string, number>();
/** Frames that came while starting, before the server told us the run's id (bounded). */
let orphans: Incoming[] = [];

export const useRun = create<RunStore>()((set, get) => {
  const control = async (cmd: Parameters<typeof sendControl>[0]) => {
    const r = await sendControl(cmd);
    if (!r.ok) set({ message: { text: r.message, tone: 'error' } });
  };
  const running = () => {
    const { status, runId } = get();
    return status === 'running' && runId ? runId : null;
  };
  const savePrefs = () => {
    const { sps, trace } = get();
    try {
      localStorage.setItem(PREFS_KEY, JSON.stringify({ sps, trace }));
    } catch {
      // preferences are a convenience
    }
  };

  return {
    ...IDLE,
    sps: 0,
    trace: false,
    message: null,

    async start(opts) {
      const { status } = get();
      if (status === 'starting' || status === 'running') return;
      const problems = currentProblems();
      const editor = useEditor.getState();
      if (problems.length) {
        useProblems.getState().setServer([]);
        set({ message: { text: `Nothing was started: fix ${problems.length === 1 ? 'the problem' : `the ${problems.length} problems`} marked in red first.`, tone: 'error' } });
        return;
      }
      const scenario = editor.scenario;
      terminalBus.reset();
      sendsSeen.clear();
      const procs: RunLive['procs'] = {};
      for (const p of scenario.processes) procs[p.id] = { id: p.id, name: p.name, pid: null, state: 'starting', line: 0, statements: 0, syscalls: 0 };
      orphans = [];
      set({ ...IDLE, status: 'starting', procs, message: null, paused: !!opts?.paused });
      editor.setLocked(true);
      const options: StartOptions = { sps: get().sps, trace: get().trace, paused: !!opts?.paused };
      const reply = await startRun(scenario, options);
      if (!reply.ok) {
        editor.setLocked(false);
        useProblems.getState().setServer(reply.errors);
        const first = reply.errors[0];
        set({ ...IDLE, message: { text: `Nothing was started: ${first ? first.message : 'the server refused the run'}`, tone: 'error' } });
        return;
      }
      // the first frame may have come before the answer and set the id already
      if (get().runId === null) {
        set({ runId: reply.runId });
        const waiting = orphans.filter((o) => o.kind === 'frame' && o.frame.runId === reply.runId);
        orphans = [];
        if (waiting.length) onBatch(waiting);
      }
    },
    stop() {
      const runId = running();
      if (runId) void control({ runId, action: 'stop' });
    },
    pause(proc) {
      const runId = running();
      if (runId) void control({ runId, action: 'pause', proc });
    },
    resume(proc) {
      const runId = running();
      if (runId) void control({ runId, action: 'resume', proc });
    },
    step(proc) {
      const runId = running();
      if (runId) void control({ runId, action: 'step', proc });
      else if (get().status === 'idle' || get().status === 'ended') void get().start({ paused: true });
    },
    setSpeed(sps) {
      set({ sps });
      savePrefs();
      const runId = running();
      if (runId) void control({ runId, action: 'speed', sps });
    },
    setTrace(on) {
      set({ trace: on });
      savePrefs();
      const runId = running();
      if (runId) void control({ runId, action: 'trace', on });
    },
    signal(proc, signal) {
      const runId = running();
      if (runId) void control({ runId, action: 'signal', proc, signal });
    },
    dismissMessage() {
      set({ message: null });
    },
  };
});

/** Applies what arrived since the last animation frame. */
function onBatch(batch: Incoming[]): void {
  const st = useRun.getState();
  let live: RunLive = st;
  let changed = false;
  for (const item of batch) {
    if (item.kind === 'session') {
      // back after a disconnection: a run the server no longer has was stopped while away
      if ((live.status === 'running' || live.status === 'starting') && live.runId && !item.runs.includes(live.runId)) {
        live = { ...live, status: 'ended', end: live.end ?? { reason: 'disconnected', ms: live.lastT, processes: [], channels: [], leftovers: [] } };
        live.notices = [...live.notices, { seq: live.seq + 1, t: live.lastT, message: 'The connection was lost for too long: the server stopped the run and cleaned up.' }];
        changed = true;
      }
      continue;
    }
    const { frame } = item;
    const adopting = live.status === 'starting' && live.runId === null && frame.events.some((e) => e.type === 'run');
    if (!adopting && frame.runId !== live.runId) {
      if (live.status === 'starting' && live.runId === null && orphans.length < 100) orphans.push(item);
      continue; // else a previous run's last words
    }
    const { live: next, output } = applyEvents(live, frame.events, performance.now(), sendsSeen);
    for (const [proc, chunks] of output) for (const c of chunks) terminalBus.write(proc, c.text, c.err, c.note);
    live = next;
    changed = true;
  }
  if (!changed) return;
  const { status, runId, clockZero, lastT, paused, procs, chans, calls, notices, dropped, arcs, end, seq } = live;
  useRun.setState({ status, runId, clockZero, lastT, paused, procs, chans, calls, notices, dropped, arcs, end, seq });
  if (status === 'ended') useEditor.getState().setLocked(false);
}

/** True when only node positions differ: moving things around keeps the last run on show. */
function sameButPositions(a: Scenario, b: Scenario): boolean {
  if (a.channels !== b.channels || a.processes.length !== b.processes.length) return false;
  return a.processes.every((p, i) => p.id === b.processes[i].id && p.name === b.processes[i].name && p.program === b.processes[i].program);
}

/** Connects to the server and restores the run preferences. Call once, on the client. */
export function startRunClient(): void {
  try {
    const prefs = JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}') as { sps?: unknown; trace?: unknown };
    useRun.setState({ sps: typeof prefs.sps === 'number' && prefs.sps >= 0 ? prefs.sps : 0, trace: prefs.trace === true });
  } catch {
    // defaults
  }
  connect(onBatch);
  // Editing after a run: the nodes go back to showing the programs (the summary and the
  // terminals keep the last run until the next one).
  useEditor.subscribe((s, prev) => {
    if (s.scenario !== prev.scenario && useRun.getState().status === 'ended' && !sameButPositions(s.scenario, prev.scenario)) useRun.setState({ status: 'idle' });
  });
}
