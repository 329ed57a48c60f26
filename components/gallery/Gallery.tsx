'use client';
// The gallery: every scenario of examples/ as a card (a sketch of its drawing, its title, its
// mechanisms, one line about it). A card opens the example on top of the current scenario,
// one Ctrl-Z away; each also has its own address, /examples/SLUG, to hand out in class.
import { useEffect, useMemo, useRef, useState } from 'react';
import { MECHANISMS, MECHANISM_IDS, type Family, type MechanismId } from '@/lib/mechanisms';
import { SCENARIO_VERSION, edgeEnds, type Scenario } from '@/lib/scenario';
import { NODE_H, NODE_W, OBJECT_H, OBJECT_W, autoLayout, needsLayout } from '../graph/layout';
import { MECHANISM_VIEWS } from '../mechanisms/registry';
import { openExample } from '../scenario/open';
import { useEditor } from '../store/editor';
import { useUi } from '../store/ui';
import type { ExampleEntry } from '@/lib/protocol';


let cache: ExampleEntry[] | null = null;
let pending: Promise<ExampleEntry[]> | null = null;

export function loadGallery(): Promise<ExampleEntry[]> {
  if (cache) return Promise.resolve(cache);
  pending ??= fetch('/api/examples')
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
    .then((l: ExampleEntry[]) => (cache = l))
    .finally(() => (pending = null));
  return pending;
}

/** The classic problems, shown first: the demos a class remembers. */
const CLASSICS = ['deadlock', 'bounded-buffer', 'pipeline', 'signal-ping-pong'];

const isMechanism = (m: string): m is MechanismId => (MECHANISM_IDS as readonly string[]).includes(m);

const FILTERS: { id: string; label: string; families: Family[] }[] = [
  { id: 'all', label: 'All', families: [] },
  { id: 'stream', label: 'Pipes & streams', families: ['stream'] },
  { id: 'message', label: 'Messages', families: ['message', 'datagram'] },
  { id: 'shm', label: 'Shared memory', families: ['shm'] },
  { id: 'semaphore', label: 'Semaphores', families: ['semaphore'] },
  { id: 'signal', label: 'Signals', families: ['signal'] },
  { id: 'file', label: 'Files & locks', families: ['file'] },
];

const SKETCH_H = NODE_H * 0.8;

/** A sketch of the drawing: boxes for processes, coloured curves for channels. */
function Sketch({ e }: { e: ExampleEntry }) {
  const { boxes, lines, objects, view } = useMemo(() => {
    const fake: Scenario = { version: SCENARIO_VERSION, title: '', description: '', processes: e.processes.map((p) => ({ ...p, program: '' })), channels: e.channels };
    const at: Record<string, { x: number; y: number }> = needsLayout(fake)
      ? autoLayout(fake)
      : Object.fromEntries([...e.processes, ...e.channels].flatMap((x) => (x.position ? [[x.id, x.position]] : [])));
    const H = SKETCH_H;
    // boxes narrower than the real nodes, centred on them: the channels get room to show
    const boxes = e.processes.map((p) => {
      const w = Math.max(170, Math.min(320, p.name.length * 31 + 70));
      const at0 = at[p.id] ?? { x: 0, y: 0 };
      return { id: p.id, name: p.name, x: at0.x + NODE_W / 2 - w / 2, y: at0.y, w };
    });
    const xs = boxes.flatMap((b) => [b.x, b.x + b.w]);
    const ys = boxes.flatMap((b) => [b.y, b.y + H]);
    const pad = 36;
    const minX = Math.min(...xs) - pad;
    const minY = Math.min(...ys) - pad;
    const w = Math.max(...xs) - minX + pad;
    const h = Math.max(...ys) - minY + pad;
    // keep a card-like aspect ratio: widen the shorter side
    const ratio = 2.45;
    const vw = Math.max(w, h * ratio);
    const vh = Math.max(h, w / ratio);
    const view = `${minX - (vw - w) / 2} ${minY - (vh - h) / 2} ${vw} ${vh}`;
    const seen = new Map<string, number>();
    const total = new Map<string, number>();
    const pairs = e.channels.flatMap((c) => {
      const ends = edgeEnds(c);
      return ends ? [{ ...c, ...ends }] : [];
    });
    for (const c of pairs) {
      const k = [c.from, c.to].sort().join('|');
      total.set(k, (total.get(k) ?? 0) + 1);
    }
    const center = (id: string) => {
      const b = boxes.find((x) => x.id === id);
      return b ? { x: b.x + b.w / 2, y: b.y + H / 2 } : { x: 0, y: 0 };
    };
    // objects of their own: a dot at their place, a straight line to each process linked to them
    const objects = e.channels
      .filter((c) => !edgeEnds(c))
      .map((c) => {
        const p = at[c.id] ?? { x: 0, y: 0 };
        const view = isMechanism(c.mechanism) ? MECHANISM_VIEWS[c.mechanism] : null;
        return { id: c.id, x: p.x + OBJECT_W / 2, y: p.y + OBJECT_H / 2, color: view?.color ?? 'var(--muted)', links: c.links.map((l) => center(l.process)) };
      });
    const lines = pairs.map((c, i) => {
      const k = [c.from, c.to].sort().join('|');
      const n = total.get(k) ?? 1;
      const j = seen.get(k) ?? 0;
      seen.set(k, j + 1);
      const a = center(c.from);
      const b = center(c.to);
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const len = Math.hypot(dx, dy) || 1;
      const off = (j - (n - 1) / 2) * 70 * (c.from < c.to ? 1 : -1);
      const mx = (a.x + b.x) / 2 - (dy / len) * off;
      const my = (a.y + b.y) / 2 + (dx / len) * off;
      const view = isMechanism(c.mechanism) ? MECHANISM_VIEWS[c.mechanism] : null;
      return { key: i, d: `M${a.x},${a.y} Q${mx},${my} ${b.x},${b.y}`, color: view?.color ?? 'var(--muted)', dashed: !!view?.dashed };
    });
    return { boxes, lines, objects, view };
  }, [e]);
  const H = SKETCH_H;
  return (
    <svg className="gcard-sketch" viewBox={view} preserveAspectRatio="xMidYMid meet" aria-hidden>
      {lines.map((l) => (
        <path key={l.key} d={l.d} fill="none" stroke={l.color} strokeWidth={14} strokeLinecap="round" strokeDasharray={l.dashed ? '26 22' : undefined} opacity={0.85} />
      ))}
      {objects.map((o) => (
        <g key={o.id}>
          {o.links.map((p, i) => (
            <path key={i} d={`M${o.x},${o.y} L${p.x},${p.y}`} stroke={o.color} strokeWidth={10} opacity={0.75} />
          ))}
        </g>
      ))}
      {boxes.map((b) => (
        <g key={b.id}>
          <rect x={b.x} y={b.y} width={b.w} height={H} rx={22} className="gcard-box" />
          <circle cx={b.x + 36} cy={b.y + H / 2} r={12} className="gcard-dot" />
          <text x={b.x + 58} y={b.y + H / 2 + 17} className="gcard-name">
            {b.name}
          </text>
        </g>
      ))}
      {objects.map((o) => (
        <circle key={o.id} cx={o.x} cy={o.y} r={34} fill={o.color} opacity={0.95} />
      ))}
    </svg>
  );
}

function Card({ e, disabled }: { e: ExampleEntry; disabled: boolean }) {
  return (
    <a
      className={`gcard ${disabled ? 'disabled' : ''}`}
      href={`/examples/${e.slug}`}
      data-testid={`gallery-card-${e.slug}`}
      aria-disabled={disabled}
      title={disabled ? 'Stop the run to open another scenario' : `Open “${e.title}”`}
      onClick={(ev) => {
        // a plain click opens it here (undoable); Ctrl/middle-click opens the address in a new tab
        if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
        ev.preventDefault();
        if (!disabled) void openExample(e.slug);
      }}
    >
      <div className="gcard-art">
        <Sketch e={e} />
      </div>
      <div className="gcard-body">
        <div className="gcard-mechs">
          {e.mechanisms.filter(isMechanism).map((m) => {
            const v = MECHANISM_VIEWS[m];
            return (
              <span key={m} className="gcard-mech" style={{ ['--m' as string]: v.color }} title={MECHANISMS[m].summary} data-mechanism={m}>
                <v.Icon size={13} />
                {v.short}
              </span>
            );
          })}
        </div>
        <h3 className="gcard-title">{e.title}</h3>
        <p className="gcard-desc">{e.description}</p>
        <div className="gcard-meta">
          <span>
            {e.processes.length} processes · {e.channels.length} channel{e.channels.length === 1 ? '' : 's'}
          </span>
          <span className="gcard-open" aria-hidden>
            Open →
          </span>
        </div>
      </div>
    </a>
  );
}

export function Gallery() {
  const open = useUi((s) => s.gallery);
  const locked = useEditor((s) => s.locked);
  const [list, setList] = useState<ExampleEntry[] | null>(cache);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('all');
  const [query, setQuery] = useState('');
  const search = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!open) return;
    loadGallery()
      .then(setList)
      .catch((e: Error) => setError(`The gallery could not be loaded (${e.message}).`));
    requestAnimationFrame(() => search.current?.focus({ preventScroll: true }));
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        useUi.getState().set({ gallery: false });
      }
    };
    window.addEventListener('keydown', key, true);
    return () => window.removeEventListener('keydown', key, true);
  }, [open]);
  if (!open) return null;
  const close = () => useUi.getState().set({ gallery: false });
  const families = FILTERS.find((f) => f.id === filter)?.families ?? [];
  const q = query.trim().toLowerCase();
  const shown = (list ?? []).filter(
    (e) =>
      (families.length === 0 || e.mechanisms.some((m) => isMechanism(m) && families.includes(MECHANISMS[m].family))) &&
      (!q || `${e.title} ${e.description} ${e.mechanisms.join(' ')} ${e.slug}`.toLowerCase().includes(q)),
  );
  return (
    <div className="overlay gallery-overlay" onClick={close} data-testid="gallery">
      <div className="gallery" role="dialog" aria-label="Gallery of scenarios" onClick={(e) => e.stopPropagation()}>
        <header className="gallery-head">
          <div>
            <h2>Gallery</h2>
            <p className="muted">
              {list ? `${list.length} scenarios` : 'Scenarios'}: the classic problems, then one mechanism at a time. Opening one keeps yours one <kbd>Ctrl</kbd>+<kbd>Z</kbd> away.
            </p>
          </div>
          <input ref={search} className="gallery-search" type="search" placeholder="Search: semaphore, deadlock…" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Search the gallery" data-testid="gallery-search" />
          <button className="btn ghost icon" onClick={close} aria-label="Close the gallery" data-testid="gallery-close">
            ✕
          </button>
        </header>
        <div className="gallery-filters" role="tablist" aria-label="Mechanism families">
          {FILTERS.map((f) => (
            <button key={f.id} role="tab" aria-selected={filter === f.id} className={`chip ${filter === f.id ? 'active' : ''}`} onClick={() => setFilter(f.id)}>
              {f.label}
            </button>
          ))}
        </div>
        {locked ? <p className="gallery-note">A run is going on: stop it to open another scenario.</p> : null}
        {error ? <p className="gallery-note bad">{error}</p> : null}
        <div className="gallery-grid" data-testid="gallery-grid">
          {list === null && !error ? <p className="muted pad">Loading…</p> : null}
          {[
            { title: 'Classic problems', items: CLASSICS.map((slug) => shown.find((e) => e.slug === slug)).filter((e): e is ExampleEntry => !!e) },
            { title: 'One mechanism at a time', items: shown.filter((e) => !CLASSICS.includes(e.slug)) },
          ].map((g) =>
            g.items.length ? (
              <section key={g.title} className="gallery-group" aria-label={g.title}>
                <h3>{g.title}</h3>
                <div className="gallery-cards">
                  {g.items.map((e) => (
                    <Card key={e.slug} e={e} disabled={locked} />
                  ))}
                </div>
              </section>
            ) : null,
          )}
          {list && shown.length === 0 ? <p className="muted pad">Nothing matches.</p> : null}
        </div>
      </div>
    </div>
  );
}
