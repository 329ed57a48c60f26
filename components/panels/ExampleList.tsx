'use client';
// The examples shipped with the playground (examples/*.json), one click to load (undoable).
import { useEffect, useState } from 'react';
import { scenarioFrom } from '../scenario/persistence';
import { useEditor } from '../store/editor';
import { useRun } from '../store/run';
import { useUi } from '../store/ui';

interface Entry {
  slug: string;
  title: string;
  description: string;
}

let cache: Entry[] | null = null;

export async function loadExample(slug: string): Promise<void> {
  const res = await fetch(`/api/examples/${encodeURIComponent(slug)}`);
  const s = res.ok ? scenarioFrom(await res.json()) : null;
  if (!s) {
    useRun.setState({ message: { text: `The example "${slug}" could not be loaded.`, tone: 'error' } });
    return;
  }
  useEditor.getState().load(s, { undoable: true });
  useUi.getState().fit();
}

export function ExampleList() {
  const [list, setList] = useState<Entry[] | null>(cache);
  const locked = useEditor((s) => s.locked);
  useEffect(() => {
    if (cache) return;
    fetch('/api/examples')
      .then((r) => (r.ok ? r.json() : []))
      .then((l: Entry[]) => setList((cache = l)))
      .catch(() => setList([]));
  }, []);
  if (!list?.length) return null;
  return (
    <div className="examples">
      <h3 className="inspector-sub">Examples</h3>
      <ul>
        {list.map((e) => (
          <li key={e.slug}>
            <button className="example" disabled={locked} title={e.description} onClick={() => void loadExample(e.slug)} data-testid={`example-${e.slug}`}>
              {e.title}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
