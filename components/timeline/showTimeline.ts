'use client';
// The Timeline tab to the front, with room: a sequence diagram needs height, so a short dock grows.
import { useLayout } from '../store/layout';
import { useUi } from '../store/ui';

export function showTimelineTab(): void {
  useUi.getState().set({ dockTab: 'timeline' });
  const dock = document.querySelector<HTMLElement>('.dock')?.offsetHeight ?? 0;
  if (dock < window.innerHeight * 0.45) useLayout.getState().resize({ dockH: Math.round(window.innerHeight * 0.55) });
}
