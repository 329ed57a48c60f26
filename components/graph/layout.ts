// Auto-layout with dagre: left to right along the channels, so a pipeline reads like a sentence.
// Objects drawn on their own are laid out as nodes too, between the processes linked to them.
import { Graph, layout } from '@dagrejs/dagre';
import { symmetric } from '@/lib/mechanisms';
import { edgeEnds, type Scenario } from '@/lib/scenario';

export const NODE_W = 270;
export const NODE_H = 128;
export const OBJECT_W = 190;
export const OBJECT_H = 96;

export function autoLayout(s: Scenario): Record<string, { x: number; y: number }> {
  const g = new Graph({ multigraph: true });
  // an edge's label sits between its two processes and needs room; a link has none
  const labels = s.channels.some((c) => edgeEnds(c));
  g.setGraph({ rankdir: 'LR', nodesep: labels ? 100 : 60, ranksep: labels ? 250 : 110, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const p of s.processes) g.setNode(p.id, { width: NODE_W, height: NODE_H });
  for (const c of s.channels) {
    const e = edgeEnds(c);
    if (e) {
      if (g.hasNode(e.from) && g.hasNode(e.to)) g.setEdge(e.from, e.to, { minlen: 1, weight: 1 }, c.id);
      continue;
    }
    g.setNode(c.id, { width: OBJECT_W, height: OBJECT_H });
    c.links.forEach((l, i) => {
      if (!g.hasNode(l.process)) return;
      // writers before the object, readers after; an object all use alike sits among them
      const before = symmetric(c.mechanism) ? i % 2 === 0 : l.end === 'from';
      if (before) g.setEdge(l.process, c.id, { minlen: 1, weight: 1 }, `${c.id}~${l.process}`);
      else g.setEdge(c.id, l.process, { minlen: 1, weight: 1 }, `${c.id}~${l.process}`);
    });
  }
  layout(g);
  const out: Record<string, { x: number; y: number }> = {};
  const place = (id: string, w: number, h: number) => {
    const n = g.node(id) as { x: number; y: number } | undefined;
    if (n) out[id] = { x: Math.round(n.x - w / 2), y: Math.round(n.y - h / 2) };
  };
  for (const p of s.processes) place(p.id, NODE_W, NODE_H);
  for (const c of s.channels) if (!edgeEnds(c)) place(c.id, OBJECT_W, OBJECT_H);
  return out;
}

/**
 * True when positions are missing or so tight that nodes (and the channel labels between
 * them) would overlap: such scenarios are laid out again on load.
 */
export function needsLayout(s: Scenario): boolean {
  const ps = s.processes;
  if (ps.some((p) => !p.position)) return true;
  // an object drawn on its own without a place (a file written by hand)
  if (s.channels.some((c) => !c.position && !edgeEnds(c))) return true;
  // two processes joined by an edge need room for its label between them; others only not to overlap
  const joined = new Set(s.channels.flatMap((c) => {
    const e = edgeEnds(c);
    return e ? [`${e.from} ${e.to}`, `${e.to} ${e.from}`] : [];
  }));
  for (let i = 0; i < ps.length; i++) {
    for (let j = i + 1; j < ps.length; j++) {
      const a = ps[i].position!;
      const b = ps[j].position!;
      const label = joined.has(`${ps[i].id} ${ps[j].id}`);
      if (Math.abs(a.x - b.x) < NODE_W + (label ? 150 : 16) && Math.abs(a.y - b.y) < NODE_H + (label ? 40 : 16)) return true;
    }
  }
  return false;
}
