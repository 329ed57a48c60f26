'use client';
// The language reference (docs/language.md, served by /api/docs/language), one click away.
import { useEffect, useRef, useState } from 'react';
import { Markdown } from '../docs/Markdown';
import { useUi } from '../store/ui';

let cached: string | null = null;

export function DocsDrawer() {
  const open = useUi((s) => s.docs);
  const [text, setText] = useState<string | null>(cached);
  const [error, setError] = useState(false);
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open || cached) return;
    fetch('/api/docs/language')
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error(String(r.status)))))
      .then((t) => setText((cached = t)))
      .catch(() => setError(true));
  }, [open]);
  if (!open) return null;
  return (
    <aside className="docs-drawer" role="dialog" aria-label="Language reference" data-testid="docs">
      <div className="docs-bar">
        <b>Language reference</b>
        <button className="btn ghost icon" onClick={() => useUi.getState().set({ docs: false })} aria-label="Close the reference">
          ✕
        </button>
      </div>
      <div
        className="docs-body md"
        ref={body}
        onClick={(e) => {
          // in-page links scroll the drawer, not the app
          const a = (e.target as HTMLElement).closest('a');
          const href = a?.getAttribute('href');
          if (!href?.startsWith('#')) return;
          e.preventDefault();
          body.current?.querySelector(`[id="${CSS.escape(href.slice(1))}"]`)?.scrollIntoView({ behavior: 'smooth', block: 'start' });
        }}
      >
        {text ? <Markdown source={text} /> : error ? <p>The reference could not be loaded.</p> : <p className="muted">Loading…</p>}
      </div>
    </aside>
  );
}
