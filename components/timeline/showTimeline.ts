'use client';
// The Timeline tab to the front, with room: a sequence diagram needs height, so a short dock grows.
import { useLayout } from '../store/layout';
import { useUi } from '../store/ui';

/** A dock shorter than about half the window grows to 55 % of it (a timeline, the outcomes of a series). */
export function giveDockRoom(): void {
  const dock = document.querySelector<HTMLElement>('.dock')?.offsetHeight ?? 0;
  if (dock < window.innerHeight * 0.45) useLayout.getState().resize({ dockH: Math.round(window.innerHeight * 0.55) });
}

export function showTimelineTab(): void {
  useUi.getState().set({ dockTab: 'timeline' });
  giveDockRoom();
}
