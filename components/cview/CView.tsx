'use client';
// "The C behind it": the selected process as C (lib/cgen), the real calls the playground
// makes for it, each program line under its own comment. The statement running now is lit
// up. Copy the process's C, or download the whole file (main() makes the objects, forks one
// child per process, waits and cleans up): it compiles with cc -Wall -Werror.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { GeneratedC } from '@/lib/cgen';
import type { Scenario } from '@/lib/scenario';
import { validateScenario } from '@/lib/validate';
import { copyText, downloadText } from '../scenario/open';
import { useEditor } from '../store/editor';
import { useRun } from '../store/run';
import { highlightC } from './highlight';

type Cgen = typeof import('@/lib/cgen');
let cgen: Cgen | null = null;
let cached: { scenario: Scenario; gen: GeneratedC | null; problems: number } | null = null;

/** The C of a scenario (cached for the last one); null with the problem count when it is not valid. */
export function cOf(scenario: Scenario, mod: Cgen): { gen: GeneratedC | null; problems: number } {
  if (cached?.scenario === scenario) return cached;
  const v = validateScenario(scenario);
  let gen: GeneratedC | null = null;
  if (v.ok) {
    try {
      gen = mod.generateC(v.scenario, v.programs);
    } catch {
      gen = null;
    }
  }
  cached = { scenario, gen, problems: v.ok ? 0 : v.errors.length };
  return cached;
}

function useCgen(): Cgen | null {
  const [mod, setMod] = useState<Cgen | null>(cgen);
  useEffect(() => {
    if (!mod) void import('@/lib/cgen').then((m) => setMod((cgen = m)));
  }, [mod]);
  return mod;
}

export function CView({ procId }: { procId: string }) {
  const scenario = useEditor((s) => s.scenario);
  const mod = useCgen();
  const line = useRun((s) => (s.status !== 'idle' && s.procs[procId] && !s.procs[procId].outcome ? s.procs[procId].line : 0));
  const state = useRun((s) => s.procs[procId]?.state);
  const [copied, setCopied] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const result = useMemo(() => (mod ? cOf(scenario, mod) : null), [scenario, mod]);
  const part = result?.gen?.perProcess[procId];
  const text = result?.gen?.source ?? '';
  const lines = useMemo(() => highlightC(text.replace(/\n$/, '')), [text]);
  const hosted = useMemo(() => highlightC((result?.gen?.hosted ?? '').replace(/\n$/, '')), [result]);

  // the C lines of the running statement: from its comment to the next statement's
  const lit = useMemo(() => {
    if (!part || !line || !part.lines[line]) return null;
    const from = part.lines[line];
    const next = Object.values(part.lines).filter((l) => l > from).sort((a, b) => a - b)[0];
    return { from, to: (next ?? part.end + 1) - 1 };
  }, [part, line]);

  useEffect(() => {
    if (!lit || !box.current) return;
    const el = box.current.querySelector<HTMLElement>(`[data-line="${lit.from}"]`);
    // centred in the code box only (scrollIntoView would scroll the page too)
    if (el) box.current.scrollTop = el.offsetTop - box.current.clientHeight / 2 + el.offsetHeight;
  }, [lit]);

  // a process chosen: its part of the file at the top of the box
  useEffect(() => {
    if (!part || !box.current) return;
    const el = box.current.querySelector<HTMLElement>(`[data-line="${part.start}"]`);
    if (el) box.current.scrollTop = el.offsetTop - 4;
  }, [part, procId]);

  if (!mod || !result) return <p className="muted small pad">Generating the C…</p>;
  if (!result.gen) {
    return (
      <p className="cview-note" data-testid="cview-invalid">
        The C is made from a scenario that checks out: fix {result.problems === 1 ? 'the problem' : `the ${result.problems} problems`} marked in red first.
      </p>
    );
  }
  if (!part) return <p className="cview-note">No C for this process.</p>;
  const gen = result.gen;
  const name = scenario.processes.find((p) => p.id === procId)?.name ?? procId;
  return (
    <div className="cview" data-testid="cview">
      <div className="cview-bar">
        <span className="cview-what">
          <b>{name}</b> in C <span className="muted">· lines {part.start}–{part.end} of {gen.fileName}, the file that runs</span>
        </span>
        <button
          className={`btn small ${copied ? 'copied' : ''}`}
          data-testid="cview-copy"
          onClick={() =>
            void copyText(gen.source).then((ok) => {
              setCopied(ok);
              if (ok) setTimeout(() => setCopied(false), 2000);
            })
          }
        >
          {copied ? '✓ Copied' : 'Copy the file'}
        </button>
        <button className="btn small primary" data-testid="cview-download" onClick={() => downloadText(gen.source, gen.fileName, 'text/x-csrc')} title="The whole program: main() makes the objects, forks a child per process, waits, cleans up">
          Download {gen.fileName.length > 26 ? '.c file' : gen.fileName}
        </button>
      </div>
      <div className="cview-code" ref={box} data-testid="cview-code">
        {lines.map((toks, i) => {
          const n = i + 1;
          const on = lit && n >= lit.from && n <= lit.to;
          const mine = n >= part.start && n <= part.end;
          return (
            <div key={i} className={`cl ${mine ? 'cl-mine' : 'cl-other'} ${on ? `cl-run cl-${state}` : ''}`} data-line={n}>
              <span className="cl-n">{n}</span>
              <span className="cl-t">{toks.length ? toks.map(([cls, t], j) => (cls ? <span key={j} className={cls}>{t}</span> : t)) : ' '}</span>
            </div>
          );
        })}
      </div>
      <p className="muted tiny cview-foot">
        Build and run the whole file: <code>cc -Wall -O1 -o demo {gen.fileName} -lrt -pthread &amp;&amp; ./demo</code>
      </p>
      <details className="cview-hosted" data-testid="cview-hosted">
        <summary className="muted tiny">How the playground runs it: hosted.c, one process of the file with the server&apos;s objects</summary>
        <div className="cview-code cview-code-hosted">
          {hosted.map((toks, i) => (
            <div key={i} className="cl" data-line={i + 1}>
              <span className="cl-n">{i + 1}</span>
              <span className="cl-t">{toks.length ? toks.map(([cls, t], j) => (cls ? <span key={j} className={cls}>{t}</span> : t)) : ' '}</span>
            </div>
          ))}
        </div>
      </details>
    </div>
  );
}
