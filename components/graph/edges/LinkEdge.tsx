'use client';
// A process's link to an object drawn on its own: an arrow into the object from a process at
// its sending end, out of it to one at its receiving end, a plain line to an object all use
// alike. Packets fly along it on the process's sends and receives; it is dashed while the
// process is blocked on the object.

import { BaseEdge, EdgeLabelRenderer, useInternalNode, type Edge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { symmetric } from '@/lib/mechanisms';
import { endOf } from '@/lib/scenario';
import { MECHANISM_VIEWS } from '../../mechanisms/registry';
import { useEditor } from '../../store/editor';
import { useRun } from '../../store/run';
import { edgeGeometry } from '../geometry';
import { parseLinkId } from '../links';
import { Packets, usePackets } from './packets';

export type LinkEdgeType = Edge<Record<string, never>, 'link'>;

function LinkEdgeView({ id, source, target, selected }: EdgeProps<LinkEdgeType>) {
  const s = useInternalNode(source);
  const t = useInternalNode(target);
  const { channel: cid, proc } = parseLinkId(id)!;
  const channel = useEditor((st) => st.scenario.channels.find((c) => c.id === cid));
  const sent = useRun((st) => st.chans[cid]?.sentBy[proc] ?? 0);
  const recvd = useRun((st) => st.chans[cid]?.recvdBy[proc] ?? 0);
  const waiting = useRun((st) => st.status === 'running' && st.procs[proc]?.state === 'blocked' && st.procs[proc]?.channel === cid);
  const deadlocked = useRun((st) => !!st.deadlock && st.status === 'running' && st.deadlock.channels.includes(cid) && st.deadlock.procs.includes(proc));
  // packets travel from source to target: out of the process when it is the source
  const fromProc = source === proc;
  const [packets, done] = usePackets(fromProc ? sent : recvd, fromProc ? recvd : sent);
  if (!s || !t || !channel) return null;
  const view = MECHANISM_VIEWS[channel.mechanism];
  const g = edgeGeometry(s, t, 0);
  const arrow = !symmetric(channel.mechanism) && endOf(channel, proc);
  return (
    <>
      <BaseEdge
        id={id}
        path={g.path}
        className={`cedge link ${selected ? 'selected' : ''} ${waiting ? 'waiting' : ''} ${deadlocked ? 'deadlocked' : ''}`}
        style={deadlocked ? undefined : { stroke: view.color, strokeDasharray: waiting ? '6 5' : view.dashed ? '7 6' : undefined }}
        markerEnd={arrow ? (deadlocked ? 'url(#ipcpg-arrow-deadlock)' : `url(#ipcpg-arrow-${channel.mechanism})`) : undefined}
        interactionWidth={20}
      />
      <EdgeLabelRenderer>
        <Packets packets={packets} done={done} path={g.path} style={view.packet} color={view.color} />
      </EdgeLabelRenderer>
    </>
  );
}

export const LinkEdge = memo(LinkEdgeView);
