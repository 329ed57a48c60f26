'use client';
// The scenario being edited, with undo/redo over every edit and the current selection.
// Every change goes through `commit`: one history entry per user action; typing in a
// program or dragging a node coalesces into one entry, as an editor's undo does.

import { create } from 'zustand';
import { MECHANISMS, optionsWithDefaults, type MechanismId } from '@/lib/mechanisms';
import type { Channel, Process, Scenario } from '@/lib/scenario';
import { NODE_W, autoLayout, needsLayout } from '../graph/layout';
import { STARTER } from '../scenario/defaults';
import { freshName, nameProblem } from '../scenario/ids';

const HISTORY = 200;
/** Edits with the same tag this close together are one undo step (typing, nudging). */
const COALESCE_MS = 1200;

export interface Selection {
  nodes: string[];
  edges: string[];
}

interface EditorState {
  scenario: Scenario;
  past: Scenario[];
  future: Scenario[];
  coalesce: { tag: string; at: number } | null;
  selection: Selection;
  /** Set while a run goes on: the drawing is what runs, so it is not changed under it. */
  locked: boolean;
  /** Following someone else's live session: nothing can be changed at all (locked stays on). */
  readOnly: boolean;

  load(s: Scenario, opts?: { undoable?: boolean }): void;
  setLocked(on: boolean): void;
  setReadOnly(on: boolean): void;
  /** The selection as someone else made it (the presenter's, in follow mode). */
  mirrorSelection(sel: Selection): void;
  select(sel: Selection): void;
  undo(): void;
  redo(): void;

  setTitle(title: string): void;
  addProcess(at?: { x: number; y: number }): string | null;
  renameProcess(id: string, name: string): string | null;
  setProgram(id: string, program: string): void;
  connect(from: string, to: string, mechanism?: MechanismId): string | null;
  setMechanism(id: string, mechanism: MechanismId): void;
  setOption(id: string, key: string, value: number | string): void;
  setLabel(id: string, label: string): string | null;
  deleteItems(nodes: string[], edges: string[]): void;
  /** Positions after a drag, or null positions to lay out everything with dagre. */
  moveProcesses(positions: Record<string, { x: number; y: number }>, tag?: string): void;
  layout(): void;
}

const sameSel = (a: Selection, b: Selection) =>
  a.nodes.length === b.nodes.length && a.edges.length === b.edges.length && a.nodes.every((x, i) => x === b.nodes[i]) && a.edges.every((x, i) => x === b.edges[i]);

function prune(sel: Selection, s: Scenario): Selection {
  const nodes = sel.nodes.filter((id) => s.processes.some((p) => p.id === id));
  const edges = sel.edges.filter((id) => s.channels.some((c) => c.id === id));
  return nodes.length === sel.nodes.length && edges.length === sel.edges.length ? sel : { nodes, edges };
}

export const useEditor = create<EditorState>()((set, get) => {
  /** Applies an edit as one undo step (or merges it into the previous step with the same tag). */
  function commit(next: Scenario, tag: string, extra?: Partial<EditorState>): void {
    const { scenario, past, coalesce, readOnly } = get();
    if (next === scenario || readOnly) return;
    const now = Date.now();
    const merge = coalesce && coalesce.tag === tag && now - coalesce.at < COALESCE_MS;
    set({
      scenario: next,
      past: merge ? past : [...past.slice(-(HISTORY - 1)), scenario],
      future: [],
      coalesce: { tag, at: now },
      ...extra,
      selection: prune(extra?.selection ?? get().selection, next),
    });
  }
  const mapProcess = (id: string, fn: (p: Process) => Process) => (s: Scenario) => ({ ...s, processes: s.processes.map((p) => (p.id === id ? fn(p) : p)) });
  const mapChannel = (id: string, fn: (c: Channel) => Channel) => (s: Scenario) => ({ ...s, channels: s.channels.map((c) => (c.id === id ? fn(c) : c)) });

  return {
    scenario: STARTER,
    past: [],
    future: [],
    coalesce: null,
    selection: { nodes: [], edges: [] },
    locked: false,
    readOnly: false,

    load(s, opts) {
      const placed = needsLayout(s) ? withLayout(s) : s;
      if (opts?.undoable) commit(placed, `load:${Date.now()}`, { selection: { nodes: [], edges: [] } });
      else set({ scenario: placed, past: [], future: [], coalesce: null, selection: { nodes: [], edges: [] } });
    },
    setLocked(on) {
      const locked = on || get().readOnly;
      if (get().locked !== locked) set({ locked });
    },
    setReadOnly(on) {
      set({ readOnly: on, locked: on });
    },
    mirrorSelection(sel) {
      set({ selection: prune(sel, get().scenario) });
    },
    select(sel) {
      if (get().readOnly) return;
      if (!sameSel(sel, get().selection)) set({ selection: sel });
    },
    undo() {
      const { past, future, scenario, locked } = get();
      if (locked || past.length === 0) return;
      const prev = past[past.length - 1];
      set({ scenario: prev, past: past.slice(0, -1), future: [...future, scenario], coalesce: null, selection: prune(get().selection, prev) });
    },
    redo() {
      const { past, future, scenario, locked } = get();
      if (locked || future.length === 0) return;
      const next = future[future.length - 1];
      set({ scenario: next, past: [...past, scenario], future: future.slice(0, -1), coalesce: null, selection: prune(get().selection, next) });
    },

    setTitle(title) {
      const s = get().scenario;
      commit({ ...s, title: title.slice(0, 200) }, 'title');
    },
    addProcess(at) {
      const s = get().scenario;
      if (get().locked) return null;
      const id = freshName(s, 'p');
      const position = at ?? nextFreeSpot(s);
      const p: Process = { id, name: id, program: '# what does this process do?\nprint "hello from {pid}"\n', position };
      commit({ ...s, processes: [...s.processes, p] }, `add:${id}`, { selection: { nodes: [id], edges: [] } });
      return id;
    },
    renameProcess(id, name) {
      const s = get().scenario;
      if (get().locked) return 'stop the run to rename';
      const problem = nameProblem(s, name, id);
      if (problem) return problem;
      commit(mapProcess(id, (p) => ({ ...p, name }))(s), `rename:${id}`);
      return null;
    },
    setProgram(id, program) {
      const s = get().scenario;
      const p = s.processes.find((x) => x.id === id);
      if (!p || p.program === program || get().locked) return;
      commit(mapProcess(id, (x) => ({ ...x, program }))(s), `program:${id}`);
    },
    connect(from, to, mechanism = 'pipe') {
      const s = get().scenario;
      if (get().locked || from === to) return null;
      const id = freshName(s, 'c');
      const c: Channel = { id, from, to, mechanism };
      const opts = optionsWithDefaults(mechanism);
      if (Object.keys(opts).length) c.options = opts;
      commit({ ...s, channels: [...s.channels, c] }, `connect:${id}`, { selection: { nodes: [], edges: [id] } });
      return id;
    },
    setMechanism(id, mechanism) {
      const s = get().scenario;
      if (get().locked) return;
      commit(
        mapChannel(id, (c) => {
          // keep the options the new mechanism also has; defaults for the others
          const keep: Record<string, number | string> = {};
          for (const o of MECHANISMS[mechanism].options) {
            const v = c.options?.[o.key];
            keep[o.key] = v !== undefined && typeof v === typeof o.default ? v : o.default;
          }
          const next: Channel = { ...c, mechanism };
          if (Object.keys(keep).length) next.options = keep;
          else delete next.options;
          return next;
        })(s),
        // right after drawing the edge, picking its mechanism is part of the same step
        get().coalesce?.tag === `connect:${id}` ? `connect:${id}` : `mechanism:${id}`,
      );
    },
    setOption(id, key, value) {
      const s = get().scenario;
      if (get().locked) return;
      commit(mapChannel(id, (c) => ({ ...c, options: { ...(c.options ?? {}), [key]: value } }))(s), `option:${id}:${key}`);
    },
    setLabel(id, label) {
      const s = get().scenario;
      if (get().locked) return 'stop the run to rename';
      if (label === '') {
        commit(mapChannel(id, ({ label: _drop, ...c }) => c)(s), `label:${id}`);
        return null;
      }
      const problem = nameProblem(s, label, id);
      if (problem) return problem;
      commit(mapChannel(id, (c) => ({ ...c, label }))(s), `label:${id}`);
      return null;
    },
    deleteItems(nodes, edges) {
      const s = get().scenario;
      if (get().locked || (nodes.length === 0 && edges.length === 0)) return;
      const gone = new Set(nodes);
      const next: Scenario = {
        ...s,
        processes: s.processes.filter((p) => !gone.has(p.id)),
        channels: s.channels.filter((c) => !edges.includes(c.id) && !gone.has(c.from) && !gone.has(c.to)),
      };
      commit(next, `delete:${Date.now()}`, { selection: { nodes: [], edges: [] } });
    },
    moveProcesses(positions, tag = `move:${Date.now()}`) {
      const s = get().scenario;
      let changed = false;
      const processes = s.processes.map((p) => {
        const at = positions[p.id];
        if (!at || (p.position && p.position.x === at.x && p.position.y === at.y)) return p;
        changed = true;
        return { ...p, position: { x: Math.round(at.x), y: Math.round(at.y) } };
      });
      if (changed) commit({ ...s, processes }, tag);
    },
    layout() {
      commit(withLayout(get().scenario), `layout:${Date.now()}`);
    },
  };
});

function withLayout(s: Scenario): Scenario {
  const at = autoLayout(s);
  return { ...s, processes: s.processes.map((p) => ({ ...p, position: at[p.id] ?? p.position ?? { x: 0, y: 0 } })) };
}

/** Right of the rightmost process, so a new one never lands on top of another. */
function nextFreeSpot(s: Scenario): { x: number; y: number } {
  if (s.processes.length === 0) return { x: 0, y: 0 };
  let maxX = -Infinity;
  let y = 0;
  for (const p of s.processes) {
    const pos = p.position ?? { x: 0, y: 0 };
    if (pos.x > maxX) {
      maxX = pos.x;
      y = pos.y;
    }
  }
  return { x: maxX + NODE_W + 260, y };
}
