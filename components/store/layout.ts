'use client';
// How the screen is shared between the graph, the side panel and the dock: their sizes
// and which are shown, remembered across visits. Two arrangements follow the screen, not a
// preference: below NARROW the side panel is a drawer over the graph (closed until asked
// for), so a 1024-wide projector gives the graph the whole width; on a COMPACT screen (a
// projector at 150 %, a phone) the bars take one row and the dock shows its terminals or
// its tabs, one at a time.
import { create } from 'zustand';
import { readStored, writeStored } from '../scenario/storage';
import { useUi } from './ui';

export type Pane = 'graph' | 'side' | 'dock';

export const NARROW = '(max-width: 1100px)';
export const COMPACT = '(max-width: 760px), (max-height: 600px)';

const KEY = 'ipcpg.layout';
export const SIDE_MIN = 260;
export const DOCK_MIN = 120;

interface Saved {
  /** Side panel width and dock height in px; null: the stylesheet's default. */
  sideW: number | null;
  dockH: number | null;
  hidden: Record<Pane, boolean>;
}

interface LayoutState extends Saved {
  narrow: boolean;
  compact: boolean;
  /** Narrow screens: the side panel's drawer is open. */
  drawer: boolean;
  /** Compact screens: the dock shows the terminals, or the tabs (objects, trace...). */
  dockPane: 'terminals' | 'tabs';
  /** Presentation mode: large type, high contrast, no editing chrome (`?present=1`). */
  present: boolean;

  toggle(pane: Pane): void;
  resize(p: { sideW?: number | null; dockH?: number | null }): void;
  set(p: Partial<Pick<LayoutState, 'drawer' | 'dockPane'>>): void;
  setPresent(on: boolean): void;
}

const DEFAULTS: Saved = { sideW: null, dockH: null, hidden: { graph: false, side: false, dock: false } };

function load(): Saved {
  try {
    const s = JSON.parse(readStored('local', KEY) ?? '{}') as Partial<Saved>;
    const size = (v: unknown) => (typeof v === 'number' && v > 0 ? v : null);
    const h = (s.hidden ?? {}) as Partial<Record<Pane, unknown>>;
    return { sideW: size(s.sideW), dockH: size(s.dockH), hidden: { graph: h.graph === true, side: h.side === true, dock: h.dock === true } };
  } catch {
    return DEFAULTS;
  }
}

function save(s: Saved): void {
  writeStored('local', KEY, JSON.stringify({ sideW: s.sideW, dockH: s.dockH, hidden: s.hidden }));
}

export const useLayout = create<LayoutState>()((set, get) => ({
  ...DEFAULTS,
  narrow: false,
  compact: false,
  drawer: false,
  dockPane: 'terminals',
  present: false,
  toggle(pane) {
    const st = get();
    if (pane === 'side' && (st.narrow || st.present)) {
      set({ drawer: !st.drawer });
      return;
    }
    const hidden = { ...st.hidden, [pane]: !st.hidden[pane] };
    // the workspace never goes empty: hiding the graph brings the side panel back, and back
    if (hidden.graph && hidden.side) hidden[pane === 'graph' ? 'side' : 'graph'] = false;
    set({ hidden });
    save(get());
    useUi.getState().fit();
  },
  resize(p) {
    set(p);
    save(get());
  },
  set: (p) => set(p),
  setPresent(present) {
    set({ present, drawer: false });
    // the address says it, so a reload (or the link handed to the room's PC) stays presenting
    const url = new URL(window.location.href);
    if (present) url.searchParams.set('present', '1');
    else url.searchParams.delete('present');
    window.history.replaceState(window.history.state, '', url);
    useUi.getState().fit();
  },
}));

/** Loads the saved layout and follows the screen's size. Call once, on the client. */
export function startLayout(): () => void {
  useLayout.setState({ ...load(), present: new URLSearchParams(window.location.search).get('present') === '1' });
  const narrow = window.matchMedia(NARROW);
  const compact = window.matchMedia(COMPACT);
  const follow = () => {
    useLayout.setState({ narrow: narrow.matches, compact: compact.matches, drawer: false });
    useUi.getState().fit();
  };
  useLayout.setState({ narrow: narrow.matches, compact: compact.matches });
  narrow.addEventListener('change', follow);
  compact.addEventListener('change', follow);
  return () => {
    narrow.removeEventListener('change', follow);
    compact.removeEventListener('change', follow);
  };
}
