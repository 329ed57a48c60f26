'use client';
// A process that prints for ever: once its output reaches the server's limit nothing more
// shows, and it would run silently until the time limit. Still running a moment after the
// cut, it is pointed out, with Stop at hand.
import { useEffect, useState } from 'react';
import { useFollow } from '../follow/follow';
import { FINAL_STATES } from '../run/live';
import { useRun } from '../store/run';

/** Long enough for a process that was merely chatty to finish after its cut. */
const GRACE_MS = 1500;

export function RunawayBanner() {
  const runId = useRun((s) => s.runId);
  const names = useRun((s) =>
    s.status !== 'running'
      ? ''
      : Object.values(s.procs)
          .filter((p) => p.capped && !FINAL_STATES.has(p.state))
          .map((p) => p.name)
          .join(', '),
  );
  const follower = useFollow((s) => s.role === 'follower');
  const [due, setDue] = useState('');
  const [dismissed, setDismissed] = useState<string | null>(null);
  useEffect(() => {
    const t = setTimeout(() => setDue(names), names ? GRACE_MS : 0);
    return () => clearTimeout(t);
  }, [names]);
  if (!names || due !== names || dismissed === runId) return null;
  const several = names.includes(', ');
  return (
    <div className="banner warn runaway-banner" role="alert" data-testid="runaway-banner">
      <span>
        <b>{names}</b> {several ? 'are' : 'is'} printing without end: the output shown stopped at the limit, and the run goes on until its time limit. Stop?
      </span>
      {follower ? null : (
        <button className="btn stop" onClick={() => useRun.getState().stop()} data-testid="runaway-stop">
          Stop the run
        </button>
      )}
      <button className="btn ghost icon small" aria-label="Dismiss" onClick={() => setDismissed(runId)}>
        ✕
      </button>
    </div>
  );
}
