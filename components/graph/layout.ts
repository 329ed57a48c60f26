// Auto-layout with dagre: left to right along the channels, so a pipeline reads like a sentence.
import { Graph, layout } from '@dagrejs/dagre';
import type { Scenario } from '@/lib/scenario';

export const NODE_W = 270;
export const NODE_H = 128;

export function autoLayout(s: Scenario): Record<string, { x: number; y: number }> {
  const g = new Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 100, ranksep: 250, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const p of s.processes) g.setNode(p.id, { width: NODE_W, height: NODE_H });
  for (const c of s.channels) {
    if (g.hasNode(c.from) && g.hasNode(c.to)) g.setEdge(c.from, c.to, { minlen: 1, weight: 1 }, c.id);
  }
  layout(g);
  const out: Record<string, { x: number; y: number }> = {};
  for (const p of s.processes) {
    const n = g.node(p.id) as { x: number; y: number } | undefined;
    if (n) out[p.id] = { x: Math.round(n.x - NODE_W / 2), y: Math.round(n.y - NODE_H / 2) };
  }
  return out;
}

/**
 * True when positions are missing or so tight that nodes (and the channel labels between
 * them) would overlap: such scenarios are laid out again on load.
 */
export function needsLayout(s: Scenario): boolean {
  const ps = s.processes;
  if (ps.some((p) => !p.position)) return true;
  for (let i = 0; i < ps.length; i++) {
    for (let j = i + 1; j < ps.length; j++) {
      const a = ps[i].position!;
      const b = ps[j].position!;
      if (Math.abs(a.x - b.x) < NODE_W + 150 && Math.abs(a.y - b.y) < NODE_H + 40) return true;
    }
  }
  return false;
}
