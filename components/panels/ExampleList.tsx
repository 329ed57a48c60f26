'use client';
// The examples shipped with the playground (examples/*.json), one click to open (undoable),
// and the way to the gallery, where each has a card.
import { useEffect, useState } from 'react';
import type { ExampleEntry } from '@/lib/protocol';
import { loadGallery } from '../gallery/Gallery';
import { openExample } from '../scenario/open';
import { useEditor } from '../store/editor';
import { useUi } from '../store/ui';

export function ExampleList() {
  const [list, setList] = useState<ExampleEntry[] | null>(null);
  const locked = useEditor((s) => s.locked);
  useEffect(() => {
    loadGallery()
      .then(setList)
      .catch(() => setList([]));
  }, []);
  return (
    <div className="examples">
      <div className="examples-head">
        <h3 className="inspector-sub">Examples</h3>
        <button className="btn small" onClick={() => useUi.getState().set({ gallery: true })} data-testid="open-gallery-side">
          Open the gallery
        </button>
      </div>
      {list?.length ? (
        <ul>
          {list.map((e) => (
            <li key={e.slug}>
              <button className="example" disabled={locked} title={e.description} onClick={() => void openExample(e.slug)} data-testid={`example-${e.slug}`}>
                {e.title}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
