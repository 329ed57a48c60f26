'use client';
// Over the graph while the page shows a past moment: which moment, and the way back.
import { formatMs } from '@/lib/timeline/svg';
import { liveRun } from '../store/run';
import { useTimeline } from '../store/timeline';

export function ScrubBanner() {
  const cursor = useTimeline((s) => s.cursor);
  const source = useTimeline((s) => s.source);
  if (cursor === null) return null;
  const live = source === 'run' && liveRun().status === 'running';
  return (
    <div className="banner info scrub-banner" role="status" data-testid="scrub-banner">
      <span>
        Showing the run at <b>{formatMs(cursor)}</b>
        {live ? ' (it goes on meanwhile)' : ''}. <kbd>,</kbd> <kbd>.</kbd> step, <kbd>End</kbd> {live ? 'back to live' : 'the end'}.
      </span>
      <button className="btn small" onClick={() => useTimeline.getState().toLive()} data-testid="scrub-live">
        {live ? 'Back to live' : 'Go to the end'}
      </button>
    </div>
  );
}
