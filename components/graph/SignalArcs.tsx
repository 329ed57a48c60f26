'use client';
// `signal PROCESS SIG` needs no channel: such signals fly as a bolt straight from the sender
// to the receiver, drawn above the edges for a moment.
import { ViewportPortal, useReactFlow } from '@xyflow/react';
import { useEffect, useRef, useState } from 'react';
import { useRun } from '../store/run';
import type { SignalArc } from '../run/live';

interface Flying extends SignalArc {
  path: string;
}

export function SignalArcs() {
  const arcs = useRun((s) => s.arcs);
  const { getInternalNode } = useReactFlow();
  const seen = useRef(0);
  const [flying, setFlying] = useState<Flying[]>([]);
  useEffect(() => {
    const fresh = arcs.filter((a) => a.seq > seen.current);
    if (!fresh.length) return;
    seen.current = Math.max(...fresh.map((a) => a.seq));
    const add: Flying[] = [];
    for (const a of fresh) {
      const s = getInternalNode(a.from);
      const t = getInternalNode(a.to);
      if (!s || !t) continue;
      const c = (n: typeof s) => [n.internals.positionAbsolute.x + (n.measured.width ?? 0) / 2, n.internals.positionAbsolute.y + (n.measured.height ?? 0) / 2];
      const [sx, sy] = c(s);
      const [tx, ty] = c(t);
      // arc over the straight line so it does not hide an edge drawn there
      const mx = (sx + tx) / 2 - (ty - sy) * 0.25;
      const my = (sy + ty) / 2 + (tx - sx) * 0.25;
      add.push({ ...a, path: `M ${sx},${sy} Q ${mx},${my} ${tx},${ty}` });
    }
    setFlying((f) => [...f, ...add].slice(-8));
  }, [arcs, getInternalNode]);
  if (!flying.length) return null;
  return (
    <ViewportPortal>
      {flying.map((a) => (
        <div key={a.seq} className="packet packet-bolt packet-arc" style={{ offsetPath: `path("${a.path}")` }} onAnimationEnd={() => setFlying((f) => f.filter((x) => x.seq !== a.seq))} aria-hidden>
          ⚡<span className="packet-n">{a.signal}</span>
        </div>
      ))}
    </ViewportPortal>
  );
}
