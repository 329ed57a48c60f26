'use client';
// A handle between two panes: drag it (or focus it and use the arrow keys) to resize,
// double-click to go back to the default size. `size` maps the pointer to the new size.
import { useEffect, useRef, useState } from 'react';
import { useUi } from '../store/ui';

const STEP = 24;

interface SplitterProps {
  /** 'vertical': a vertical bar resizing widths; 'horizontal': a bar resizing heights. */
  orientation: 'vertical' | 'horizontal';
  label: string;
  value: number | null;
  min: number;
  max: () => number;
  /** The size the pane takes with the pointer at (x, y). */
  size: (x: number, y: number) => number;
  /** The pane's current size on screen, when `value` is the default. */
  current: () => number;
  /** Arrow keys: which way makes the pane bigger. */
  grow: 'ArrowLeft' | 'ArrowUp';
  onResize: (px: number | null) => void;
  testId: string;
}

export function Splitter({ orientation, label, value, min, max, size, current, grow, onResize, testId }: SplitterProps) {
  const dragging = useRef(false);
  // sizes on screen are only known in the browser (the page is also rendered on the server)
  const [screen, setScreen] = useState({ now: min, max: min });
  useEffect(() => setScreen({ now: current(), max: max() }), [value, current, max]);
  const clamp = (px: number) => Math.round(Math.max(min, Math.min(max(), px)));
  const shrink = grow === 'ArrowLeft' ? 'ArrowRight' : 'ArrowDown';
  return (
    <div
      className={`splitter splitter-${orientation}`}
      role="separator"
      aria-orientation={orientation}
      aria-label={label}
      aria-valuenow={Math.round(value ?? screen.now)}
      aria-valuemin={min}
      aria-valuemax={Math.round(screen.max)}
      tabIndex={0}
      data-testid={testId}
      title={`${label}: drag, or arrow keys; double-click for the default`}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        dragging.current = true;
      }}
      onPointerMove={(e) => {
        if (dragging.current) onResize(clamp(size(e.clientX, e.clientY)));
      }}
      onPointerUp={() => {
        dragging.current = false;
        useUi.getState().fit();
      }}
      onDoubleClick={() => (onResize(null), useUi.getState().fit())}
      onKeyDown={(e) => {
        if (e.key !== grow && e.key !== shrink) return;
        e.preventDefault();
        onResize(clamp((value ?? current()) + (e.key === grow ? STEP : -STEP)));
      }}
    />
  );
}
