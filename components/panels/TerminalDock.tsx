'use client';
// One terminal per process, side by side: what each one printed (stderr in red).
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { channelLabel, describeState, stateClass } from '../run/describe';
import { useEditor } from '../store/editor';
import { useRun } from '../store/run';
import { useUi } from '../store/ui';
import { LazyTerminal } from './TerminalLazy';

/** `recv stdin` (and `while recv stdin`) outside a comment: a rough test, enough to show the input line. */
const STDIN_READ = /^[^#]*\brecv\s+stdin\b/m;

function TerminalCard({ id }: { id: string }) {
  const name = useEditor((s) => s.scenario.processes.find((p) => p.id === id)?.name ?? id);
  const channels = useEditor((s) => s.scenario.channels);
  const selected = useEditor((s) => s.selection.nodes.includes(id));
  const live = useRun((s) => s.procs[id]);
  const status = useRun((s) => s.status);
  const theme = useUi((s) => s.theme);
  const chanName = (cid: string) => channelLabel(channels, cid);
  // only a process whose program reads its fd 0 gets a line to type into
  // a process whose stdin is a pipe from another (a shell's |) takes no typing
  const readsStdin = useEditor(
    (s) => STDIN_READ.test(s.scenario.processes.find((p) => p.id === id)?.program ?? '') && !s.scenario.channels.some((c) => c.options?.stdio === 1 && c.links.some((l) => l.process === id && l.end === 'to')),
  );
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
      {status === 'running' && live && !live.outcome && readsStdin ? <StdinLine id={id} name={name} /> : null}
    </section>
  );
}

/** The process's fd 0: a line typed here goes to it on Enter; Ctrl-D (or the button) ends it. */
function StdinLine({ id, name }: { id: string; name: string }) {
  const readOnly = useEditor((s) => s.readOnly);
  const runId = useRun((s) => s.runId);
  const [text, setText] = useState('');
  // which run's input was ended: a new run opens it again
  const [endedIn, setEndedIn] = useState<string | null>(null);
  if (readOnly || !runId) return null;
  const ended = endedIn === runId;
  const send = (e: FormEvent) => {
    e.preventDefault();
    if (ended) return;
    useRun.getState().input(id, text + '\n');
    setText('');
  };
  const eof = () => {
    if (ended) return;
    if (text) useRun.getState().input(id, text);
    setText('');
    useRun.getState().endInput(id);
    setEndedIn(runId);
  };
  const keys = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'd' && e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      eof();
    }
  };
  return (
    <form className="term-input" onSubmit={send}>
      <label className="sr-only" htmlFor={`stdin-${id}`}>
        standard input of {name}
      </label>
      <input
        id={`stdin-${id}`}
        data-testid={`stdin-${id}`}
        value={text}
        disabled={ended}
        autoComplete="off"
        spellCheck={false}
        placeholder={ended ? 'stdin closed (end of file)' : 'stdin: type, Enter sends the line, Ctrl-D ends'}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={keys}
      />
      <button type="button" className="btn small" disabled={ended} onClick={eof} data-testid={`stdin-eof-${id}`} title="Ctrl-D: end of file on stdin">
        EOF
      </button>
    </form>
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
