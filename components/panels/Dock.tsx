'use client';
// The bottom of the screen: terminals on the left, and tabs for the live objects, the
// syscall trace, the summary of the last run and the problems.
import { useEffect, useRef } from 'react';
import { useProblems } from '../store/problems';
import { useRun } from '../store/run';
import { useTimeline } from '../store/timeline';
import { DOCK_MIN, useLayout } from '../store/layout';
import { useUi, type DockTab } from '../store/ui';
import { ObjectsPane } from './ObjectsPane';
import { ProblemsPane } from './ProblemsPane';
import { Splitter } from './Splitter';
import { SummaryPane } from './SummaryPane';
import { TerminalDock } from './TerminalDock';
import { TracePane } from './TracePane';
import { ComparePane } from '../compare/ComparePane';
import { useCompare } from '../store/compare';
import { TimelinePane } from '../timeline/TimelinePane';
import { showTimelineTab } from '../timeline/showTimeline';

const TABS: { id: DockTab; label: string }[] = [
  { id: 'objects', label: 'Kernel objects' },
  { id: 'trace', label: 'Syscalls' },
  { id: 'timeline', label: 'Timeline' },
  { id: 'compare', label: 'Compare' },
  { id: 'summary', label: 'Summary' },
  { id: 'problems', label: 'Problems' },
];

// badges subscribe on their own, so a busy run does not re-render the whole dock
function ProblemCount() {
  const n = useProblems((s) => s.all.length);
  return n ? <span className="badge bad">{n}</span> : null;
}
/** The series' progress while it goes, then how many runs it compared. */
function SeriesCount() {
  const done = useCompare((s) => s.outcomes.length);
  const planned = useCompare((s) => s.planned);
  const active = useCompare((s) => s.active);
  return planned ? <span className="badge">{active ? `${done}/${planned}` : done}</span> : null;
}
function CallCount() {
  const n = useRun((s) => s.calls.length);
  return n ? <span className="badge">{n > 999 ? `${Math.floor(n / 1000)}k` : n}</span> : null;
}

const dockMax = () => window.innerHeight * 0.7;
const dockAt = (_x: number, y: number) => window.innerHeight - y;
const dockNow = () => document.querySelector<HTMLElement>('.dock')?.offsetHeight ?? 240;
const dockResize = (px: number | null) => useLayout.getState().resize({ dockH: px });

/** Above the dock: its height follows the pointer. */
function DockSplitter() {
  const dockH = useLayout((s) => s.dockH);
  return <Splitter orientation="horizontal" label="Dock height" value={dockH} min={DOCK_MIN} max={dockMax} size={dockAt} current={dockNow} grow="ArrowUp" onResize={dockResize} testId="dock-splitter" />;
}

export function Dock() {
  const tab = useUi((s) => s.dockTab);
  const compact = useLayout((s) => s.compact);
  // compact screens show the terminals or one tab: the terminals are a tab of their own
  const pane = useLayout((s) => (s.compact ? s.dockPane : null));
  const showTab = (t: DockTab) => {
    if (t === 'timeline') showTimelineTab();
    else useUi.getState().set({ dockTab: t });
    useLayout.getState().set({ dockPane: 'tabs' });
  };
  const ended = useRun((s) => s.status === 'ended');

  // the summary comes forward when a run ends (not over the timeline or the comparison someone
  // is looking at, nor in a replay); the problems when Run refused to start
  useEffect(() => {
    if (ended && !['timeline', 'compare'].includes(useUi.getState().dockTab) && useTimeline.getState().source !== 'file') useUi.getState().set({ dockTab: 'summary' });
  }, [ended]);
  useEffect(
    () =>
      useRun.subscribe((s, prev) => {
        if (s.message && s.message !== prev.message && s.message.tone === 'error' && useProblems.getState().all.length) useUi.getState().set({ dockTab: 'problems' });
        const watching = ['trace', 'timeline', 'compare'].includes(useUi.getState().dockTab);
        if (s.status === 'running' && prev.status === 'starting' && !watching) useUi.getState().set({ dockTab: s.trace ? 'trace' : 'objects' });
        if (s.status === 'running' && prev.status === 'starting' && !useCompare.getState().active) useLayout.getState().set({ dockPane: 'terminals' });
      }),
    [],
  );

  // a compact screen's tabs scroll sideways: the one shown is scrolled into sight (Compare
  // comes forward by itself when Run 20× starts)
  const tabs = useRef<HTMLDivElement>(null);
  useEffect(() => {
    tabs.current?.querySelector('.tab.active')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [tab, pane, compact]);

  return (
    <div className="dock" data-pane={pane ?? undefined} data-tab={tab}>
      {compact ? null : <DockSplitter />}
      <TerminalDock />
      <div className="dock-side">
        <div className="tabs" role="tablist" aria-label="Run details" ref={tabs}>
          {compact ? (
            <button role="tab" aria-selected={pane === 'terminals'} className={`tab ${pane === 'terminals' ? 'active' : ''}`} data-testid="tab-terminals" onClick={() => useLayout.getState().set({ dockPane: 'terminals' })}>
              Terminals
            </button>
          ) : null}
          {TABS.map((t) => (
            <button key={t.id} role="tab" aria-selected={pane !== 'terminals' && tab === t.id} className={`tab ${pane !== 'terminals' && tab === t.id ? 'active' : ''}`} data-testid={`tab-${t.id}`} onClick={() => showTab(t.id)}>
              {t.label}
              {t.id === 'problems' ? <ProblemCount /> : t.id === 'trace' ? <CallCount /> : t.id === 'compare' ? <SeriesCount /> : null}
            </button>
          ))}
        </div>
        {/* focusable: its content scrolls, and a keyboard must be able to scroll it */}
        <div className="tab-body" role="tabpanel" tabIndex={0} aria-label={pane === 'terminals' ? 'Terminals' : TABS.find((t) => t.id === tab)?.label}>
          {tab === 'objects' ? <ObjectsPane /> : tab === 'trace' ? <TracePane /> : tab === 'timeline' ? <TimelinePane /> : tab === 'compare' ? <ComparePane /> : tab === 'summary' ? <SummaryPane /> : <ProblemsPane />}
        </div>
      </div>
    </div>
  );
}
