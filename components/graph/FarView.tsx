'use client';
// A big drawing seen whole (16 processes and 32 objects at fit is about a third of their size)
// would have 4 px text. Below FAR_ZOOM, with many nodes, the nodes keep only what reads from
// afar, their name and state, drawn at a constant size on screen (app/globals.css, [data-far]).
import { useEffect } from 'react';
import { useStore } from '@xyflow/react';

const FAR_ZOOM = 0.6;
/** Fewer nodes than this fit a screen at a readable zoom (every gallery example does). */
const MANY = 12;

export function FarView() {
  const zoom = useStore((s) => s.transform[2]);
  const many = useStore((s) => s.nodeLookup.size >= MANY);
  const root = useStore((s) => s.domNode);
  useEffect(() => {
    if (!root) return;
    const far = many && zoom < FAR_ZOOM;
    if (far) {
      root.dataset.far = 'true';
      root.style.setProperty('--far', String(1 / zoom));
    } else {
      delete root.dataset.far;
      root.style.removeProperty('--far');
    }
  }, [root, zoom, many]);
  return null;
}
