'use client';
// Keeps channel labels off the nodes and off each other. A label sits at its edge's middle,
// which is often on a node's state line (bowed edges between close nodes) or on another
// label (parallel channels, a long live state). A few times a second this moves each label
// that overlaps something up or down its edge's side, to the nearest free place, in
// screen space (labels change width with their live state, so they are measured).
import { useEffect } from 'react';
import { useStore } from '@xyflow/react';

const EVERY_MS = 200;
const GAP = 4;
const TRIES = 5;
const SPARE = 60;

interface Box {
  l: number;
  t: number;
  r: number;
  b: number;
}

const hits = (a: Box, b: Box) => a.l < b.r + GAP && b.l < a.r + GAP && a.t < b.b + GAP && b.t < a.b + GAP;
const rect = (el: Element): Box => {
  const r = el.getBoundingClientRect();
  return { l: r.left, t: r.top, r: r.right, b: r.bottom };
};

function space(root: HTMLElement, zoom: number): void {
  const nodes = [...root.querySelectorAll('.react-flow__node')].map(rect);
  const placed: Box[] = [];
  for (const el of root.querySelectorAll<HTMLElement>('.clabel')) {
    // where it would be without the nudge given last time (screen px)
    const was = Number(el.dataset.nudge ?? 0) * zoom;
    const r = rect(el);
    const base = { ...r, t: r.t - was, b: r.b - was };
    const step = base.b - base.t + GAP;
    const free = (d: number, wider = 0) => {
      const at = { l: base.l - wider, r: base.r + wider, t: base.t + d, b: base.b + d };
      return !nodes.some((n) => hits(at, n)) && !placed.some((p) => hits(at, p));
    };
    // A moved label stays where it is while that is free, and goes home only when home has
    // room to spare: a label whose state keeps changing width does not jump to and fro.
    let dy = was && free(was) && !free(0, SPARE) ? was : 0;
    for (let i = 0; dy === 0 && i <= TRIES * 2; i++) {
      const d = i === 0 ? 0 : (i % 2 ? -1 : 1) * Math.ceil(i / 2) * step;
      if (free(d)) {
        dy = d;
        break;
      }
    }
    placed.push({ ...base, t: base.t + dy, b: base.b + dy });
    const nudge = Math.round(dy / zoom);
    if (String(nudge) !== (el.dataset.nudge ?? '0')) {
      el.dataset.nudge = String(nudge);
      el.style.setProperty('--nudge', `${nudge}px`);
    }
  }
}

export function LabelSpacer() {
  const zoom = useStore((s) => s.transform[2]);
  const root = useStore((s) => s.domNode);
  useEffect(() => {
    if (!root) return;
    const t = setInterval(() => space(root, zoom), EVERY_MS);
    space(root, zoom);
    return () => clearInterval(t);
  }, [root, zoom]);
  return null;
}
