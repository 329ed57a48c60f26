'use client';
// "Run 20×", beside Run: starts the series (store/compare.ts) and brings the Compare tab forward.
import { useConnection } from '../run/connection';
import { useCompare, SERIES_RUNS } from '../store/compare';
import { useRun } from '../store/run';
import { useUi } from '../store/ui';
import { useLayout } from '../store/layout';
import { giveDockRoom } from '../timeline/showTimeline';

export function startSeries(): void {
  if (useCompare.getState().active) return;
  useUi.getState().set({ dockTab: 'compare' });
  useLayout.getState().set({ dockPane: 'tabs' });
  giveDockRoom();
  void useCompare.getState().start();
}

export function SeriesButton() {
  const status = useRun((s) => s.status);
  const active = useCompare((s) => s.active);
  const connected = useConnection((s) => s.state === 'connected');
  const busy = active || status === 'starting' || status === 'running';
  return (
    <button className="btn series" data-testid="series-button" disabled={busy || !connected} onClick={startSeries} title={`Run ${SERIES_RUNS} times, one after the other at full speed, and compare the outcomes (Ctrl+Shift+Enter)`}>
      <span className="series-word">Run </span>
      {SERIES_RUNS}×
    </button>
  );
}
