'use client';
// Process output for the terminals, outside React state: a flood of stdout must not
// re-render anything. Each process keeps a bounded buffer (for a terminal mounted later,
// or re-mounted after a theme change) and the mounted terminal is told of new text.
// Output is sanitized on the way in (lib/terminal.ts): whatever reads it (the xterm of a
// presenter or a follower, a copy) never gets a link, a title or a mode switch from a program.

import { sanitizeTerminal } from '@/lib/terminal';

export interface Chunk {
  text: string;
  err: boolean;
  /** A remark of the playground's (an output limit, a failure), not the process's output. */
  note?: boolean;
}
type Listener = (c: Chunk | 'reset') => void;

/** Characters kept per process; older output is dropped with a marker. */
const KEEP = 512 * 1024;

const buffers = new Map<string, { chunks: Chunk[]; size: number; dropped: boolean }>();
const listeners = new Map<string, Set<Listener>>();

export const terminalBus = {
  reset(): void {
    buffers.clear();
    for (const set of listeners.values()) for (const l of set) l('reset');
  },
  write(proc: string, raw: string, err: boolean, note = false): void {
    if (!raw) return;
    const text = sanitizeTerminal(raw);
    let b = buffers.get(proc);
    if (!b) buffers.set(proc, (b = { chunks: [], size: 0, dropped: false }));
    const c: Chunk = note ? { text, err, note } : { text, err };
    b.chunks.push(c);
    b.size += text.length;
    while (b.size > KEEP && b.chunks.length > 1) {
      b.size -= b.chunks.shift()!.text.length;
      b.dropped = true;
    }
    for (const l of listeners.get(proc) ?? []) l(c);
  },
  /** What a newly mounted terminal shows first. */
  history(proc: string): { chunks: Chunk[]; dropped: boolean } {
    const b = buffers.get(proc);
    return { chunks: b ? [...b.chunks] : [], dropped: b?.dropped ?? false };
  },
  subscribe(proc: string, l: Listener): () => void {
    let set = listeners.get(proc);
    if (!set) listeners.set(proc, (set = new Set()));
    set.add(l);
    return () => set!.delete(l);
  },
  /** Everything a process printed (for copy, and for tests that cannot read the canvas). */
  text(proc: string): string {
    return (buffers.get(proc)?.chunks ?? []).map((c) => c.text).join('');
  },
};
