'use client';
// The scenario being edited, with undo/redo over every edit and the current selection.
// Every change goes through `commit`: one history entry per user action; typing in a
// program or dragging a node coalesces into one entry, as an editor's undo does.

import { create } from 'zustand';
import { MECHANISMS, optionsWithDefaults, symmetric, type End, type Family, type MechanismId } from '@/lib/mechanisms';
import { edgeEnds, endOf, members, twoLinks, type Channel, type Process, type Scenario } from '@/lib/scenario';
import { NODE_H, NODE_W, OBJECT_H, OBJECT_W, autoLayout, needsLayout } from '../graph/layout';
import { parseLinkId } from '../graph/links';
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
  /** A new channel between two processes; or, when one side is an object, a link to it. */
  connect(from: string, to: string, mechanism?: MechanismId): string | null;
  /** A kernel object of its own on the canvas, linked to no process yet. */
  addObject(mechanism: MechanismId, at?: { x: number; y: number }): string | null;
  /** Links a process to a channel at an end (the sending end of a one-way object when not said). */
  link(channel: string, proc: string, end?: End): void;
  unlink(channel: string, proc: string): void;
  /** Draws a channel as an object of its own (true) or, between two processes, as an edge (false). */
  setDrawnAsObject(channel: string, on: boolean): void;
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

/** Selected edges are channels, or links (`chan~proc`) of a channel drawn as an object. */
function selectable(s: Scenario, id: string): boolean {
  const l = parseLinkId(id);
  if (l) return s.channels.some((c) => c.id === l.channel && !!endOf(c, l.proc));
  return s.channels.some((c) => c.id === id);
}

function prune(sel: Selection, s: Scenario): Selection {
  const nodes = sel.nodes.filter((id) => s.processes.some((p) => p.id === id));
  const edges = sel.edges.filter((id) => selectable(s, id));
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
      // dragged from a process to an object: it sends into it; from an object to a process: it receives
      if (isObject(s, to)) return get().link(to, from, 'from'), to;
      if (isObject(s, from)) return get().link(from, to, 'to'), from;
      const id = freshName(s, 'c');
      const c: Channel = { id, mechanism, links: twoLinks(from, to) };
      const opts = optionsWithDefaults(mechanism);
      if (Object.keys(opts).length) c.options = opts;
      commit({ ...s, channels: [...s.channels, c] }, `connect:${id}`, { selection: { nodes: [], edges: [id] } });
      return id;
    },
    addObject(mechanism, at) {
      const s = get().scenario;
      if (get().locked) return null;
      const id = freshName(s, mechanism === 'fifo' ? 'fifo' : OBJECT_PREFIX[MECHANISMS[mechanism].family]);
      const c: Channel = { id, mechanism, links: [], position: at ?? freeSpot(s) };
      const opts = optionsWithDefaults(mechanism);
      if (Object.keys(opts).length) c.options = opts;
      commit({ ...s, channels: [...s.channels, c] }, `object:${id}`, { selection: { nodes: [], edges: [id] } });
      return id;
    },
    link(channel, proc, end) {
      const s = get().scenario;
      const c = s.channels.find((x) => x.id === channel);
      if (get().locked || !c || !s.processes.some((p) => p.id === proc)) return;
      const at: End = symmetric(c.mechanism) ? 'from' : (end ?? 'from');
      const had = endOf(c, proc);
      if (had === at) return;
      const links = had ? c.links.map((l) => (l.process === proc ? { ...l, end: at } : l)) : [...c.links, { process: proc, end: at }];
      commit(mapChannel(channel, (x) => placed(s, { ...x, links }))(s), `link:${channel}:${proc}`);
    },
    unlink(channel, proc) {
      const s = get().scenario;
      const c = s.channels.find((x) => x.id === channel);
      if (get().locked || !c || !endOf(c, proc)) return;
      commit(mapChannel(channel, (x) => placed(s, { ...x, links: x.links.filter((l) => l.process !== proc) }))(s), `unlink:${channel}:${proc}`);
    },
    setDrawnAsObject(channel, on) {
      const s = get().scenario;
      const c = s.channels.find((x) => x.id === channel);
      if (get().locked || !c) return;
      if (on && !c.position) {
        commit(mapChannel(channel, (x) => ({ ...x, position: objectSpot(s, x) }))(s), `drawn:${channel}`);
      } else if (!on && c.position) {
        commit(mapChannel(channel, ({ position: _drop, ...x }) => x)(s), `drawn:${channel}`);
      }
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
      const cut = edges.map(parseLinkId).filter((l) => l !== null);
      const next: Scenario = {
        ...s,
        processes: s.processes.filter((p) => !gone.has(p.id)),
        channels: s.channels
          // an object's node is deleted as a node; an edge goes with either of its processes
          .filter((c) => !edges.includes(c.id) && !gone.has(c.id) && !(edgeEnds(c) && members(c).some((p) => gone.has(p))))
          .map((c) => {
            const links = c.links.filter((l) => !gone.has(l.process) && !cut.some((x) => x.channel === c.id && x.proc === l.process));
            return links.length === c.links.length ? c : { ...c, links };
          }),
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
      const channels = s.channels.map((c) => {
        const at = positions[c.id];
        if (!at || !c.position || (c.position.x === at.x && c.position.y === at.y)) return c;
        changed = true;
        return { ...c, position: { x: Math.round(at.x), y: Math.round(at.y) } };
      });
      if (changed) commit({ ...s, processes, channels }, tag);
    },
    layout() {
      commit(withLayout(get().scenario), `layout:${Date.now()}`);
    },
  };
});

function withLayout(s: Scenario): Scenario {
  const at = autoLayout(s);
  return {
    ...s,
    processes: s.processes.map((p) => ({ ...p, position: at[p.id] ?? p.position ?? { x: 0, y: 0 } })),
    // objects move with the layout; edges stay edges
    channels: s.channels.map((c) => (at[c.id] && (c.position || !edgeEnds(c)) ? { ...c, position: at[c.id] } : c)),
  };
}

/**
 * Where a new object goes: in the middle of the processes when that is free (between a
 * column of writers and one of readers, as it will be linked), else under them; right of any
 * object already there. It lands in view.
 */
function freeSpot(s: Scenario): { x: number; y: number } {
  const ps = s.processes.map((p) => p.position ?? { x: 0, y: 0 });
  if (!ps.length) return { x: 0, y: 0 };
  const boxes = [
    ...ps.map((p) => ({ x: p.x, y: p.y, w: NODE_W, h: NODE_H })),
    ...s.channels.flatMap((c) => (c.position ? [{ ...c.position, w: OBJECT_W, h: OBJECT_H }] : [])),
  ];
  const free = (x: number, y: number) => !boxes.some((b) => x < b.x + b.w + 30 && x + OBJECT_W + 30 > b.x && y < b.y + b.h + 30 && y + OBJECT_H + 30 > b.y);
  const minX = Math.min(...ps.map((p) => p.x));
  const maxX = Math.max(...ps.map((p) => p.x)) + NODE_W;
  const minY = Math.min(...ps.map((p) => p.y));
  const maxY = Math.max(...ps.map((p) => p.y)) + NODE_H;
  const x = Math.round((minX + maxX) / 2 - OBJECT_W / 2);
  for (let dy = 0; dy <= 2 * OBJECT_H; dy += OBJECT_H / 2) {
    const y = Math.round((minY + maxY) / 2 - OBJECT_H / 2 + dy);
    if (free(x, y)) return { x, y };
  }
  let bx = x;
  const by = maxY + 90;
  while (!free(bx, by)) bx += OBJECT_W + 60;
  return { x: bx, y: by };
}

/** Below the middle of its processes, where its edge's label was. */
function objectSpot(s: Scenario, c: Channel): { x: number; y: number } {
  const at = members(c).map((id) => s.processes.find((p) => p.id === id)?.position).filter((p) => p !== undefined);
  if (!at.length) return nextFreeSpot(s);
  const x = at.reduce((a, p) => a + p.x, 0) / at.length + NODE_W / 2 - OBJECT_W / 2;
  const y = at.reduce((a, p) => a + p.y, 0) / at.length + 160;
  return { x: Math.round(x), y: Math.round(y) };
}

/** A channel that no longer joins one process to another is drawn as an object: it needs a place. */
const placed = (s: Scenario, c: Channel): Channel => (c.position || edgeEnds(c) ? c : { ...c, position: objectSpot(s, c) });

/** A channel drawn as a node of its own. */
const isObject = (s: Scenario, id: string) => s.channels.some((c) => c.id === id && !edgeEnds(c));

/** New objects' ids say what they are: sem1, shm1, queue1. */
const OBJECT_PREFIX: Record<Family, string> = { stream: 'pipe', datagram: 'sock', message: 'queue', signal: 'sig', file: 'file', semaphore: 'sem', shm: 'shm' };

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
