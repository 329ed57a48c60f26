'use client';
// The run: its live picture (run/live.ts), the controls that act on it, and the user's
// run preferences (speed, trace). Commands go up the socket; the picture changes only from
// the events that come back, so what is shown is what the kernel did.

import { create } from 'zustand';
import type { Deadlock } from '@/lib/deadlock';
import type { Frame } from '@/lib/events';
import type { StartOptions } from '@/lib/protocol';
import { applyEvents } from '../run/apply';
import { pictureAt, type Picture } from '../run/picture';
import { detectDeadlock, deadlockKey } from '../run/deadlock';
import { connect, leaveLine, sendControl, startRun, type Incoming } from '../run/connection';
import { IDLE, type RunLive } from '../run/live';
import { terminalBus } from '../run/terminalBus';
import { readStored, writeStored } from '../scenario/storage';
import type { Scenario } from '@/lib/scenario';
import { useEditor } from './editor';
import { useNotify } from './notify';
import { currentProblems, useProblems } from './problems';
import { beginRecording, liveRecording, recordEvents, setLiveRestorer, setPictureApplier, useTimeline } from './timeline';

const PREFS_KEY = 'ipcpg.prefs';

interface RunStore extends RunLive {
  /** Statements per second per process; 0 = full speed. */
  sps: number;
  trace: boolean;
  /** A message for the status bar: why Run did nothing, why a run failed. */
  message: { text: string; tone: 'error' | 'info' } | null;
  /** A deadlock in the running processes (lib/deadlock.ts), once it has held for a moment. */
  deadlock: Deadlock | null;
  /** While starting: the place in the server's line of runs waiting for a slot (1: next), or null. */
  queued: number | null;
  /** While in line: about how long until the run starts (ms), or null when the server cannot tell yet. */
  queueEtaMs: number | null;

  /** `sps` for this run only (a series runs at full speed whatever the slider says). */
  start(opts?: { paused?: boolean; sps?: number }): Promise<void>;
  stop(): void;
  pause(proc?: string): void;
  resume(proc?: string): void;
  step(proc?: string): void;
  setSpeed(sps: number): void;
  setTrace(on: boolean): void;
  signal(proc: string, signal: string): void;
  /** A line typed into a process's terminal, to its fd 0 (echoed in its terminal, as a tty does). */
  input(proc: string, text: string): void;
  /** Ctrl-D in a process's terminal: end of file on its fd 0. */
  endInput(proc: string): void;
  dismissMessage(): void;
}

const sendsSeen = new Map<string, number>();
/** Following someone else's session: their runs are shown, nothing is sent. */
let followerMode = false;
export function setFollowerMode(on: boolean): void {
  followerMode = on;
}
/** Frames that came while starting, before the server told us the run's id (bounded). */
let orphans: Incoming[] = [];
/** The current start; Stop while it waits in line moves on, so its answer (not started) changes nothing. */
let startGen = 0;
/** The server process that answered last: another one means the server was restarted. */
let lastServer: string | null = null;

export const useRun = create<RunStore>()((set, get) => {
  const control = async (cmd: Parameters<typeof sendControl>[0]) => {
    if (followerMode) return;
    const r = await sendControl(cmd);
    if (!r.ok) set({ message: { text: r.message, tone: 'error' } });
  };
  const running = () => {
    // looking back at a moment, the run acted on is the live one
    const { status, runId } = shadow ?? get();
    return status === 'running' && runId ? runId : null;
  };
  const savePrefs = () => {
    const { sps, trace } = get();
    writeStored('local', PREFS_KEY, JSON.stringify({ sps, trace }));
  };

  return {
    ...IDLE,
    sps: 0,
    trace: false,
    message: null,
    deadlock: null,
    queued: null,
    queueEtaMs: null,

    async start(opts) {
      const { status } = get();
      if (followerMode || status === 'starting' || status === 'running') return;
      const problems = currentProblems();
      const editor = useEditor.getState();
      if (problems.length) {
        useProblems.getState().setServer([]);
        set({ message: { text: `Nothing was started: fix ${problems.length === 1 ? 'the problem' : `the ${problems.length} problems`} marked in red first.`, tone: 'error' } });
        return;
      }
      const scenario = editor.scenario;
      // the run's pictures are what matter now; Ctrl-Z still undoes the opening
      useNotify.getState().dismissKind('opened');
      shadow = null;
      beginRecording(scenario);
      terminalBus.reset();
      sendsSeen.clear();
      const procs: RunLive['procs'] = {};
      for (const p of scenario.processes) procs[p.id] = { id: p.id, name: p.name, pid: null, state: 'starting', line: 0, statements: 0, syscalls: 0 };
      orphans = [];
      const gen = ++startGen;
      set({ ...IDLE, status: 'starting', procs, message: null, paused: !!opts?.paused, queued: null, queueEtaMs: null });
      editor.setLocked(true);
      const options: StartOptions = { sps: opts?.sps ?? get().sps, trace: get().trace, paused: !!opts?.paused };
      const reply = await startRun(scenario, options, (place, etaMs) => {
        if (gen !== startGen) return;
        if (get().queued === null) set({ message: { text: 'Every run slot of the server is busy: this run waits in line and starts by itself. Stop leaves the line.', tone: 'info' } });
        set({ queued: place, queueEtaMs: etaMs });
      });
      // left the line (Stop): stop() has put the page back already
      if (gen !== startGen) return;
      if (get().queued !== null) set({ queued: null, queueEtaMs: null, message: null });
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
      if (runId) return void control({ runId, action: 'stop' });
      if (get().queued !== null) {
        startGen++;
        leaveLine();
        useEditor.getState().setLocked(false);
        set({ ...IDLE, queued: null, queueEtaMs: null, message: { text: 'You left the line: nothing was started.', tone: 'info' } });
      }
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
      if (followerMode) return;
      set({ sps });
      savePrefs();
      const runId = running();
      if (runId) void control({ runId, action: 'speed', sps });
    },
    setTrace(on) {
      if (followerMode) return;
      set({ trace: on });
      savePrefs();
      const runId = running();
      if (runId) void control({ runId, action: 'trace', on });
    },
    signal(proc, signal) {
      const runId = running();
      if (runId) void control({ runId, action: 'signal', proc, signal });
    },
    input(proc, text) {
      const runId = running();
      if (!runId) return;
      terminalBus.write(proc, text, false, true);
      void control({ runId, action: 'stdin', proc, text });
    },
    endInput(proc) {
      const runId = running();
      if (!runId) return;
      terminalBus.write(proc, '^D\n', false, true);
      void control({ runId, action: 'stdin-eof', proc });
    },
    dismissMessage() {
      set({ message: null });
    },
  };
});

/** Applies what arrived since the last animation frame. */
function onBatch(batch: Incoming[]): void {
  // looking back at a moment: frames go on into the live picture kept aside (and the recording)
  const aside = () => useTimeline.getState().cursor !== null && useTimeline.getState().source === 'run';
  let live: RunLive = shadow ?? useRun.getState();
  let changed = false;
  for (const item of batch) {
    if (item.kind === 'reset') {
      // following: the presenter's run so far, drawn from nothing
      shadow = null;
      live = resetLive();
      changed = true;
      beginRecording(useEditor.getState().scenario);
      if (item.snapshot) ({ live } = applyFrame(live, item.snapshot));
      continue;
    }
    if (item.kind === 'session') {
      if (followerMode) continue; // the runs shown are not this tab's own
      const restarted = lastServer !== null && item.server !== lastServer;
      lastServer = item.server;
      // back (a reload, a reconnection, a new tab of the same session): the run as it is now
      if (item.snapshot && live.status !== 'starting') {
        live = resetLive();
        ({ live } = applyFrame(live, item.snapshot));
        changed = true;
        continue;
      }
      // back after a disconnection: a run the server no longer has was stopped while away
      if ((live.status === 'running' || live.status === 'starting') && live.runId && !item.runs.includes(live.runId)) {
        // its processes were killed by the server (or swept by the new one): none is still blocked
        const procs = Object.fromEntries(
          Object.entries(live.procs).map(([id, p]) => [id, p.outcome ? p : { ...p, state: 'killed' as const, call: undefined, channel: undefined, outcome: 'killed: run lost' }]),
        );
        live = { ...live, procs, status: 'ended', end: live.end ?? { reason: restarted ? 'error' : 'disconnected', ms: live.lastT, processes: [], channels: [], leftovers: [] } };
        const message = restarted
          ? 'The server was restarted during this run: the run is lost. The new server removed its processes and kernel objects when it started.'
          : 'The connection was lost for too long: the server stopped the run and cleaned up.';
        live.notices = [...live.notices, { seq: live.seq + 1, t: live.lastT, message }];
        changed = true;
      }
      continue;
    }
    const { frame } = item;
    if (followerMode && frame.runId !== live.runId && frame.events.some((e) => e.type === 'run')) {
      // the presenter started another run
      shadow = null;
      beginRecording(useEditor.getState().scenario);
      live = resetLive();
      ({ live } = applyFrame(live, frame));
      changed = true;
      continue;
    }
    const adopting = live.status === 'starting' && live.runId === null && frame.events.some((e) => e.type === 'run');
    if (!adopting && frame.runId !== live.runId) {
      if (live.status === 'starting' && live.runId === null && orphans.length < 100) orphans.push(item);
      continue; // else a previous run's last words
    }
    ({ live } = aside() ? applyAside(live, frame) : applyFrame(live, frame));
    changed = true;
  }
  if (!changed) return;
  if (aside()) {
    shadow = live;
    return;
  }
  publish(live);
  watchDeadlock();
}

/** The live picture while the page shows a past moment (null: the page shows it). */
let shadow: RunLive | null = null;

/** A frame into the live picture kept aside: its output is in the recording, shown on return. */
function applyAside(live: RunLive, frame: Frame): { live: RunLive } {
  recordEvents(frame.events);
  return { live: applyEvents(live, frame.events, performance.now(), sendsSeen).live };
}

/** The run as it is now, whatever moment the page shows. */
export function liveRun(): RunLive {
  return shadow ?? useRun.getState();
}

/** The picture becomes what every view shows. */
function publish(live: RunLive): void {
  const { status, runId, isolation, clockZero, lastT, paused, procs, chans, calls, notices, dropped, arcs, end, seq } = live;
  useRun.setState({ status, runId, isolation, clockZero, lastT, paused, procs, chans, calls, notices, dropped, arcs, end, seq });
  useEditor.getState().setLocked(status === 'running' || status === 'starting' || useTimeline.getState().source === 'file');
}

/** A moment of a recording (the time cursor, a replay): the views show it, the terminals hold its text. */
function showPicture({ live, output }: Picture): void {
  if (!shadow && useTimeline.getState().source === 'run') {
    const { status, runId, isolation, clockZero, lastT, paused, procs, chans, calls, notices, dropped, arcs, end, seq } = useRun.getState();
    shadow = { status, runId, isolation, clockZero, lastT, paused, procs, chans, calls, notices, dropped, arcs, end, seq };
  }
  terminalBus.reset();
  for (const [proc, chunks] of output) for (const c of chunks) terminalBus.write(proc, c.text, c.err, c.note);
  publish(live);
  if (useRun.getState().deadlock) useRun.setState({ deadlock: null });
}

/** Back to live: the picture kept aside, with the terminals' text from the recording. */
function showLive(): void {
  const rec = liveRecording();
  const live = shadow;
  shadow = null;
  if (!rec || !live) return;
  showPicture({ live, output: pictureAt(rec, Infinity).output });
  watchDeadlock();
}
setPictureApplier(showPicture);
setLiveRestorer(showLive);

function applyFrame(live: RunLive, frame: Frame): { live: RunLive } {
  recordEvents(frame.events);
  const { live: next, output } = applyEvents(live, frame.events, performance.now(), sendsSeen);
  for (const [proc, chunks] of output) for (const c of chunks) terminalBus.write(proc, c.text, c.err, c.note);
  return { live: next };
}

function resetLive(): RunLive {
  terminalBus.reset();
  sendsSeen.clear();
  return { ...IDLE };
}

// ---- deadlock: found from the live states, shown once it has held for a moment (a sample
// may lag a state change by up to 100 ms; a false alarm in front of a class is worse than a
// short delay)

const DEADLOCK_HOLD_MS = 350;
let deadlockTimer: ReturnType<typeof setTimeout> | null = null;
let deadlockPending = '';

function watchDeadlock(): void {
  const st = useRun.getState();
  const found = st.status === 'running' ? detectDeadlock(st, useEditor.getState().scenario) : null;
  if (!found) {
    deadlockPending = '';
    if (deadlockTimer) clearTimeout(deadlockTimer);
    deadlockTimer = null;
    if (st.deadlock) useRun.setState({ deadlock: null });
    return;
  }
  const key = deadlockKey(found);
  if (st.deadlock && deadlockKey(st.deadlock) === key) return;
  if (deadlockPending === key) return;
  deadlockPending = key;
  if (deadlockTimer) clearTimeout(deadlockTimer);
  deadlockTimer = setTimeout(() => {
    deadlockTimer = null;
    const now = useRun.getState();
    const again = now.status === 'running' ? detectDeadlock(now, useEditor.getState().scenario) : null;
    deadlockPending = '';
    if (again && deadlockKey(again) === key) useRun.setState({ deadlock: again });
  }, DEADLOCK_HOLD_MS);
}

/** True when only node positions differ: moving things around keeps the last run on show. */
function sameButPositions(a: Scenario, b: Scenario): boolean {
  if (a.channels !== b.channels || a.processes.length !== b.processes.length) return false;
  return a.processes.every((p, i) => p.id === b.processes[i].id && p.name === b.processes[i].name && p.program === b.processes[i].program);
}

/** Connects to the server and restores the run preferences. Call once, on the client. */
export function startRunClient(): void {
  try {
    const prefs = JSON.parse(readStored('local', PREFS_KEY) ?? '{}') as { sps?: unknown; trace?: unknown };
    useRun.setState({ sps: typeof prefs.sps === 'number' && prefs.sps >= 0 ? prefs.sps : 0, trace: prefs.trace === true });
  } catch {
    // defaults
  }
  connect(onBatch);
  // Editing after a run: the nodes go back to showing the programs (the summary and the
  // terminals keep the last run until the next one). A message about Run (why it refused)
  // is about the scenario it was pressed on: an edit or another scenario takes it away.
  useEditor.subscribe((s, prev) => {
    if (s.scenario === prev.scenario || sameButPositions(s.scenario, prev.scenario)) return;
    if (useRun.getState().status === 'ended') useRun.setState({ status: 'idle' });
    if (useRun.getState().message) useRun.setState({ message: null });
  });
}
