'use client';
// /replay before a recording is open: where recordings come from, and how to open one.
import { useTimeline } from '../store/timeline';
import { OpenRecordingButton } from './OpenRecordingButton';

export function ReplayWelcome() {
  const open = useTimeline((s) => s.recording !== null);
  if (open) return null;
  return (
    <div className="replay-welcome" data-testid="replay-welcome">
      <h2>Replay a recorded run</h2>
      <p>
        Every run is recorded. Download one from the <b>Timeline</b> tab (<b>Download recording</b>), or record from the command line with{' '}
        <code>npm run scenario -- FILE.json --record run.json</code>, then open it here: the graph, the terminals, the kernel objects and the trace
        move through it, and nothing runs.
      </p>
      <OpenRecordingButton primary />
      <p className="muted">or drop the file anywhere on this page.</p>
    </div>
  );
}
