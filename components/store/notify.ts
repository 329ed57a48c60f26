'use client';
// Messages that are not the run's: a toast that fades ("Opened X — Ctrl-Z brings back your
// scenario", "Link copied") and one banner that stays until dismissed (a broken share link,
// a file that is not a scenario). Neither ever replaces the user's work.
import { create } from 'zustand';

export interface Toast {
  id: number;
  text: string;
  tone: 'info' | 'ok' | 'error';
  /** One button on the toast (e.g. Undo). */
  action?: { label: string; run: () => void };
  /** A testid for end-to-end tests. */
  kind?: string;
}

export interface Banner {
  title: string;
  text: string;
  /** Why, in one word (the share decoder's reason), for styling and tests. */
  reason?: string;
  /** Places and messages, listed under the text. */
  details?: string[];
}

interface NotifyState {
  toasts: Toast[];
  banner: Banner | null;
  toast(t: Omit<Toast, 'id'>, ms?: number): void;
  dismissToast(id: number): void;
  /** Takes away the toasts of one kind (an "Opened X" once a run starts: it would cover the graph). */
  dismissKind(kind: string): void;
  showBanner(b: Banner): void;
  dismissBanner(): void;
}

let seq = 0;

export const useNotify = create<NotifyState>()((set, get) => ({
  toasts: [],
  banner: null,
  toast(t, ms = 7000) {
    const id = ++seq;
    // the same kind of toast replaces the previous one rather than stacking up
    set({ toasts: [...get().toasts.filter((x) => !t.kind || x.kind !== t.kind).slice(-2), { ...t, id }] });
    setTimeout(() => get().dismissToast(id), ms);
  },
  dismissToast(id) {
    if (get().toasts.some((t) => t.id === id)) set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
  dismissKind(kind) {
    if (get().toasts.some((t) => t.kind === kind)) set({ toasts: get().toasts.filter((t) => t.kind !== kind) });
  },
  showBanner(b) {
    set({ banner: b });
  },
  dismissBanner() {
    set({ banner: null });
  },
}));
