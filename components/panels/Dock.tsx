'use client';
// The bottom of the screen: terminals on the left, and tabs for the live objects, the
// syscall trace, the summary of the last run and the problems.
import { useEffect } from 'react';
import { useProblems } from '../store/problems';
import { useRun } from '../store/run';
import { useUi, type DockTab } from '../store/ui';
import { ObjectsPane } from './ObjectsPane';
import { ProblemsPane } from './ProblemsPane';
import { SummaryPane } from './SummaryPane';
import { TerminalDock } from './TerminalDock';
import { TracePane } from './TracePane';

const TABS: { id: DockTab; label: string }[] = [
  { id: 'objects', label: 'Kernel objects' },
  { id: 'trace', label: 'Syscalls' },
  { id: 'summary', label: 'Summary' },
  { id: 'problems', label: 'Problems' },
];

// badges subscribe on their own, so a busy run does not re-render the whole dock
function ProblemCount() {
  const n = useProblems((s) => s.all.length);
  return n ? <span className="badge bad">{n}</span> : null;
}
function CallCount() {
  const n = useRun((s) => s.calls.length);
  return n ? <span className="badge">{n > 999 ? `${Math.floor(n / 1000)}k` : n}</span> : null;
}

export function Dock() {
  const tab = useUi((s) => s.dockTab);
  const ended = useRun((s) => s.status === 'ended');

  // the summary comes forward when a run ends; the problems when Run refused to start
  useEffect(() => {
    if (ended) useUi.getState().set({ dockTab: 'summary' });
  }, [ended]);
  useEffect(
    () =>
      useRun.subscribe((s, prev) => {
        if (s.message && s.message !== prev.message && s.message.tone === 'error' && useProblems.getState().all.length) useUi.getState().set({ dockTab: 'problems' });
        if (s.status === 'running' && prev.status === 'starting' && useUi.getState().dockTab !== 'trace') useUi.getState().set({ dockTab: s.trace ? 'trace' : 'objects' });
      }),
    [],
  );

  return (
    <div className="dock">
      <TerminalDock />
      <div className="dock-side">
        <div className="tabs" role="tablist">
          {TABS.map((t) => (
            <button key={t.id} role="tab" aria-selected={tab === t.id} className={`tab ${tab === t.id ? 'active' : ''}`} data-testid={`tab-${t.id}`} onClick={() => useUi.getState().set({ dockTab: t.id })}>
              {t.label}
              {t.id === 'problems' ? <ProblemCount /> : t.id === 'trace' ? <CallCount /> : null}
            </button>
          ))}
        </div>
        <div className="tab-body" role="tabpanel">
          {tab === 'objects' ? <ObjectsPane /> : tab === 'trace' ? <TracePane /> : tab === 'summary' ? <SummaryPane /> : <ProblemsPane />}
        </div>
      </div>
    </div>
  );
}
