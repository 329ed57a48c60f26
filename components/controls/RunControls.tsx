'use client';
// Run, Stop, Pause/Resume, Step, speed and trace: always in view, in the header.
import { useFollow } from '../follow/follow';
import { useConnection } from '../run/connection';
import { useEditor } from '../store/editor';
import { useRun } from '../store/run';
import { PauseIcon, PlayIcon, StepIcon, StopIcon } from '../ui/icons';
import { SeriesButton } from '../compare/SeriesButton';
import { useCompare } from '../store/compare';
import { OpenRecordingButton } from '../timeline/OpenRecordingButton';
import { Elapsed } from './Elapsed';
import { PaneToggles } from './PaneToggles';
import { SPEEDS, speedIndex, speedLabel } from './speed';

const STATUS_TEXT = { idle: 'ready', starting: 'starting…', running: 'running', ended: 'ended' } as const;
const ANNOUNCE = { starting: 'Starting the run', running: 'The run is going', paused: 'The run is paused', ended: 'The run ended' } as const;
const END_TEXT: Record<string, string> = { finished: 'finished', stopped: 'stopped', timeout: 'time limit', disconnected: 'disconnected', error: 'failed' };

/** 1st, 2nd, 3rd, 4th… 11th, 12th, 13th… 21st. */
function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  return `${n}${teen ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th'}`;
}

/** A wait as people say it: "about 4 s", "about 2 min". */
function aboutWait(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return s < 90 ? `about ${s} s` : `about ${Math.round(s / 60)} min`;
}

/** The run's state in a word, and its elapsed time; `idle` is the word before any run. */
function RunStatus({ idle }: { idle: string }) {
  const status = useRun((s) => s.status);
  const paused = useRun((s) => s.paused);
  const reason = useRun((s) => s.end?.reason);
  const runId = useRun((s) => s.runId);
  const queued = useRun((s) => s.queued);
  const eta = useRun((s) => s.queueEtaMs);
  const shown = status === 'running' && paused ? 'paused' : status;
  const word =
    queued !== null ? `${ordinal(queued)} in line${eta !== null ? `, ${aboutWait(eta)}` : ''}` : shown === 'ended' ? (END_TEXT[reason ?? ''] ?? 'ended') : shown === 'idle' ? idle : shown === 'paused' ? 'paused' : STATUS_TEXT[shown];
  return (
    <span className={`run-status status-${shown} reason-${reason ?? ''}`} data-testid="run-status" data-status={status} data-run-id={runId ?? ''} data-queued={queued ?? ''}>
      <span className="status-dot" aria-hidden />
      {word}
      <Elapsed />
      {/* said by screen readers when it changes; the ticking clock beside it is not */}
      <span className="sr-only" role="status" aria-live="polite" data-testid="run-announce">
        {shown === 'idle' ? '' : `${ANNOUNCE[shown]}${shown === 'ended' ? `: ${word}` : ''}`}
      </span>
    </span>
  );
}

/** A follower's bar: the presenter's run as it goes, and no control over it. */
function FollowerRunBar() {
  const sps = useFollow((s) => s.view?.sps ?? 0);
  return (
    <div className="run-controls follower-bar" role="group" aria-label="The presenter's run" data-testid="follower-bar">
      <span className="readonly-note">
        <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" aria-hidden>
          <path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z" />
          <circle cx="12" cy="12" r="3" />
        </svg>
        Watching, read-only: the presenter runs, edits and selects; you see it as it happens.
      </span>
      <span className="speed-value" title="The presenter's speed">
        speed {speedLabel(sps)}
      </span>
      <RunStatus idle="waiting for a run" />
      <PaneToggles />
    </div>
  );
}

/** Replaying a recording: nothing runs; another recording can be opened. */
function ReplayBar() {
  return (
    <div className="run-controls follower-bar" role="group" aria-label="Replay" data-testid="replay-bar">
      <span className="readonly-note" title="A recorded run: nothing runs here; the Timeline tab moves through it">Replay: nothing runs</span>
      <OpenRecordingButton />
      <RunStatus idle="no recording open" />
      <PaneToggles />
    </div>
  );
}

export function RunControls({ replay }: { replay?: boolean }) {
  const follower = useFollow((s) => s.role === 'follower');
  return replay ? <ReplayBar /> : follower ? <FollowerRunBar /> : <EditorRunControls />;
}

function EditorRunControls() {
  const status = useRun((s) => s.status);
  const paused = useRun((s) => s.paused);
  const sps = useRun((s) => s.sps);
  const trace = useRun((s) => s.trace);
  const connected = useConnection((s) => s.state === 'connected');
  const target = useEditor((s) => (s.selection.nodes.length === 1 ? s.scenario.processes.find((p) => p.id === s.selection.nodes[0]) : undefined));
  const run = useRun.getState();
  const live = status === 'running';
  const queued = useRun((s) => s.queued !== null);
  const series = useCompare((s) => s.active);
  const busy = status === 'starting' || live || series;

  return (
    <div className="run-controls" role="toolbar" aria-label="Run controls">
      <button className="btn primary run" data-testid="run-button" disabled={busy || !connected} onClick={() => void run.start()} title="Run (Ctrl+Enter)">
        <PlayIcon /> Run
      </button>
      <SeriesButton />
      <button className="btn stop" data-testid="stop-button" disabled={!live && !queued && !series}
        onClick={() => useCompare.getState().stop()}
        title={queued ? 'Leave the line: nothing is started' : `Stop: SIGTERM, then SIGKILL, then clean up${series ? '; and no more runs of the series' : ''} (Ctrl+.)`}>
        <StopIcon /> Stop
      </button>
      <button className="btn" data-testid="pause-button" disabled={!live} aria-pressed={paused} onClick={() => (paused ? run.resume() : run.pause())} title="Pause / resume every process at a statement boundary (Space)">
        {paused ? (
          <>
            <PlayIcon /> Resume
          </>
        ) : (
          <>
            <PauseIcon /> Pause
          </>
        )}
      </button>
      <button
        className="btn"
        data-testid="step-button"
        disabled={status === 'starting' || (!live && !connected)}
        onClick={() => run.step(target?.id)}
        title={live ? `Run one statement of ${target ? target.name : 'every process'} (S)` : 'Start paused, then step statement by statement (S)'}
      >
        <StepIcon /> Step {target ? <span className="step-target">{target.name}</span> : 'all'}
      </button>
      <label className="speed" title="Statements per second, per process">
        <span className="speed-label">speed</span>
        <input
          type="range"
          min={0}
          max={SPEEDS.length - 1}
          step={1}
          value={speedIndex(sps)}
          data-testid="speed-slider"
          aria-label="Speed"
          aria-valuetext={speedLabel(sps)}
          onChange={(e) => run.setSpeed(SPEEDS[Number(e.target.value)])}
        />
        <span className="speed-value" data-testid="speed-value">
          {speedLabel(sps)}
        </span>
      </label>
      <label className="toggle" title="Report every system call in the Syscalls tab">
        <input type="checkbox" checked={trace} data-testid="trace-toggle" onChange={(e) => run.setTrace(e.target.checked)} />
        trace
      </label>
      <RunStatus idle={STATUS_TEXT.idle} />
      <PaneToggles />
    </div>
  );
}
