'use client';
// Keyboard shortcuts: one table, used both to handle keys and to list them in the help (?).
import { startSeries } from '../compare/SeriesButton';
import { useCompare } from '../store/compare';
import { useEditor } from '../store/editor';
import { useLayout } from '../store/layout';
import { useRun } from '../store/run';
import { useTimeline } from '../store/timeline';
import { useUi } from '../store/ui';

export interface Shortcut {
  keys: string[];
  label: string;
  /** Also when typing in a field or the program editor (which has its own undo). */
  inFields?: boolean;
  match(e: KeyboardEvent): boolean;
  run(): void;
}

const mod = (e: KeyboardEvent) => e.ctrlKey || e.metaKey;
const plain = (e: KeyboardEvent, key: string) => !mod(e) && !e.altKey && e.key.toLowerCase() === key;
const selectedProc = () => {
  const sel = useEditor.getState().selection;
  return sel.nodes.length === 1 ? sel.nodes[0] : undefined;
};

export const SHORTCUTS: Shortcut[] = [
  { keys: ['Ctrl', 'Enter'], label: 'Run', inFields: true, match: (e) => mod(e) && !e.shiftKey && e.key === 'Enter', run: () => void (useCompare.getState().active || useRun.getState().start()) },
  { keys: ['Ctrl', 'Shift', 'Enter'], label: 'Run 20 times and compare the outcomes', inFields: true, match: (e) => mod(e) && e.shiftKey && e.key === 'Enter', run: startSeries },
  { keys: ['Ctrl', '.'], label: 'Stop the run (and a series of runs)', inFields: true, match: (e) => mod(e) && e.key === '.', run: () => useCompare.getState().stop() },
  {
    keys: ['Space'],
    label: 'Pause / resume the run',
    match: (e) => e.key === ' ' && !mod(e),
    run: () => {
      const r = useRun.getState();
      if (r.status !== 'running') return;
      if (r.paused) r.resume();
      else r.pause();
    },
  },
  { keys: ['S'], label: 'Step (the selected process, or all)', match: (e) => plain(e, 's'), run: () => useRun.getState().step(selectedProc()) },
  { keys: [','], label: 'Timeline: one event back', match: (e) => plain(e, ','), run: () => useTimeline.getState().step(-1) },
  { keys: ['.'], label: 'Timeline: one event forward', match: (e) => plain(e, '.'), run: () => useTimeline.getState().step(1) },
  { keys: ['<'], label: 'Timeline: one event of the selected process back', match: (e) => !mod(e) && e.key === '<', run: () => useTimeline.getState().step(-1, selectedProc()) },
  { keys: ['>'], label: 'Timeline: one event of the selected process forward', match: (e) => !mod(e) && e.key === '>', run: () => useTimeline.getState().step(1, selectedProc()) },
  { keys: ['End'], label: 'Timeline: back to the live run (or the end)', match: (e) => e.key === 'End' && !mod(e), run: () => useTimeline.getState().toLive() },
  { keys: ['N'], label: 'New process', match: (e) => plain(e, 'n'), run: () => void useEditor.getState().addProcess() },
  { keys: ['Double-click'], label: 'New process where you click (on the canvas)', match: () => false, run: () => {} },
  { keys: ['Drag ●→●'], label: 'Connect two processes (from the right dot to the left dot)', match: () => false, run: () => {} },
  { keys: ['Del'], label: 'Delete the selection', match: () => false, run: () => {} },
  {
    keys: ['F2'],
    label: 'Rename the selected process',
    match: (e) => e.key === 'F2',
    run: () => {
      const id = selectedProc();
      if (id && !useEditor.getState().locked) useUi.getState().set({ renaming: id });
    },
  },
  { keys: ['Ctrl', 'Z'], label: 'Undo', match: (e) => mod(e) && !e.shiftKey && e.key.toLowerCase() === 'z', run: () => useEditor.getState().undo() },
  { keys: ['Ctrl', 'Shift', 'Z'], label: 'Redo', match: (e) => mod(e) && ((e.shiftKey && e.key.toLowerCase() === 'z') || e.key.toLowerCase() === 'y'), run: () => useEditor.getState().redo() },
  { keys: ['L'], label: 'Auto-layout', match: (e) => plain(e, 'l'), run: () => (useEditor.getState().layout(), useUi.getState().fit()) },
  { keys: ['P'], label: 'Show / hide the side panel', match: (e) => plain(e, 'p'), run: () => useLayout.getState().toggle('side') },
  { keys: ['D'], label: 'Show / hide the dock (terminals, objects, trace)', match: (e) => plain(e, 'd'), run: () => useLayout.getState().toggle('dock') },
  { keys: ['M'], label: 'Presentation mode', match: (e) => plain(e, 'm'), run: () => useLayout.getState().setPresent(!useLayout.getState().present) },
  { keys: ['F'], label: 'Fit the drawing to the screen', match: (e) => plain(e, 'f'), run: () => useUi.getState().fit() },
  { keys: ['T'], label: 'Light / dark theme', match: (e) => plain(e, 't'), run: () => useUi.getState().setTheme(useUi.getState().theme === 'dark' ? 'light' : 'dark') },
  { keys: ['G'], label: 'Gallery of scenarios', match: (e) => plain(e, 'g'), run: () => useUi.getState().set({ gallery: !useUi.getState().gallery }) },
  { keys: ['R'], label: 'Language reference', match: (e) => plain(e, 'r'), run: () => useUi.getState().set({ docs: !useUi.getState().docs }) },
  { keys: ['?'], label: 'This help', match: (e) => e.key === '?', run: () => useUi.getState().set({ help: !useUi.getState().help }) },
  {
    keys: ['Esc'],
    label: 'Close menus and panels, clear the selection',
    match: (e) => e.key === 'Escape',
    run: () => {
      const ui = useUi.getState();
      if (ui.menu || ui.help || ui.docs || ui.gallery || ui.share) ui.set({ menu: null, help: false, docs: false, gallery: false, share: false });
      else useEditor.getState().select({ nodes: [], edges: [] });
    },
  },
];

function inField(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  return t.isContentEditable || t.closest('input, textarea, select, .cm-editor') !== null;
}

export function onShortcutKey(e: KeyboardEvent): void {
  if (e.defaultPrevented) return;
  const typing = inField(e.target);
  for (const s of SHORTCUTS) {
    if (!s.match(e)) continue;
    if (typing && !s.inFields) return;
    // buttons keep Space and Enter for themselves
    if (e.key === ' ' && e.target instanceof HTMLButtonElement) return;
    e.preventDefault();
    s.run();
    return;
  }
}
