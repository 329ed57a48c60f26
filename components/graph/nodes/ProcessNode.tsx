'use client';
// A process on the canvas: its name, PID and state, the line it is running, its signals.
// It reads its own slices of the stores, so a run repaints only the nodes that changed.

import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo, useEffect, useRef, useState } from 'react';
import { channelLabel, describeState, lineText, stateClass } from '../../run/describe';
import { useEditor } from '../../store/editor';
import { useProblems } from '../../store/problems';
import { useRun } from '../../store/run';
import { useUi } from '../../store/ui';

export type ProcessNodeType = Node<{ id: string }, 'process'>;

function NameField({ id, name }: { id: string; name: string }) {
  const renaming = useUi((s) => s.renaming === id);
  const [draft, setDraft] = useState(name);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (renaming) {
      setDraft(name);
      setError(null);
      requestAnimationFrame(() => input.current?.select());
    }
  }, [renaming, name]);
  if (!renaming) {
    return (
      <span className="pnode-name" data-testid={`node-name-${id}`} title="Double-click to rename" onDoubleClick={(e) => {
        e.stopPropagation();
        if (!useEditor.getState().locked) useUi.getState().set({ renaming: id });
      }}>
        {name}
      </span>
    );
  }
  const done = (commit: boolean) => {
    if (commit && draft !== name) {
      const problem = useEditor.getState().renameProcess(id, draft.trim());
      if (problem) {
        setError(problem);
        return;
      }
    }
    useUi.getState().set({ renaming: null });
  };
  return (
    <input
      ref={input}
      className={`pnode-rename nodrag ${error ? 'invalid' : ''}`}
      data-testid={`node-rename-${id}`}
      value={draft}
      title={error ?? 'Enter to rename, Escape to cancel'}
      aria-invalid={!!error}
      maxLength={32}
      onChange={(e) => {
        setDraft(e.target.value);
        setError(null);
      }}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Enter') done(true);
        else if (e.key === 'Escape') done(false);
      }}
      onBlur={() => done(true)}
    />
  );
}

function SignalFlash({ id }: { id: string }) {
  const mark = useRun((s) => s.procs[id]?.lastSignal);
  if (!mark) return null;
  const who = mark.phase === 'sent' ? (mark.from ? `from ${useEditor.getState().scenario.processes.find((p) => p.id === mark.from)?.name ?? mark.from}` : 'from you') : mark.phase;
  return (
    <div key={mark.seq} className={`pnode-signal phase-${mark.phase}`} data-testid={`node-signal-${id}`}>
      ⚡ {mark.signal} <span>{who}</span>
    </div>
  );
}

/** A line of program: the code, then its comment (if any) dimmed. */
function SourceLine({ text }: { text: string }) {
  const at = commentStart(text);
  return (
    <code>
      {at < 0 ? text || ' ' : text.slice(0, at).trimEnd()}
      {at < 0 ? null : <span className="cmt"> {text.slice(at)}</span>}
    </code>
  );
}

/** Where a `#` comment starts, outside strings; -1 if none. */
function commentStart(line: string): number {
  let inStr = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inStr && c === '\\') i++;
    else if (c === '"') inStr = !inStr;
    else if (c === '#' && !inStr) return i;
  }
  return -1;
}

function ProcessNodeView({ id, selected }: NodeProps<ProcessNodeType>) {
  const proc = useEditor((s) => s.scenario.processes.find((p) => p.id === id));
  const channels = useEditor((s) => s.scenario.channels);
  const live = useRun((s) => s.procs[id]);
  const status = useRun((s) => s.status);
  const problems = useProblems((s) => s.byProcess[id]);
  const deadlocked = useRun((s) => (s.deadlock && s.status === 'running' ? s.deadlock.procs.includes(id) : false));
  const readOnly = useEditor((s) => s.readOnly);
  if (!proc) return null;

  const chanName = (cid: string) => channelLabel(channels, cid);
  const active = status !== 'idle' && !!live;
  const state = describeState(live, chanName, status);
  const cls = stateClass(live, status);
  const line = active ? live.line : 0;
  const alive = status === 'running' && live && !live.outcome;
  const preview = proc.program
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trimEnd())
    .filter((l) => l.trim())
    .slice(0, 3);

  const showC = (e: React.MouseEvent) => {
    e.stopPropagation();
    useEditor.getState().select({ nodes: [id], edges: [] });
    useUi.getState().set({ inspectorTab: 'c', menu: null });
  };

  const openMenu = (e: React.MouseEvent) => {
    e.stopPropagation();
    const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
    useUi.getState().set({ menu: { kind: 'node', id, x: r.right, y: r.bottom + 4 } });
  };

  return (
    <div
      className={`pnode state-${cls} ${selected ? 'selected' : ''} ${problems?.length ? 'has-errors' : ''} ${deadlocked ? 'deadlocked' : ''}`}
      data-testid={`node-${id}`}
      data-state={live?.state ?? 'idle'}
      aria-label={`process ${proc.name}: ${state}`}
    >
      <Handle type="target" position={Position.Left} id="in" className="phandle phandle-in" data-testid={`handle-in-${id}`} />
      <header className="pnode-head">
        <span className="pnode-dot" aria-hidden />
        <NameField id={id} name={proc.name} />
        {active && live.pid ? (
          <span className="pnode-pid" data-testid={`node-pid-${id}`}>
            PID {live.pid}
          </span>
        ) : null}
        {readOnly ? null : (
          <>
            {alive ? null : (
              // while it runs, the ⚡ menu has it (the name keeps its room)
              <button className="pnode-c nodrag" data-testid={`node-c-${id}`} title="The C behind this process" aria-label={`The C of ${proc.name}`} onClick={showC}>
                C
              </button>
            )}
            <button className={`pnode-menu nodrag ${alive ? 'live' : ''}`} data-testid={`node-menu-${id}`} title={alive ? 'Send a signal' : 'Process menu'} aria-label={alive ? `Send a signal to ${proc.name}` : `Menu of ${proc.name}`} onClick={openMenu}>
              {alive ? '⚡' : '⋯'}
            </button>
          </>
        )}
      </header>
      <div className="pnode-state" data-testid={`node-state-${id}`}>
        {state}
      </div>
      {active && line > 0 && !live.outcome ? (
        <div className="pnode-line" data-testid={`node-line-${id}`} data-line={line}>
          <span className="pnode-lineno">{line}</span>
          <SourceLine text={lineText(proc.program, line)} />
        </div>
      ) : !active ? (
        <pre className="pnode-preview">{preview.length ? preview.join('\n') : '(empty program)'}</pre>
      ) : (
        <div className="pnode-line" data-testid={`node-line-${id}`} data-line={line}>
          <span className="pnode-lineno">·</span>
          <code>{live.outcome ? `${live.statements.toLocaleString('en')} statement${live.statements === 1 ? '' : 's'}` : 'waiting to start'}</code>
        </div>
      )}
      {active && live.failed ? (
        <div className="pnode-failed" data-testid={`node-failed-${id}`} title={`${live.failed.count} call${live.failed.count === 1 ? '' : 's'} of ${proc.name} failed so far; the latest:`}>
          {live.failed.call}() = -1 {live.failed.errno} · line {live.failed.line}
          {live.failed.count > 1 ? <span className="muted"> ({live.failed.count}×)</span> : null}
        </div>
      ) : null}
      {problems?.length ? (
        <div className="pnode-errors" data-testid={`node-errors-${id}`} title={problems.map((p) => p.message).join('\n')}>
          {problems.length} problem{problems.length === 1 ? '' : 's'}
        </div>
      ) : null}
      {deadlocked ? (
        <div className="pnode-deadlock" data-testid={`node-deadlock-${id}`} aria-hidden>
          deadlocked
        </div>
      ) : null}
      <SignalFlash id={id} />
      <Handle type="source" position={Position.Right} id="out" className="phandle phandle-out" data-testid={`handle-out-${id}`} />
    </div>
  );
}

export const ProcessNode = memo(ProcessNodeView);
