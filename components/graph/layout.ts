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
  if (s.channels.some((c) => !edgeEnds(c))) return rowsLayout(s);
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
 * With objects drawn on their own: processes in a row above (the senders) and a row below
 * (the receivers), the objects in rows between them, each near the processes linked to it.
 * Every link then runs up or down into the middle, not across other processes, and the
 * picture is as wide as a screen is.
 */
function rowsLayout(s: Scenario): Record<string, { x: number; y: number }> {
  const out: Record<string, { x: number; y: number }> = {};
  // how much of a sender a process is: its sending ends minus its receiving ends (one-way channels)
  const score = new Map(s.processes.map((p) => [p.id, 0]));
  for (const c of s.channels) {
    if (symmetric(c.mechanism)) continue;
    for (const l of c.links) score.set(l.process, (score.get(l.process) ?? 0) + (l.end === 'from' ? 1 : -1));
  }
  const order = s.processes.map((p, i) => ({ id: p.id, i, k: score.get(p.id) ?? 0 })).sort((a, b) => b.k - a.k || a.i - b.i);
  const half = Math.ceil(order.length / 2);
  const rows = [order.slice(0, half), order.slice(half)].map((r) => r.sort((a, b) => a.i - b.i));
  const STEP_X = NODE_W + 50;
  const width = Math.max(1, ...rows.map((r) => r.length)) * STEP_X - 50;
  const rowX = (n: number, k: number, step: number, w: number) => Math.round((width - ((n - 1) * step + w)) / 2 + k * step);
  rows[0].forEach((p, k) => (out[p.id] = { x: rowX(rows[0].length, k, STEP_X, NODE_W), y: 0 }));

  // objects sorted by where their processes are, dealt into rows that fit the width
  const objects = s.channels.filter((c) => !edgeEnds(c));
  const centre = (id: string) => (out[id] ? out[id].x + NODE_W / 2 : undefined);
  const STEP_OX = OBJECT_W + 40;
  const perRow = Math.max(1, Math.floor((width + 40) / STEP_OX));
  const nRows = Math.ceil(objects.length / perRow);
  const bottomX = new Map(rows[1].map((p, k) => [p.id, rowX(rows[1].length, k, STEP_X, NODE_W) + NODE_W / 2]));
  const bary = (c: (typeof objects)[number]) => {
    const xs = c.links.map((l) => centre(l.process) ?? bottomX.get(l.process)).filter((x) => x !== undefined);
    return xs.length ? xs.reduce((a, x) => a + x, 0) / xs.length : width / 2;
  };
  const sorted = objects.map((c, i) => ({ c, i, x: bary(c) })).sort((a, b) => a.x - b.x || a.i - b.i);
  const top = NODE_H + 90;
  sorted.forEach((o, k) => {
    // column-major: neighbours in barycentre order stay neighbours on screen
    const col = Math.floor(k / nRows);
    const row = k % nRows;
    const inRow = Math.ceil(sorted.length / nRows);
    out[o.c.id] = { x: rowX(inRow, col, STEP_OX, OBJECT_W), y: top + row * (OBJECT_H + 50) };
  });
  const bottom = top + nRows * (OBJECT_H + 50) + 40;
  rows[1].forEach((p, k) => (out[p.id] = { x: rowX(rows[1].length, k, STEP_X, NODE_W), y: bottom }));
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
