'use client';
// The run's clock: ticks while it runs, shows the final time when it ends, or the moment
// the timeline's cursor shows.
import { useEffect, useState } from 'react';
import { clock } from '../run/describe';
import { useRun } from '../store/run';
import { useTimeline } from '../store/timeline';

export function Elapsed() {
  const status = useRun((s) => s.status);
  const zero = useRun((s) => s.clockZero);
  const endMs = useRun((s) => s.end?.ms);
  const cursor = useTimeline((s) => s.cursor);
  const [now, setNow] = useState(0);
  useEffect(() => {
    if (status !== 'running') return;
    const t = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(t);
  }, [status]);
  // looking back: the moment shown
  const ms = cursor !== null ? cursor : status === 'ended' ? (endMs ?? 0) : status === 'running' && zero !== null ? now - zero : 0;
  return (
    <span className="elapsed" data-testid="elapsed" aria-label="elapsed time">
      {clock(ms)}
    </span>
  );
}
