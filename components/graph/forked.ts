// Where forked children are drawn: under their parent, side by side in the order they were
// forked, their own children under them. Pure: the canvas asks with the run's processes.

import type { ProcLive } from '../run/live';
import { NODE_W } from './layout';

interface ForkedChild {
  id: string;
  parent: string;
}

const DOWN = 180;
const ACROSS = NODE_W - 20;

/** The forked children of a run, as one string (a selector's value that changes only when one is forked). */
export function forkedKey(procs: Record<string, ProcLive>): string {
  let key = '';
  for (const p of Object.values(procs)) if (p.parent) key += `${p.id}<${p.parent};`;
  return key;
}

export function parseForkedKey(key: string): ForkedChild[] {
  return key
    .split(';')
    .filter(Boolean)
    .map((x) => {
      const [id, parent] = x.split('<');
      return { id, parent };
    });
}

/** Each child's place, from its parent's (a drawn process's position, or a child placed before it). */
export function placeForked(children: ForkedChild[], drawn: (id: string) => { x: number; y: number } | undefined): Map<string, { x: number; y: number }> {
  const at = new Map<string, { x: number; y: number }>();
  const nth = new Map<string, number>();
  // a child comes after its parent in fork order, so one pass places them all
  for (const c of children) {
    const base = drawn(c.parent) ?? at.get(c.parent);
    if (!base) continue;
    const k = nth.get(c.parent) ?? 0;
    nth.set(c.parent, k + 1);
    at.set(c.id, { x: base.x + 30 + k * ACROSS, y: base.y + DOWN });
  }
  return at;
}
