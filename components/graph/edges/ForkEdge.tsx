'use client';
// From a process to a child it forked: a dashed line labelled fork(), as the textbooks draw it.

import { BaseEdge, EdgeLabelRenderer, useInternalNode, type Edge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { useRun } from '../../store/run';
import { edgeGeometry } from '../geometry';

export type ForkEdgeType = Edge<Record<string, never>, 'fork'>;

function ForkEdgeView({ id, source, target }: EdgeProps<ForkEdgeType>) {
  const s = useInternalNode(source);
  const t = useInternalNode(target);
  const gone = useRun((st) => !!st.procs[target]?.reapedBy);
  if (!s || !t) return null;
  const g = edgeGeometry(s, t, 0);
  return (
    <>
      <BaseEdge id={id} path={g.path} className={`fork-edge ${gone ? 'reaped' : ''}`} />
      <EdgeLabelRenderer>
        <div className={`fork-label ${gone ? 'reaped' : ''}`} style={{ transform: `translate(-50%, -50%) translate(${g.labelX}px, ${g.labelY}px)` }} aria-hidden>
          fork()
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

export const ForkEdge = memo(ForkEdgeView);
