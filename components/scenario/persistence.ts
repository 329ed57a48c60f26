'use client';
// Autosave: the scenario goes to localStorage shortly after every edit and when the page
// hides, so a reload (or a crash) loses nothing. `?example=SLUG` loads a gallery scenario.
import { checkScenarioShape, type Scenario } from '@/lib/scenario';
import { useEditor } from '../store/editor';

export const STORAGE_KEY = 'ipcpg.scenario.v1';

/** A scenario from JSON if its shape is usable (program errors are fine: the user fixes them). */
export function scenarioFrom(json: unknown): Scenario | null {
  const { scenario } = checkScenarioShape(json);
  return scenario ?? null;
}

export function loadSaved(): Scenario | null {
  try {
    const text = localStorage.getItem(STORAGE_KEY);
    return text ? scenarioFrom(JSON.parse(text)) : null;
  } catch {
    return null;
  }
}

export function save(s: Scenario): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(s));
  } catch {
    // storage full or disabled: the scenario stays in memory
  }
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
 * The scenarios to start with: the saved one (or null), and the example named by
 * `?example=SLUG` if any (loaded on top, as an undoable step, so the saved work is one
 * Ctrl-Z away).
 */
export async function initialScenarios(): Promise<{ saved: Scenario | null; example: Scenario | null; notice?: string }> {
  const saved = loadSaved();
  const params = new URLSearchParams(window.location.search);
  const slug = params.get('example');
  if (!slug) return { saved, example: null };
  // drop the parameter, so a reload keeps the user's edits instead of reloading the example
  params.delete('example');
  const q = params.toString();
  window.history.replaceState(null, '', window.location.pathname + (q ? `?${q}` : '') + window.location.hash);
  try {
    const res = await fetch(`/api/examples/${encodeURIComponent(slug)}`);
    if (!res.ok) return { saved, example: null, notice: `There is no example named "${slug}".` };
    const example = scenarioFrom(await res.json());
    return example ? { saved, example } : { saved, example: null, notice: `The example "${slug}" could not be read.` };
  } catch {
    return { saved, example: null, notice: `The example "${slug}" could not be loaded.` };
  }
}
