'use client';
// Autosave: the scenario goes to localStorage shortly after every edit and when the page
// hides, so a reload (or a crash) loses nothing. Not while following someone else's session:
// their scenario is not the user's.
import { checkScenarioShape, type Scenario } from '@/lib/scenario';
import { useEditor } from '../store/editor';
import { readStored, writeStored } from './storage';

export const STORAGE_KEY = 'ipcpg.scenario.v1';

/** A scenario from JSON if its shape is usable (program errors are fine: the user fixes them). */
export function scenarioFrom(json: unknown): Scenario | null {
  const { scenario } = checkScenarioShape(json);
  return scenario ?? null;
}

export function loadSaved(): Scenario | null {
  try {
    const text = readStored('local', STORAGE_KEY);
    return text ? scenarioFrom(JSON.parse(text)) : null;
  } catch {
    return null;
  }
}

export function save(s: Scenario): void {
  // storage full or refused: the scenario stays in memory
  writeStored('local', STORAGE_KEY, JSON.stringify(s));
}

export function startAutosave(): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    save(useEditor.getState().scenario);
  };
  const unsub = useEditor.subscribe((st, prev) => {
    if (st.scenario === prev.scenario) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, 250);
  });
  window.addEventListener('pagehide', flush);
  return () => {
    unsub();
    window.removeEventListener('pagehide', flush);
    flush();
  };
}

/**
 * What the address asks to open on top of the saved scenario: an example (`/examples/SLUG`
 * or `?example=SLUG`) and/or a share link (`#s1.…`). The address is then cleaned to `/`, so a
 * reload keeps the user's edits instead of opening the same thing again.
 */
export function takeAddress(pathExample?: string): { example: string | null; fragment: string | null } {
  const params = new URLSearchParams(window.location.search);
  const example = pathExample ?? params.get('example');
  const fragment = window.location.hash.length > 1 ? window.location.hash.slice(1) : null;
  params.delete('example');
  const q = params.toString();
  const path = pathExample ? '/' : window.location.pathname;
  if (example || fragment || path !== window.location.pathname) window.history.replaceState(null, '', path + (q ? `?${q}` : ''));
  return { example, fragment };
}
