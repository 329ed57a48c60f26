'use client';
// The drawing: processes and channels with React Flow. The scenario store is the truth;
// React Flow keeps its own node objects (with their measured sizes), synced from the store,
// and every user gesture goes back to the store as one undoable edit.

import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  applyEdgeChanges,
  applyNodeChanges,
  useNodesInitialized,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type FinalConnectionState,
  type NodeChange,
  type OnSelectionChangeParams,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { MECHANISMS, symmetric } from '@/lib/mechanisms';
import { useEditor } from '../store/editor';
import { useLayout } from '../store/layout';
import { useUi } from '../store/ui';
import { edgeEnds, endOf, type Scenario } from '@/lib/scenario';
import { useRun } from '../store/run';
import type { ChannelEdgeType } from './edges/ChannelEdge';
import type { ForkEdgeType } from './edges/ForkEdge';
import { forkedKey, parseForkedKey, placeForked } from './forked';
import type { ForkedNodeType } from './nodes/ForkedNode';
import type { LinkEdgeType } from './edges/LinkEdge';
import { linkId } from './links';
import type { ObjectNodeType } from './nodes/ObjectNode';
import { fitDrawing } from './fit';
import { parallelBends } from './geometry';
import { NODE_W } from './layout';
import { FarView } from './FarView';
import { LabelSpacer } from './LabelSpacer';
import { MarkerDefs } from './MarkerDefs';
import type { ProcessNodeType } from './nodes/ProcessNode';
import { SignalArcs } from './SignalArcs';
import { edgeTypes, nodeTypes } from './types';

const DELETE_KEYS = ['Delete', 'Backspace'];

type CanvasNode = ProcessNodeType | ObjectNodeType | ForkedNodeType;
type CanvasEdge = ChannelEdgeType | LinkEdgeType | ForkEdgeType;

/** Two processes, or a process and an object it is not linked to yet; never two objects. */
function validConnection(s: Scenario, a: string, b: string): boolean {
  if (a === b) return false;
  const obj = (id: string) => s.channels.find((c) => c.id === id && !edgeEnds(c));
  const oa = obj(a);
  const ob = obj(b);
  if (oa && ob) return false;
  if (oa) return !endOf(oa, b);
  if (ob) return !endOf(ob, a);
  return true;
}

/**
 * Fitting never zooms out below 1: the graph's smallest text is 13 px, and it must stay
 * readable from the back of a room (pan or zoom out by hand to see more). A compact screen
 * (150 % zoom, a phone) fits the whole drawing instead: it has too few pixels for both.
 * Presenting, the drawing may grow further, to fill the room's screen.
 */
const fitOptions = (compact: boolean, present: boolean) => ({ padding: 0.08, maxZoom: present ? 2 : 1.3, minZoom: compact ? 0.4 : 1 });

function Canvas() {
  const processes = useEditor((s) => s.scenario.processes);
  const channels = useEditor((s) => s.scenario.channels);
  const selection = useEditor((s) => s.selection);
  const locked = useEditor((s) => s.locked);
  const readOnly = useEditor((s) => s.readOnly);
  const theme = useUi((s) => s.theme);
  const fitSeq = useUi((s) => s.fitSeq);
  const compact = useLayout((s) => s.compact);
  const present = useLayout((s) => s.present);
  const forkedNow = useRun((s) => forkedKey(s.procs));
  const forked = useMemo(() => parseForkedKey(forkedNow), [forkedNow]);
  const [nodes, setNodes] = useState<CanvasNode[]>([]);
  const [edges, setEdges] = useState<CanvasEdge[]>([]);
  const flow = useReactFlow();
  const initialized = useNodesInitialized();
  const pendingChannel = useRef<string | null>(null);
  const pendingFit = useRef(true);
  const canvasRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    setNodes((prev) => {
      const byId = new Map(prev.map((n) => [n.id, n]));
      const node = <T extends CanvasNode['type']>(id: string, type: T, position: { x: number; y: number }, selected: boolean) => {
        const old = byId.get(id);
        if (old && old.type === type && (old.dragging || (old.position.x === position.x && old.position.y === position.y)) && !!old.selected === selected) return old;
        return { ...old, id, type, position: old?.dragging ? old.position : position, data: { id }, selected } as CanvasNode;
      };
      return [
        ...processes.map((p) => node(p.id, 'process', p.position ?? { x: 0, y: 0 }, selection.nodes.includes(p.id))),
        // an object is selected as its channel is
        ...channels.filter((c) => !edgeEnds(c)).map((c) => node(c.id, 'object', c.position ?? { x: 0, y: 0 }, selection.edges.includes(c.id))),
        // children forked while the run goes: placed by their parent, not moved, selected or deleted
        ...[...placeForked(forked, (id) => processes.find((p) => p.id === id)?.position)].map(([id, at]) => ({
          ...node(id, 'forked', at, false),
          draggable: false,
          selectable: false,
          deletable: false,
        })),
      ];
    });
  }, [processes, channels, selection.nodes, selection.edges, forked]);

  useEffect(() => {
    const pairs = channels.flatMap((c) => {
      const e = edgeEnds(c);
      return e ? [{ id: c.id, ...e }] : [];
    });
    const bends = parallelBends(pairs);
    const name = (id: string) => processes.find((p) => p.id === id)?.name ?? id;
    setEdges((prev) => {
      const byId = new Map(prev.map((e) => [e.id, e]));
      const edge = (id: string, type: 'channel' | 'link', source: string, target: string, bend: number, ariaLabel: string): CanvasEdge => {
        const old = byId.get(id);
        const selected = selection.edges.includes(id);
        if (old && old.type === type && old.source === source && old.target === target && (old.data as { bend?: number })?.bend === bend && !!old.selected === selected && old.ariaLabel === ariaLabel) return old;
        return { ...old, id, type, source, target, data: type === 'channel' ? { bend } : {}, selected, ariaLabel } as CanvasEdge;
      };
      const forks = forked.map((f) => ({ ...(byId.get(`fork~${f.id}`) ?? {}), id: `fork~${f.id}`, type: 'fork', source: f.parent, target: f.id, selectable: false, focusable: false, deletable: false }) as ForkEdgeType);
      return [...forks, ...channels.flatMap((c) => {
        const what = `${MECHANISMS[c.mechanism].name} ${c.label ?? c.id}`;
        const e = edgeEnds(c);
        // what a screen reader says when Tab reaches the channel
        if (e) return [edge(c.id, 'channel', e.from, e.to, bends.get(c.id) ?? 0, `${what} from ${name(e.from)} to ${name(e.to)}`)];
        return c.links.map((l) => {
          const out = l.end === 'to' && !symmetric(c.mechanism);
          return edge(linkId(c.id, l.process), 'link', out ? c.id : l.process, out ? l.process : c.id, 0, `${name(l.process)} ${out ? 'receives from' : 'uses'} ${what}`);
        });
      })];
    });
  }, [channels, processes, selection.edges, forked]);

  useEffect(() => {
    pendingFit.current = true;
  }, [fitSeq]);
  // a child forked while the run goes is drawn under its parent: the view makes room for it
  const forkedCount = forked.length;
  useEffect(() => {
    if (forkedCount > 0) pendingFit.current = true;
  }, [forkedCount]);
  useEffect(() => {
    if (!pendingFit.current || !initialized) return;
    pendingFit.current = false;
    requestAnimationFrame(() => {
      if (canvasRef.current) fitDrawing(flow, canvasRef.current, { ...fitOptions(compact, present), duration: 250 });
    });
  }, [initialized, fitSeq, nodes, flow, compact, present]);
  // a canvas that changes size (a pane shown, hidden or resized; a projector plugged in) fits again
  useEffect(() => {
    const el = canvasRef.current;
    if (!el) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let first = true;
    const ro = new ResizeObserver(() => {
      if (first) return void (first = false);
      clearTimeout(timer);
      timer = setTimeout(() => useUi.getState().fit(), 150);
    });
    ro.observe(el);
    return () => (clearTimeout(timer), ro.disconnect());
  }, []);

  const onNodesChange = useCallback((changes: NodeChange<CanvasNode>[]) => {
    // removals go through onDelete, as one undoable edit of the scenario
    setNodes((nds) => applyNodeChanges(changes.filter((c) => c.type !== 'remove'), nds));
  }, []);
  const onEdgesChange = useCallback((changes: EdgeChange<CanvasEdge>[]) => {
    setEdges((eds) => applyEdgeChanges(changes.filter((c) => c.type !== 'remove'), eds));
  }, []);
  const onSelectionChange = useCallback(({ nodes: n, edges: e }: OnSelectionChangeParams) => {
    // an object node is its channel: selected as an edge is
    useEditor.getState().select({ nodes: n.filter((x) => x.type === 'process').map((x) => x.id), edges: [...n.filter((x) => x.type === 'object').map((x) => x.id), ...e.map((x) => x.id)] });
  }, []);
  const onConnect = useCallback((c: Connection) => {
    const s = useEditor.getState().scenario;
    const linking = s.channels.some((x) => (x.id === c.source || x.id === c.target) && !edgeEnds(x));
    const id = useEditor.getState().connect(c.source, c.target);
    // a new channel asks for its mechanism where it was dropped; a new link to an object does not
    pendingChannel.current = linking ? null : id;
  }, []);
  const onConnectEnd = useCallback((e: MouseEvent | TouchEvent, _state: FinalConnectionState) => {
    const id = pendingChannel.current;
    pendingChannel.current = null;
    if (!id) return;
    const pt = 'changedTouches' in e ? e.changedTouches[0] : e;
    // pick the mechanism right where the edge was dropped
    useUi.getState().set({ menu: { kind: 'mechanism', channel: id, x: pt.clientX, y: pt.clientY } });
  }, []);

  const onDoubleClick = (e: React.MouseEvent) => {
    if (readOnly || present || !(e.target as HTMLElement).classList.contains('react-flow__pane')) return;
    const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    useEditor.getState().addProcess({ x: Math.round(at.x - NODE_W / 2), y: Math.round(at.y - 40) });
  };

  const miniColor = useMemo(() => (n: CanvasNode) => (n.selected ? 'var(--accent)' : n.type === 'object' ? 'var(--node-mini-object, var(--muted))' : 'var(--node-mini)'), []);

  return (
    <div className="canvas" data-testid="canvas" ref={canvasRef} onDoubleClick={onDoubleClick}>
      <MarkerDefs />
      <ReactFlow<CanvasNode, CanvasEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onSelectionChange={onSelectionChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={(c) => validConnection(useEditor.getState().scenario, c.source, c.target)}
        onDelete={({ nodes: n, edges: e }) => useEditor.getState().deleteItems(n.map((x) => x.id), e.map((x) => x.id))}
        onNodeDragStop={(_e, _node, dragged) => useEditor.getState().moveProcesses(Object.fromEntries(dragged.map((n) => [n.id, n.position])))}
        onNodeContextMenu={(e, node) => {
          e.preventDefault();
          if (readOnly) return;
          if (node.type === 'object') useEditor.getState().select({ nodes: [], edges: [node.id] });
          useUi.getState().set({ menu: node.type === 'object' ? { kind: 'object', id: node.id, x: e.clientX, y: e.clientY } : { kind: 'node', id: node.id, x: e.clientX, y: e.clientY } });
        }}
        onNodeDoubleClick={(_e, node) => {
          useEditor.getState().select({ nodes: [node.id], edges: [] });
          // on a narrow screen the side panel (its program) is a drawer: open it
          if (useLayout.getState().narrow) useLayout.getState().set({ drawer: true });
        }}
        onPaneClick={() => useUi.getState().set({ menu: null })}
        deleteKeyCode={locked ? null : DELETE_KEYS}
        nodesConnectable={!locked}
        nodesDraggable={!readOnly}
        elementsSelectable={!readOnly}
        zoomOnDoubleClick={false}
        colorMode={theme}
        minZoom={0.2}
        maxZoom={2.5}
        fitView
        fitViewOptions={fitOptions(compact, present)}
        attributionPosition="top-right"
      >
        <Background variant={BackgroundVariant.Dots} gap={22} size={1.4} />
        <MiniMap pannable zoomable nodeColor={miniColor} nodeStrokeWidth={2} ariaLabel="Overview of the drawing" style={{ width: 150, height: 96 }} />
        <Controls showInteractive={false} />
        <SignalArcs />
        <LabelSpacer />
        <FarView />
      </ReactFlow>
      {processes.length === 0 && !readOnly ? (
        <div className="canvas-empty">
          <p>Double-click here to add a process,</p>
          <p>then drag from its right dot to another process to connect them.</p>
        </div>
      ) : null}
    </div>
  );
}

export function GraphCanvas() {
  return (
    <ReactFlowProvider>
      <Canvas />
    </ReactFlowProvider>
  );
}
