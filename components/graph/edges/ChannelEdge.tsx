'use client';
// A channel on the canvas: a floating edge in its mechanism's colour, a label with the
// mechanism's icon, name and live state, and packets that fly along it on every send.

import { BaseEdge, EdgeLabelRenderer, useInternalNode, type Edge, type EdgeProps } from '@xyflow/react';
import { memo, useEffect, useRef, useState } from 'react';
import { MECHANISMS } from '@/lib/mechanisms';
import { MECHANISM_VIEWS } from '../../mechanisms/registry';
import type { PacketStyle } from '../../mechanisms/types';
import { useEditor } from '../../store/editor';
import { useProblems } from '../../store/problems';
import { useRun } from '../../store/run';
import { useUi } from '../../store/ui';
import { edgeGeometry } from '../geometry';

export type ChannelEdgeType = Edge<{ bend: number }, 'channel'>;

/**
 * Packets in flight per edge, and the least time between two of them: a flood shows as a
 * steady stream of packets carrying counts (×12k), not as thousands of dots.
 */
const MAX_IN_FLIGHT = 6;
const SPAWN_MS = 160;
const GLYPH: Record<PacketStyle, string> = { byte: '', message: '✉', bolt: '⚡', token: '●', write: '▮' };

interface Packet {
  key: number;
  back: boolean;
  n: number;
  born: number;
}

let packetSeq = 0;

/**
 * In a flood every packet carries a count; drawn on each they pile up along a short edge and
 * over its label. Only the newest counted packet each way shows its count.
 */
function newestCounted(packets: Packet[], back: boolean): number {
  return packets.findLastIndex((p) => p.back === back && p.n > 1);
}

function usePackets(id: string): [Packet[], (key: number) => void] {
  const fwd = useRun((s) => s.chans[id]?.fwd ?? 0);
  const back = useRun((s) => s.chans[id]?.back ?? 0);
  const seen = useRef({ fwd: 0, back: 0 });
  const [packets, setPackets] = useState<Packet[]>([]);
  useEffect(() => {
    const dF = fwd - seen.current.fwd;
    const dB = back - seen.current.back;
    seen.current = { fwd, back };
    if (dF <= 0 && dB <= 0) return;
    const now = performance.now();
    setPackets((list) => {
      let next = list;
      for (const [isBack, n] of [[false, dF], [true, dB]] as const) {
        if (n <= 0) continue;
        const last = next.findLast((p) => p.back === isBack);
        if (last && (now - last.born < SPAWN_MS || next.length >= MAX_IN_FLIGHT)) {
          // too soon after the last one (or too many flying): it carries these sends too
          next = next.map((p) => (p === last ? { ...p, n: p.n + n } : p));
        } else if (next.length < MAX_IN_FLIGHT) {
          next = [...next, { key: ++packetSeq, back: isBack, n, born: now }];
        }
      }
      return next;
    });
  }, [fwd, back]);
  const done = (key: number) => setPackets((p) => p.filter((x) => x.key !== key));
  return [packets, done];
}

/** The object's state and who waits on it: `value 0 · producer, consumer wait`. */
function liveState(object: string | null, waiters: string[]): string | null {
  const who = waiters.length ? `${waiters.join(', ')} ${waiters.length === 1 ? 'waits' : 'wait'}` : null;
  return [object, who].filter(Boolean).join(' · ') || null;
}

function ChannelEdgeView({ id, source, target, selected, data }: EdgeProps<ChannelEdgeType>) {
  const s = useInternalNode(source);
  const t = useInternalNode(target);
  const channel = useEditor((st) => st.scenario.channels.find((c) => c.id === id));
  const processes = useEditor((st) => st.scenario.processes);
  const live = useRun((st) => st.chans[id]);
  const problems = useProblems((st) => st.byChannel[id]);
  // in a deadlock: who waits on this channel (the cycle is drawn in the direction of the waits)
  const waiter = useRun((st) => {
    if (!st.deadlock || st.status !== 'running' || !st.deadlock.channels.includes(id)) return null;
    return st.deadlock.procs.find((p) => st.procs[p]?.channel === id) ?? '';
  });
  const deadlocked = waiter !== null;
  // every process blocked on this channel (a semaphore can have several), as ids
  const waiting = useRun((st) =>
    st.status !== 'running'
      ? ''
      : Object.values(st.procs)
          .filter((p) => p.state === 'blocked' && p.channel === id)
          .map((p) => p.id)
          .join(' '),
  );
  const ended = useRun((st) => st.status === 'ended');
  const [packets, packetDone] = usePackets(id);
  if (!s || !t || !channel) return null;

  const info = MECHANISMS[channel.mechanism];
  const view = MECHANISM_VIEWS[channel.mechanism];
  const g = edgeGeometry(s, t, data?.bend ?? 0);
  const name = (pid: string) => processes.find((p) => p.id === pid)?.name ?? pid;
  // after the run its object is gone: the last sample may predate the object's opening
  const stateText = !live ? null : ended ? (view.endState ?? view.edgeState)(live, name) : liveState(view.edgeState(live, name), waiting ? waiting.split(' ').map(name) : []);
  const backward = !!waiter && waiter === channel.to;
  const label = channel.label ?? channel.id;
  const signalName = channel.mechanism === 'signal' ? String(channel.options?.signal ?? 'SIGUSR1') : null;

  const openMenu = (e: React.MouseEvent) => {
    e.stopPropagation();
    useEditor.getState().select({ nodes: [], edges: [id] });
    if (useEditor.getState().locked) return;
    const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
    useUi.getState().set({ menu: { kind: 'mechanism', channel: id, x: r.left, y: r.bottom + 4 } });
  };

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
          <button className="clabel-mech" data-testid={`edge-mech-${id}`} onClick={openMenu} title={`${info.name}: change the mechanism`}>
            <span className="clabel-icon">
              <view.Icon size={15} />
            </span>
            {view.short}
          </button>
          <span className="clabel-name">{label}{signalName ? ` · ${signalName}` : ''}</span>
          {stateText ? (
            <span className="clabel-state" data-testid={`edge-state-${id}`}>
              {stateText}
            </span>
          ) : null}
        </div>
        {packets.map((p, i) => (
          <div
            key={p.key}
            className={`packet packet-${view.packet} ${p.back ? 'back' : ''}`}
            style={{ offsetPath: `path("${g.path}")`, ['--m' as string]: view.color }}
            onAnimationEnd={() => packetDone(p.key)}
            aria-hidden
          >
            {GLYPH[view.packet]}
            {p.n > 1 && i === newestCounted(packets, p.back) ? <span className="packet-n">×{p.n > 9999 ? `${Math.round(p.n / 1000)}k` : p.n.toLocaleString('en')}</span> : null}
          </div>
        ))}
      </EdgeLabelRenderer>
    </>
  );
}

export const ChannelEdge = memo(ChannelEdgeView);
