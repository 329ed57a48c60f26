'use client';
// View state that is neither the scenario nor the run: theme, overlays, menus, tabs.
import { create } from 'zustand';
import { writeStored } from '../scenario/storage';

export type Theme = 'light' | 'dark';
export type DockTab = 'trace' | 'objects' | 'timeline' | 'compare' | 'summary' | 'problems';
export type InspectorTab = 'program' | 'c';

export type Menu =
  | { kind: 'node'; id: string; x: number; y: number }
  | { kind: 'mechanism'; channel: string; x: number; y: number }
  /** An object's menu: link processes to it from the keyboard, draw it as an edge, delete it. */
  | { kind: 'object'; id: string; x: number; y: number }
  /** The mechanism of a new object drawn on its own. */
  | { kind: 'add-object'; x: number; y: number };

interface UiState {
  theme: Theme;
  help: boolean;
  docs: boolean;
  /** The section of the reference to show when it opens (a heading id). */
  docsAnchor: string | null;
  menu: Menu | null;
  dockTab: DockTab;
  /** Process whose name is being edited in place on its node. */
  renaming: string | null;
  /** Ask the program editor to show a place (an error): bumps `seq` to repeat the same place. */
  jump: { proc: string; line: number; col: number; seq: number } | null;
  /** Ask the canvas to fit the view (after a layout or a load). */
  fitSeq: number;
  /** The gallery of examples, over the page. */
  gallery: boolean;
  /** The share panel (link, live, file), under its button. */
  share: boolean;
  /** A selected process shows its program or the C behind it. */
  inspectorTab: InspectorTab;

  setTheme(t: Theme): void;
  set(p: Partial<Omit<UiState, 'setTheme' | 'set' | 'jumpTo' | 'fit'>>): void;
  jumpTo(proc: string, line: number, col: number): void;
  fit(): void;
}

export const useUi = create<UiState>()((set, get) => ({
  theme: 'light',
  help: false,
  docs: false,
  docsAnchor: null,
  menu: null,
  dockTab: 'objects',
  renaming: null,
  jump: null,
  fitSeq: 0,
  gallery: false,
  share: false,
  inspectorTab: 'program',
  setTheme(theme) {
    set({ theme });
    document.documentElement.dataset.theme = theme;
    writeStored('local', 'ipcpg.theme', theme);
  },
  set: (p) => set(p),
  jumpTo(proc, line, col) {
    set({ jump: { proc, line, col, seq: (get().jump?.seq ?? 0) + 1 }, inspectorTab: 'program' });
  },
  fit() {
    set({ fitSeq: get().fitSeq + 1 });
  },
}));
