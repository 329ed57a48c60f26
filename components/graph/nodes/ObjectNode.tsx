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
import { useUi } from '../../store/ui';
import { liveState } from '../objectState';

export type ObjectNodeType = Node<{ id: string }, 'object'>;

function ObjectNodeView({ id, selected }: NodeProps<ObjectNodeType>) {
  const channel = useEditor((s) => s.scenario.channels.find((c) => c.id === id));
  const processes = useEditor((s) => s.scenario.processes);
  const live = useRun((s) => s.chans[id]);
  const ended = useRun((s) => s.status === 'ended');
  const problems = useProblems((s) => s.byChannel[id]);
  const deadlocked = useRun((s) => !!s.deadlock && s.status === 'running' && s.deadlock.channels.includes(id));
  // every process blocked on it, as ids (a semaphore can have many)
  const waiting = useRun((s) =>
    s.status !== 'running'
      ? ''
      : Object.values(s.procs)
          .filter((p) => p.state === 'blocked' && p.channel === id)
          .map((p) => p.id)
          .join(' '),
  );
  if (!channel) return null;
  const info = MECHANISMS[channel.mechanism];
  const view = MECHANISM_VIEWS[channel.mechanism];
  const name = (pid: string) => processes.find((p) => p.id === pid)?.name ?? pid;
  const stateText = !live ? null : ended ? (view.endState ?? view.edgeState)(live, name) : liveState(view.edgeState(live, name), waiting ? waiting.split(' ').map(name) : []);
  const openMenu = (e: React.MouseEvent) => {
    e.stopPropagation();
    useEditor.getState().select({ nodes: [], edges: [id] });
    if (useEditor.getState().locked) return;
    const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
    useUi.getState().set({ menu: { kind: 'mechanism', channel: id, x: r.left, y: r.bottom + 4 } });
  };
  return (
    <div
      className={`onode ${selected ? 'selected' : ''} ${problems?.length ? 'has-errors' : ''} ${deadlocked ? 'deadlocked' : ''} ${waiting ? 'has-waiters' : ''}`}
      style={{ ['--m' as string]: deadlocked ? 'var(--danger)' : view.color }}
      data-testid={`object-node-${id}`}
      data-mechanism={channel.mechanism}
      title={problems?.length ? problems.map((p) => p.message).join('\n') : `${info.name}: ${info.summary}`}
    >
      <Handle type="target" position={Position.Left} id="in" className="phandle phandle-in" data-testid={`object-in-${id}`} />
      <button className="onode-mech nodrag" onClick={openMenu} title={`${info.name}: change the mechanism`} data-testid={`object-mech-${id}`}>
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
