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
import { MECHANISMS } from '@/lib/mechanisms';
import { useEditor } from '../store/editor';
import { useLayout } from '../store/layout';
import { useUi } from '../store/ui';
import type { ChannelEdgeType } from './edges/ChannelEdge';
import { fitDrawing } from './fit';
import { parallelBends } from './geometry';
import { NODE_W } from './layout';
import { LabelSpacer } from './LabelSpacer';
import { MarkerDefs } from './MarkerDefs';
import type { ProcessNodeType } from './nodes/ProcessNode';
import { SignalArcs } from './SignalArcs';
import { edgeTypes, nodeTypes } from './types';

const DELETE_KEYS = ['Delete', 'Backspace'];

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
  const [nodes, setNodes] = useState<ProcessNodeType[]>([]);
  const [edges, setEdges] = useState<ChannelEdgeType[]>([]);
  const flow = useReactFlow();
  const initialized = useNodesInitialized();
  const pendingChannel = useRef<string | null>(null);
  const pendingFit = useRef(true);
  const canvasRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    setNodes((prev) => {
      const byId = new Map(prev.map((n) => [n.id, n]));
      return processes.map((p) => {
        const old = byId.get(p.id);
        const position = p.position ?? { x: 0, y: 0 };
        const selected = selection.nodes.includes(p.id);
        if (old && (old.dragging || (old.position.x === position.x && old.position.y === position.y)) && !!old.selected === selected) return old;
        return { ...old, id: p.id, type: 'process' as const, position: old?.dragging ? old.position : position, data: old?.data ?? { id: p.id }, selected };
      });
    });
  }, [processes, selection.nodes]);

  useEffect(() => {
    const bends = parallelBends(channels);
    const name = (id: string) => processes.find((p) => p.id === id)?.name ?? id;
    setEdges((prev) => {
      const byId = new Map(prev.map((e) => [e.id, e]));
      return channels.map((c) => {
        const old = byId.get(c.id);
        const bend = bends.get(c.id) ?? 0;
        const selected = selection.edges.includes(c.id);
        // what a screen reader says when Tab reaches the channel
        const ariaLabel = `${MECHANISMS[c.mechanism].name} ${c.label ?? c.id} from ${name(c.from)} to ${name(c.to)}`;
        if (old && old.source === c.from && old.target === c.to && old.data?.bend === bend && !!old.selected === selected && old.ariaLabel === ariaLabel) return old;
        return { ...old, id: c.id, type: 'channel' as const, source: c.from, target: c.to, data: { bend }, selected, ariaLabel };
      });
    });
  }, [channels, processes, selection.edges]);

  useEffect(() => {
    pendingFit.current = true;
  }, [fitSeq]);
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

  const onNodesChange = useCallback((changes: NodeChange<ProcessNodeType>[]) => {
    // removals go through onDelete, as one undoable edit of the scenario
    setNodes((nds) => applyNodeChanges(changes.filter((c) => c.type !== 'remove'), nds));
  }, []);
  const onEdgesChange = useCallback((changes: EdgeChange<ChannelEdgeType>[]) => {
    setEdges((eds) => applyEdgeChanges(changes.filter((c) => c.type !== 'remove'), eds));
  }, []);
  const onSelectionChange = useCallback(({ nodes: n, edges: e }: OnSelectionChangeParams) => {
    useEditor.getState().select({ nodes: n.map((x) => x.id), edges: e.map((x) => x.id) });
  }, []);
  const onConnect = useCallback((c: Connection) => {
    pendingChannel.current = useEditor.getState().connect(c.source, c.target);
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

  const miniColor = useMemo(() => (n: ProcessNodeType) => (n.selected ? 'var(--accent)' : 'var(--node-mini)'), []);

  return (
    <div className="canvas" data-testid="canvas" ref={canvasRef} onDoubleClick={onDoubleClick}>
      <MarkerDefs />
      <ReactFlow<ProcessNodeType, ChannelEdgeType>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onSelectionChange={onSelectionChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={(c) => c.source !== c.target}
        onDelete={({ nodes: n, edges: e }) => useEditor.getState().deleteItems(n.map((x) => x.id), e.map((x) => x.id))}
        onNodeDragStop={(_e, _node, dragged) => useEditor.getState().moveProcesses(Object.fromEntries(dragged.map((n) => [n.id, n.position])))}
        onNodeContextMenu={(e, node) => {
          e.preventDefault();
          if (readOnly) return;
          useUi.getState().set({ menu: { kind: 'node', id: node.id, x: e.clientX, y: e.clientY } });
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
