// The node and edge types of the canvas, registered by name (React Flow looks them up here).
import type { EdgeTypes, NodeTypes } from '@xyflow/react';
import { ChannelEdge } from './edges/ChannelEdge';
import { ProcessNode } from './nodes/ProcessNode';

export const nodeTypes: NodeTypes = { process: ProcessNode };
export const edgeTypes: EdgeTypes = { channel: ChannelEdge };
