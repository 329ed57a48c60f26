'use client';
// The selected process: its name, its program, and its own run controls.
import { MECHANISMS } from '@/lib/mechanisms';
import { endOf } from '@/lib/scenario';
import dynamic from 'next/dynamic';
import { LazyProgramEditor } from '../editor/LazyProgramEditor';
import { RenameField } from './RenameField';
import { channelLabel, describeState } from '../run/describe';
import { useEditor } from '../store/editor';
import { useRun } from '../store/run';
import { useUi } from '../store/ui';
import { PauseIcon, PlayIcon, StepIcon } from '../ui/icons';

// the C generator is a large module: loaded when the C tab is first shown
const CView = dynamic(() => import('../cview/CView').then((m) => m.CView), { ssr: false, loading: () => <p className="muted small pad">Loading…</p> });

function NameInput({ id, name }: { id: string; name: string }) {
  const locked = useEditor((s) => s.locked);
  return <RenameField label="name" value={name} locked={locked} testId="process-name" commit={(v) => useEditor.getState().renameProcess(id, v)} />;
}

export function ProcessInspector({ id }: { id: string }) {
  const proc = useEditor((s) => s.scenario.processes.find((p) => p.id === id));
  const channels = useEditor((s) => s.scenario.channels);
  const live = useRun((s) => s.procs[id]);
  const status = useRun((s) => s.status);
  const tab = useUi((s) => s.inspectorTab);
  const readOnly = useEditor((s) => s.readOnly);
  if (!proc) return null;
  const mine = channels.filter((c) => endOf(c, id));
  const running = status === 'running' && live && !live.outcome;
  const chanName = (cid: string) => channelLabel(channels, cid);
  return (
    <div className="inspector-body process-inspector">
      <div className="inspector-row">
        <NameInput id={id} name={proc.name} />
        {status !== 'idle' && live ? (
          <div className="inspector-live" data-testid="inspector-state">
            {live.pid ? <span className="muted">PID {live.pid} · </span> : null}
            {describeState(live, chanName, status)}
          </div>
        ) : null}
      </div>
      {running && !readOnly ? (
        <div className="proc-controls">
          {live.state === 'paused' ? (
            <button className="btn small" data-testid="proc-resume" onClick={() => useRun.getState().resume(id)} title="Let this process run on">
              <PlayIcon /> Resume {proc.name}
            </button>
          ) : (
            <button className="btn small" data-testid="proc-pause" onClick={() => useRun.getState().pause(id)} title="Pause this process at its next statement">
              <PauseIcon /> Pause {proc.name}
            </button>
          )}
          <button className="btn small" data-testid="proc-step" onClick={() => useRun.getState().step(id)} title="Run one statement of this process only">
            <StepIcon /> Step {proc.name}
          </button>
        </div>
      ) : null}
      <div className="program-head">
        <div className="seg" role="tablist" aria-label="Program or C">
          <button role="tab" aria-selected={tab === 'program'} className={tab === 'program' ? 'on' : ''} disabled={readOnly} onClick={() => useUi.getState().set({ inspectorTab: 'program' })} data-testid="tab-program">
            Program
          </button>
          <button role="tab" aria-selected={tab === 'c'} className={tab === 'c' ? 'on' : ''} disabled={readOnly} onClick={() => useUi.getState().set({ inspectorTab: 'c' })} data-testid="tab-c" title="The C behind this process: the same calls, as a C program would make them">
            C
          </button>
        </div>
        <button className="link small" onClick={() => useUi.getState().set({ docs: true })} data-testid="open-reference">
          language reference
        </button>
      </div>
      {tab === 'c' ? <CView procId={id} /> : <LazyProgramEditor key={id} procId={id} />}
      {mine.length ? (
        <div className="channel-hints">
          {mine.map((c) => {
            const end = endOf(c, id)!;
            return (
              <div key={c.id} className="channel-hint">
                <code>{c.label ?? c.id}</code> <span className="muted">{MECHANISMS[c.mechanism].name}:</span> {MECHANISMS[c.mechanism].verbs[end].join(', ')}
              </div>
            );
          })}
        </div>
      ) : (
        <p className="muted small">No channels yet: drag from this process&apos;s right dot to another process.</p>
      )}
    </div>
  );
}
