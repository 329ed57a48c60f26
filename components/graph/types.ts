// The node and edge types of the canvas, registered by name (React Flow looks them up here).
import type { EdgeTypes, NodeTypes } from '@xyflow/react';
import { ChannelEdge } from './edges/ChannelEdge';
import { LinkEdge } from './edges/LinkEdge';
import { ObjectNode } from './nodes/ObjectNode';
import { ProcessNode } from './nodes/ProcessNode';

export const nodeTypes: NodeTypes = { process: ProcessNode, object: ObjectNode };
export const edgeTypes: EdgeTypes = { channel: ChannelEdge, link: LinkEdge };
