// Fitting the drawing to the canvas. React Flow's own fit sees only the nodes, but the
// channel labels of bowed edges stand well outside them (the bounded buffer's mutex and
// shared-memory labels were cut off): this fit takes the labels in too.
import type { ReactFlowInstance, Rect } from '@xyflow/react';

/** The least zoom of an overview of a large drawing. */
const OVERVIEW_MIN_ZOOM = 0.3;

export interface FitOptions {
  padding: number;
  minZoom: number;
  maxZoom: number;
  duration?: number;
}

/** The drawing's bounds in flow coordinates: nodes, and the labels as drawn now. */
function drawingBounds(flow: ReactFlowInstance, canvas: HTMLElement): Rect | null {
  const nodes = flow.getNodes();
  if (!nodes.length) return null;
  const b = flow.getNodesBounds(nodes);
  let [x0, y0, x1, y1] = [b.x, b.y, b.x + b.width, b.y + b.height];
  for (const el of canvas.querySelectorAll<HTMLElement>('.clabel')) {
    const r = el.getBoundingClientRect();
    const a = flow.screenToFlowPosition({ x: r.left, y: r.top });
    const z = flow.screenToFlowPosition({ x: r.right, y: r.bottom });
    [x0, y0, x1, y1] = [Math.min(x0, a.x), Math.min(y0, a.y), Math.max(x1, z.x), Math.max(y1, z.y)];
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

export function fitDrawing(flow: ReactFlowInstance, canvas: HTMLElement, o: FitOptions): void {
  const b = drawingBounds(flow, canvas);
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  if (!b || !w || !h) return;
  const fits = Math.min(w / (b.width * (1 + 2 * o.padding)), h / (b.height * (1 + 2 * o.padding)));
  // a drawing a little too big stays readable and is panned; one far too big (16 processes and
  // 32 objects) is shown whole, as an overview to zoom into, rather than as a corner of it
  const overview = fits < o.minZoom / 2;
  const zoom = overview ? Math.max(OVERVIEW_MIN_ZOOM, fits) : Math.max(o.minZoom, Math.min(o.maxZoom, fits));
  void flow.setViewport({ x: w / 2 - (b.x + b.width / 2) * zoom, y: h / 2 - (b.y + b.height / 2) * zoom, zoom }, { duration: o.duration });
}
