// Floating edges: an edge leaves and enters a node at its border, on the line towards the
// other node, so arrows stay readable wherever nodes are dragged. Parallel channels between
// the same two processes (a shared-memory segment and its semaphore) bow apart.
import type { InternalNode } from '@xyflow/react';

export interface EdgeGeometry {
  path: string;
  labelX: number;
  labelY: number;
  sx: number;
  sy: number;
  tx: number;
  ty: number;
}

interface Box {
  cx: number;
  cy: number;
  hw: number;
  hh: number;
}

function box(n: InternalNode): Box {
  const w = n.measured.width ?? 0;
  const h = n.measured.height ?? 0;
  const { x, y } = n.internals.positionAbsolute;
  return { cx: x + w / 2, cy: y + h / 2, hw: w / 2, hh: h / 2 };
}

/** Where the ray from the box's centre towards (px, py) leaves the box (plus a small gap). */
function border(b: Box, px: number, py: number, gap: number): [number, number] {
  const dx = px - b.cx;
  const dy = py - b.cy;
  if (dx === 0 && dy === 0) return [b.cx, b.cy];
  const t = Math.min(dx === 0 ? Infinity : (b.hw + gap) / Math.abs(dx), dy === 0 ? Infinity : (b.hh + gap) / Math.abs(dy));
  return [b.cx + dx * t, b.cy + dy * t];
}

/**
 * `bend` is this edge's offset (px) from the straight line, measured on the normal of the
 * pair's canonical direction (from the smaller node id to the larger), so a→b and b→a
 * channels bow to opposite sides instead of on top of each other.
 */
export function edgeGeometry(source: InternalNode, target: InternalNode, bend: number): EdgeGeometry {
  const s = box(source);
  const t = box(target);
  const flip = source.id > target.id ? -1 : 1;
  const dx = (t.cx - s.cx) * flip;
  const dy = (t.cy - s.cy) * flip;
  const len = Math.hypot(dx, dy) || 1;
  const nx = -dy / len;
  const ny = dx / len;
  const mx = (s.cx + t.cx) / 2;
  const my = (s.cy + t.cy) / 2;
  // a quadratic curve passes half way to its control point
  const cx = mx + nx * bend * 2;
  const cy = my + ny * bend * 2;
  const [sx, sy] = border(s, bend ? cx : t.cx, bend ? cy : t.cy, 2);
  const [tx, ty] = border(t, bend ? cx : s.cx, bend ? cy : s.cy, 6);
  const path = bend ? `M ${sx},${sy} Q ${cx},${cy} ${tx},${ty}` : `M ${sx},${sy} L ${tx},${ty}`;
  const labelX = bend ? 0.25 * sx + 0.5 * cx + 0.25 * tx : (sx + tx) / 2;
  const labelY = bend ? 0.25 * sy + 0.5 * cy + 0.25 * ty : (sy + ty) / 2;
  return { path, labelX, labelY, sx, sy, tx, ty };
}

/** Offsets for the channels of each pair of processes: 0 for a lone one, ±spacing/2 for two... */
export function parallelBends<T extends { id: string; from: string; to: string }>(channels: T[], spacing = 96): Map<string, number> {
  const groups = new Map<string, T[]>();
  for (const c of channels) {
    const key = c.from < c.to ? `${c.from}\u0000${c.to}` : `${c.to}\u0000${c.from}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(c);
  }
  const out = new Map<string, number>();
  for (const g of groups.values()) g.forEach((c, i) => out.set(c.id, (i - (g.length - 1) / 2) * spacing));
  return out;
}
