// The node and edge types of the canvas, registered by name (React Flow looks them up here).
import type { EdgeTypes, NodeTypes } from '@xyflow/react';
import { ChannelEdge } from './edges/ChannelEdge';
import { ForkEdge } from './edges/ForkEdge';
import { LinkEdge } from './edges/LinkEdge';
import { ForkedNode } from './nodes/ForkedNode';
import { ObjectNode } from './nodes/ObjectNode';
import { ProcessNode } from './nodes/ProcessNode';

export const nodeTypes: NodeTypes = { process: ProcessNode, object: ObjectNode, forked: ForkedNode };
export const edgeTypes: EdgeTypes = { channel: ChannelEdge, link: LinkEdge, fork: ForkEdge };
