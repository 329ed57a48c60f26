'use client';
// A child that a process forked while the run goes: drawn under its parent while it lives,
// with its PID, state and line (its program is its parent's); once it ends it is a zombie
// until a waitpid takes it, then it fades away, as it leaves the kernel's process table.

import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { channelLabel, describeForked, lineText, stateClass } from '../../run/describe';
import { terminalOf } from '../../run/live';
import { useEditor } from '../../store/editor';
import { useRun } from '../../store/run';

export type ForkedNodeType = Node<{ id: string }, 'forked'>;

function ForkedNodeView({ id }: NodeProps<ForkedNodeType>) {
  const live = useRun((s) => s.procs[id]);
  const status = useRun((s) => s.status);
  const parentName = useRun((s) => (live?.parent ? s.procs[live.parent]?.name : undefined));
  const rootId = useRun((s) => terminalOf(s.procs, id));
  const program = useEditor((s) => s.scenario.processes.find((p) => p.id === rootId)?.program ?? '');
  const channels = useEditor((s) => s.scenario.channels);
  if (!live) return null;
  const state = describeForked(live, parentName ?? 'its parent', (c) => channelLabel(channels, c), status);
  const gone = !!live.reapedBy;
  return (
    <div
      className={`pnode pnode-forked state-${stateClass(live, status)} ${gone ? 'reaped' : ''}`}
      data-testid={`node-${id}`}
      data-state={gone ? 'reaped' : live.outcome ? 'zombie' : live.state}
      aria-label={`forked child ${live.name} of ${parentName ?? 'a process'}: ${state}`}
      aria-hidden={gone}
    >
      <Handle type="target" position={Position.Top} id="in" className="phandle phandle-fork" isConnectable={false} />
      <header className="pnode-head">
        <span className="pnode-dot" aria-hidden />
        <span className="pnode-name" data-testid={`node-name-${id}`}>
          {live.name}
        </span>
        {live.pid ? (
          <span className="pnode-pid" data-testid={`node-pid-${id}`}>
            PID {live.pid}
          </span>
        ) : null}
      </header>
      <div className="pnode-state" data-testid={`node-state-${id}`} title={live.outcome && !gone ? `ended, and a zombie until ${parentName ?? 'its parent'} waits for it (waitpid)` : undefined}>
        {state}
      </div>
      {live.line > 0 && !live.outcome ? (
        <div className="pnode-line" data-testid={`node-line-${id}`} data-line={live.line}>
          <span className="pnode-lineno">{live.line}</span>
          <code>{lineText(program, live.line)}</code>
        </div>
      ) : null}
    </div>
  );
}

export const ForkedNode = memo(ForkedNodeView);
