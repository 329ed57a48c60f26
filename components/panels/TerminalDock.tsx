'use client';
// One terminal per process, side by side: what each one printed (stderr in red).
import { describeState, stateClass } from '../run/describe';
import { useEditor } from '../store/editor';
import { useRun } from '../store/run';
import { useUi } from '../store/ui';
import { LazyTerminal } from './TerminalLazy';

function TerminalCard({ id }: { id: string }) {
  const name = useEditor((s) => s.scenario.processes.find((p) => p.id === id)?.name ?? id);
  const channels = useEditor((s) => s.scenario.channels);
  const selected = useEditor((s) => s.selection.nodes.includes(id));
  const live = useRun((s) => s.procs[id]);
  const status = useRun((s) => s.status);
  const theme = useUi((s) => s.theme);
  const chanName = (cid: string) => channels.find((c) => c.id === cid)?.label ?? cid;
  return (
    <section className={`term-card state-${stateClass(live, status)} ${selected ? 'selected' : ''}`} aria-label={`output of ${name}`}>
      <header className="term-head" onClick={() => useEditor.getState().select({ nodes: [id], edges: [] })}>
        <span className="pnode-dot" aria-hidden />
        <b>{name}</b>
        {live?.pid && status !== 'idle' ? <span className="muted">PID {live.pid}</span> : null}
        <span className="term-state" data-testid={`term-state-${id}`}>
          {describeState(live, chanName, status)}
        </span>
      </header>
      <LazyTerminal procId={id} theme={theme} />
    </section>
  );
}

export function TerminalDock() {
  // left to right as on the canvas, so each terminal sits under its process
  const ids = useEditor((s) =>
    [...s.scenario.processes]
      .sort((a, b) => (a.position?.x ?? 0) - (b.position?.x ?? 0) || (a.position?.y ?? 0) - (b.position?.y ?? 0))
      .map((p) => p.id)
      .join('\u0000'),
  );
  const list = ids ? ids.split('\u0000') : [];
  return (
    <div className="terminals" data-testid="terminals">
      {list.length === 0 ? <p className="muted pad">Each process gets a terminal here.</p> : list.map((id) => <TerminalCard key={id} id={id} />)}
    </div>
  );
}
