'use client';
// A kernel object drawn on its own (a semaphore, a segment, a queue, a FIFO, a file...), linked
// to any number of processes: its mechanism, its name, its live state and who waits on it.

import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { MECHANISMS } from '@/lib/mechanisms';
import { MECHANISM_VIEWS } from '../../mechanisms/registry';
import { linkSummary } from '../../run/describe';
import { useEditor } from '../../store/editor';
import { useProblems } from '../../store/problems';
import { useRun } from '../../store/run';
import { openMechanismMenu, useObjectState } from '../objectState';

export type ObjectNodeType = Node<{ id: string }, 'object'>;

function ObjectNodeView({ id, selected }: NodeProps<ObjectNodeType>) {
  const channel = useEditor((s) => s.scenario.channels.find((c) => c.id === id));
  const processes = useEditor((s) => s.scenario.processes);
  const problems = useProblems((s) => s.byChannel[id]);
  const deadlocked = useRun((s) => !!s.deadlock && s.status === 'running' && s.deadlock.channels.includes(id));
  const { text: stateText, waiting } = useObjectState(id);
  if (!channel) return null;
  const info = MECHANISMS[channel.mechanism];
  const view = MECHANISM_VIEWS[channel.mechanism];
  const name = (pid: string) => processes.find((p) => p.id === pid)?.name ?? pid;
  return (
    <div
      className={`onode ${selected ? 'selected' : ''} ${problems?.length ? 'has-errors' : ''} ${deadlocked ? 'deadlocked' : ''} ${waiting ? 'has-waiters' : ''}`}
      style={{ ['--m' as string]: deadlocked ? 'var(--danger)' : view.color }}
      data-testid={`object-node-${id}`}
      data-mechanism={channel.mechanism}
      title={problems?.length ? problems.map((p) => p.message).join('\n') : `${info.name}: ${info.summary}`}
    >
      <Handle type="target" position={Position.Left} id="in" className="phandle phandle-in" data-testid={`object-in-${id}`} />
      <button className="onode-mech nodrag" onClick={(e) => openMechanismMenu(id, e)} title={`${info.name}: change the mechanism`} data-testid={`object-mech-${id}`}>
        <view.Icon size={16} />
        {view.short}
      </button>
      <div className="onode-name">{channel.label ?? channel.id}</div>
      <div className="onode-links">{linkSummary(channel, name)}</div>
      {stateText ? (
        <div className="onode-state" data-testid={`object-state-${id}`}>
          {stateText}
        </div>
      ) : null}
      <Handle type="source" position={Position.Right} id="out" className="phandle phandle-out" data-testid={`object-out-${id}`} />
    </div>
  );
}

export const ObjectNode = memo(ObjectNodeView);
