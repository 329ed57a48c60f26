'use client';
// A channel on the canvas: a floating edge in its mechanism's colour, a label with the
// mechanism's icon, name and live state, and packets that fly along it on every send.

import { BaseEdge, EdgeLabelRenderer, useInternalNode, type Edge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { MECHANISMS } from '@/lib/mechanisms';
import { endOf } from '@/lib/scenario';
import { MECHANISM_VIEWS } from '../../mechanisms/registry';
import { useEditor } from '../../store/editor';
import { useProblems } from '../../store/problems';
import { useRun } from '../../store/run';
import { edgeGeometry } from '../geometry';
import { Packets, usePackets } from './packets';
import { openMechanismMenu, useObjectState } from '../objectState';

export type ChannelEdgeType = Edge<{ bend: number }, 'channel'>;

function ChannelEdgeView({ id, source, target, selected, data }: EdgeProps<ChannelEdgeType>) {
  const s = useInternalNode(source);
  const t = useInternalNode(target);
  const channel = useEditor((st) => st.scenario.channels.find((c) => c.id === id));
  const problems = useProblems((st) => st.byChannel[id]);
  // in a deadlock: who waits on this channel (the cycle is drawn in the direction of the waits)
  const waiter = useRun((st) => {
    if (!st.deadlock || st.status !== 'running' || !st.deadlock.channels.includes(id)) return null;
    return st.deadlock.procs.find((p) => st.procs[p]?.channel === id) ?? '';
  });
  const deadlocked = waiter !== null;
  const { text: stateText } = useObjectState(id);
  // the latest poll() that found this channel ready: a flash on its label
  const ready = useRun((st) => {
    if (st.status !== 'running') return null;
    let best: { seq: number; name: string } | null = null;
    for (const p of Object.values(st.procs)) if (p.ready?.channels.includes(id) && (!best || p.ready.seq > best.seq)) best = { seq: p.ready.seq, name: p.name };
    return best ? `${best.seq} ${best.name}` : null;
  });
  const fwd = useRun((st) => st.chans[id]?.fwd ?? 0);
  const back = useRun((st) => st.chans[id]?.back ?? 0);
  const [packets, packetDone] = usePackets(fwd, back);
  if (!s || !t || !channel) return null;

  const info = MECHANISMS[channel.mechanism];
  const view = MECHANISM_VIEWS[channel.mechanism];
  const g = edgeGeometry(s, t, data?.bend ?? 0);
  const backward = !!waiter && endOf(channel, waiter) === 'to';
  const label = channel.label ?? channel.id;
  const signalName = channel.mechanism === 'signal' ? String(channel.options?.signal ?? 'SIGUSR1') : null;

  return (
    <>
      <BaseEdge
        id={id}
        path={g.path}
        className={`cedge ${selected ? 'selected' : ''} ${problems?.length ? 'has-errors' : ''} ${deadlocked ? `deadlocked ${backward ? 'backward' : ''}` : ''}`}
        style={deadlocked ? undefined : { stroke: view.color, strokeDasharray: view.dashed ? '7 6' : undefined }}
        markerEnd={deadlocked ? (backward ? undefined : 'url(#ipcpg-arrow-deadlock)') : `url(#ipcpg-arrow-${channel.mechanism})`}
        markerStart={backward ? 'url(#ipcpg-arrow-deadlock)' : undefined}
        interactionWidth={24}
      />
      <EdgeLabelRenderer>
        <div
          className={`clabel nodrag nopan ${selected ? 'selected' : ''} ${problems?.length ? 'has-errors' : ''} ${deadlocked ? 'deadlocked' : ''}`}
          style={{ transform: `translate(-50%, -50%) translate(${g.labelX}px, ${g.labelY}px) translateY(var(--nudge, 0px))`, ['--m' as string]: deadlocked ? 'var(--danger)' : view.color }}
          data-testid={`edge-label-${id}`}
          data-mechanism={channel.mechanism}
          data-deadlocked={deadlocked || undefined}
          title={problems?.length ? problems.map((p) => p.message).join('\n') : `${info.name}: ${info.summary}`}
          onClick={(e) => {
            e.stopPropagation();
            useEditor.getState().select({ nodes: [], edges: [id] });
          }}
        >
          <button className="clabel-mech" data-testid={`edge-mech-${id}`} onClick={(e) => openMechanismMenu(id, e)} title={`${info.name}: change the mechanism`}>
            <span className="clabel-icon">
              <view.Icon size={15} />
            </span>
            {view.short}
          </button>
          <span className="clabel-name">
            {label}
            {signalName ? ` · ${signalName}` : ''}
            {channel.options?.stdio === 1 ? ' · stdout → stdin' : ''}
          </span>
          {stateText ? (
            <span className="clabel-state" data-testid={`edge-state-${id}`}>
              {stateText}
            </span>
          ) : null}
          {ready ? (
            <span key={ready} className="clabel-ready" data-testid={`edge-ready-${id}`} title={`poll() found ${label} ready for ${ready.slice(ready.indexOf(' ') + 1)}`}>
              poll: ready
            </span>
          ) : null}
        </div>
        <Packets packets={packets} done={packetDone} path={g.path} style={view.packet} color={view.color} />
      </EdgeLabelRenderer>
    </>
  );
}

export const ChannelEdge = memo(ChannelEdgeView);
