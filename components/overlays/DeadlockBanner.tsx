'use client';
// A deadlock, said in one line over the canvas (the cycle is lit up on the drawing), with
// the way out: Stop kills the processes and removes every kernel object.
import { useFollow } from '../follow/follow';
import { useRun } from '../store/run';

export function DeadlockBanner() {
  const d = useRun((s) => s.deadlock);
  const status = useRun((s) => s.status);
  const follower = useFollow((s) => s.role === 'follower');
  if (!d || status !== 'running') return null;
  return (
    <div className="banner deadlock-banner" role="alert" data-testid="deadlock-banner" data-kind={d.kind}>
      <span className="deadlock-icon" aria-hidden>
        <svg width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M21 12a9 9 0 0 1-15.5 6.2" />
          <path d="M3 12A9 9 0 0 1 18.5 5.8" />
          <path d="M18.5 1.8v4h-4M5.5 22.2v-4h4" />
        </svg>
      </span>
      <div className="deadlock-text">
        <b>{d.kind === 'cycle' ? 'Deadlock' : 'Stuck for good'}</b>
        <span data-testid="deadlock-explanation">
          {d.explanation}.{' '}
          <span className="deadlock-hint">{d.kind === 'cycle' ? 'Each waits for the next: nothing can ever move again.' : 'Nothing can wake them.'}</span>
        </span>
      </div>
      {follower ? null : (
        <button className="btn stop" onClick={() => useRun.getState().stop()} data-testid="deadlock-stop" title="SIGTERM, then SIGKILL, then remove every kernel object">
          Stop the run
        </button>
      )}
    </div>
  );
}
