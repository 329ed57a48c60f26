'use client';
// Packets flying along an edge on every send, for channel edges and for an object's links.

import { useEffect, useRef, useState } from 'react';
import type { PacketStyle } from '../../mechanisms/types';

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

/** Packets to draw for counts of sends one way (fwd) and the other (back) that only grow. */
export function usePackets(fwd: number, back: number): [Packet[], (key: number) => void] {
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

/** The packets along `path` (an SVG path), in the mechanism's colour and glyph. */
export function Packets({ packets, done, path, style, color }: { packets: Packet[]; done: (key: number) => void; path: string; style: PacketStyle; color: string }) {
  return (
    <>
      {packets.map((p, i) => (
        <div
          key={p.key}
          className={`packet packet-${style} ${p.back ? 'back' : ''}`}
          style={{ offsetPath: `path("${path}")`, ['--m' as string]: color }}
          onAnimationEnd={() => done(p.key)}
          aria-hidden
        >
          {GLYPH[style]}
          {p.n > 1 && i === newestCounted(packets, p.back) ? <span className="packet-n">×{p.n > 9999 ? `${Math.round(p.n / 1000)}k` : p.n.toLocaleString('en')}</span> : null}
        </div>
      ))}
    </>
  );
}
