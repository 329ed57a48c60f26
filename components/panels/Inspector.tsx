'use client';
// The side panel: what is selected (a process's program, a channel's settings), or the
// scenario itself when nothing is.
import { parseLinkId } from '../graph/links';
import { useEffect } from 'react';
import { useEditor } from '../store/editor';
import { useLayout } from '../store/layout';
import { useUi } from '../store/ui';
import { ChannelInspector } from './ChannelInspector';
import { ExampleList } from './ExampleList';
import { ProcessInspector } from './ProcessInspector';

function ScenarioInspector() {
  const title = useEditor((s) => s.scenario.title);
  const description = useEditor((s) => s.scenario.description);
  const processes = useEditor((s) => s.scenario.processes);
  const readOnly = useEditor((s) => s.readOnly);
  if (readOnly) {
    return (
      <div className="inspector-body">
        <h2 className="inspector-title">{title || 'Untitled'}</h2>
        {description ? <p className="muted">{description}</p> : null}
        <p className="follow-hint">You are watching a live session. When the presenter selects a process or a channel, it shows here.</p>
      </div>
    );
  }
  return (
    <div className="inspector-body">
      <h2 className="inspector-title">{title || 'Untitled'}</h2>
      {description ? <p className="muted">{description}</p> : null}
      <ol className="howto">
        <li>
          <b>Add processes</b>: double-click the canvas, or <kbd>N</kbd>.
        </li>
        <li>
          <b>Connect</b>: drag from a process&apos;s right dot to another&apos;s left dot, then pick the mechanism.
        </li>
        <li>
          <b>Program</b>: click a process and write what it does.
        </li>
        <li>
          <b>Run</b> (<kbd>Ctrl</kbd>+<kbd>Enter</kbd>) and watch real processes talk.
        </li>
      </ol>
      {processes.length ? (
        <div className="proc-list">
          {processes.map((p) => (
            <button key={p.id} className="proc-chip" onClick={() => useEditor.getState().select({ nodes: [p.id], edges: [] })}>
              {p.name}
            </button>
          ))}
        </div>
      ) : null}
      <ExampleList />
    </div>
  );
}

export function Inspector() {
  const sel = useEditor((s) => s.selection);
  const heading = sel.nodes.length === 1 ? 'Process' : sel.edges.length === 1 && sel.nodes.length === 0 ? 'Channel' : 'Scenario';
  const wide = useUi((s) => s.inspectorTab === 'c') && heading === 'Process';
  // the canvas changes width with the panel: keep the drawing in view
  useEffect(() => {
    if (wide) useUi.getState().fit();
  }, [wide]);
  return (
    <aside className={`inspector ${wide ? 'wide' : ''}`} data-testid="inspector" aria-label={heading}>
      <div className="inspector-kind">
        {heading}
        <button className="btn ghost icon small inspector-close" aria-label="Close the side panel" title="Close (P)" onClick={() => useLayout.getState().set({ drawer: false })}>
          ✕
        </button>
      </div>
      {heading === 'Process' ? <ProcessInspector id={sel.nodes[0]} /> : heading === 'Channel' ? <ChannelInspector id={parseLinkId(sel.edges[0])?.channel ?? sel.edges[0]} /> : <ScenarioInspector />}
    </aside>
  );
}
