'use client';
// The one door to Web Storage. A browser may refuse it outright: in a third-party iframe
// with storage blocked, merely reading `window.localStorage` throws, and so can any call
// (quota, private mode). Every read and write here falls back to memory, so the page works
// the same for the life of the tab and only forgets across reloads.

export type StorageArea = 'local' | 'session';

const memory: Record<StorageArea, Map<string, string>> = { local: new Map(), session: new Map() };

function area(which: StorageArea): Storage | null {
  try {
    return which === 'local' ? window.localStorage : window.sessionStorage;
  } catch {
    return null;
  }
}

/** The stored value, or null; what could not be stored this session is read from memory. */
export function readStored(which: StorageArea, key: string): string | null {
  const kept = memory[which].get(key);
  if (kept !== undefined) return kept;
  try {
    return area(which)?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

export function writeStored(which: StorageArea, key: string, value: string): void {
  try {
    const s = area(which);
    if (s) {
      s.setItem(key, value);
      memory[which].delete(key);
      return;
    }
  } catch {
    // full or refused: kept in memory below
  }
  memory[which].set(key, value);
}

export function forgetStored(which: StorageArea, key: string): void {
  memory[which].delete(key);
  try {
    area(which)?.removeItem(key);
  } catch {
    // nothing stored there to forget
  }
}
