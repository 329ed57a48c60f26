'use client';
// The program of one process: CodeMirror 6 with the language's highlighting, check errors
// as you type, completion of verbs and channel names, and the running line during a run.

import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, indentUnit } from '@codemirror/language';
import { forceLinting, lintGutter, linter, lintKeymap } from '@codemirror/lint';
import { Annotation, Compartment, EditorSelection, EditorState } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import type { Scenario } from '@/lib/scenario';
import { useEditor } from '../store/editor';
import { useRun } from '../store/run';
import { useUi } from '../store/ui';
import { completeProgram } from './complete';
import { programHighlight, programLanguage, type Names } from './language';
import { programDiagnostics } from './lint';
import { runningLine, setRunningLine } from './runningLine';

/** Marks changes that come from the store (undo, a loaded example), not from typing. */
const External = Annotation.define<boolean>();

let namesFor: Scenario | null = null;
let namesCache: Names = { channels: new Set(), processes: new Set() };
function currentNames(): Names {
  const s = useEditor.getState().scenario;
  if (s !== namesFor) {
    namesFor = s;
    namesCache = {
      channels: new Set(s.channels.flatMap((c) => (c.label ? [c.id, c.label] : [c.id]))),
      processes: new Set(s.processes.flatMap((p) => [p.id, p.name])),
    };
  }
  return namesCache;
}

const editorTheme = EditorView.theme({
  '&': { height: '100%', fontSize: 'var(--code-size)', backgroundColor: 'var(--editor-bg)', color: 'var(--text)' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.6' },
  '.cm-content': { caretColor: 'var(--accent)', padding: '8px 0' },
  '.cm-gutters': { backgroundColor: 'var(--editor-gutter)', color: 'var(--muted)', border: 'none', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'var(--editor-active)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--editor-active)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--editor-selection) !important' },
  '.cm-tooltip': { backgroundColor: 'var(--panel)', color: 'var(--text)', border: '1px solid var(--border)', borderRadius: '8px', boxShadow: 'var(--shadow)' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { backgroundColor: 'var(--accent)', color: 'white' },
  '.cm-diagnostic-error': { borderLeft: '4px solid var(--danger)' },
});

function showPlace(view: EditorView, line: number, col: number): void {
  const l = view.state.doc.line(Math.min(Math.max(1, line), view.state.doc.lines));
  const at = Math.min(l.from + Math.max(0, col - 1), l.to);
  view.dispatch({ selection: EditorSelection.cursor(at), effects: EditorView.scrollIntoView(at, { y: 'center' }) });
  view.focus();
  // shown once: selecting this process again later must not jump again
  queueMicrotask(() => useUi.getState().set({ jump: null }));
}

export function ProgramEditor({ procId }: { procId: string }) {
  const host = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | null>(null);
  const readOnly = useRef(new Compartment());

  useEffect(() => {
    const program = useEditor.getState().scenario.processes.find((p) => p.id === procId)?.program ?? '';
    const view = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: program,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          history(),
          drawSelection(),
          bracketMatching(),
          closeBrackets(),
          indentUnit.of('  '),
          EditorState.tabSize.of(2),
          autocompletion({ override: [completeProgram(procId)], icons: false }),
          keymap.of([
            { key: 'Mod-Enter', run: () => (void useRun.getState().start(), true) },
            ...closeBracketsKeymap,
            ...defaultKeymap,
            ...historyKeymap,
            ...completionKeymap,
            ...lintKeymap,
            indentWithTab,
          ]),
          programLanguage(currentNames),
          programHighlight,
          linter((v) => programDiagnostics(procId, v.state.doc.toString(), v.state.doc), { delay: 200 }),
          lintGutter(),
          runningLine,
          readOnly.current.of([EditorState.readOnly.of(useEditor.getState().locked)]),
          editorTheme,
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': 'Program', 'data-testid': 'program-input' }),
          EditorView.updateListener.of((u) => {
            if (!u.docChanged || u.transactions.some((tr) => tr.annotation(External))) return;
            useEditor.getState().setProgram(procId, u.state.doc.toString());
          }),
        ],
      }),
    });
    viewRef.current = view;
    // mounted mid-run, or for an error picked in the problems list
    const r = useRun.getState();
    const p = r.procs[procId];
    if (r.status !== 'idle' && p && !p.outcome && p.line) view.dispatch({ effects: setRunningLine.of({ line: p.line, state: p.state }) });
    const j = useUi.getState().jump;
    if (j && j.proc === procId) showPlace(view, j.line, j.col);
    return () => {
      view.destroy();
      viewRef.current = null;
    };
  }, [procId]);

  // The store changed the program (undo, a loaded example): show it.
  useEffect(
    () =>
      useEditor.subscribe((s, prev) => {
        const view = viewRef.current;
        if (!view) return;
        const p = s.scenario.processes.find((x) => x.id === procId);
        if (p && p.program !== view.state.doc.toString()) {
          const head = Math.min(view.state.selection.main.head, p.program.length);
          view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: p.program }, selection: EditorSelection.cursor(head), annotations: [External.of(true)] });
        }
        if (s.scenario.channels !== prev.scenario.channels || s.scenario.processes !== prev.scenario.processes) forceLinting(view);
        if (s.locked !== prev.locked) view.dispatch({ effects: readOnly.current.reconfigure([EditorState.readOnly.of(s.locked)]) });
      }),
    [procId],
  );

  // The running line.
  useEffect(
    () =>
      useRun.subscribe((s, prev) => {
        const view = viewRef.current;
        const p = s.procs[procId];
        const q = prev.procs[procId];
        if (!view || (p === q && s.status === prev.status)) return;
        const active = s.status !== 'idle' && p && !p.outcome;
        const line = active ? p.line : 0;
        const state = p?.state ?? 'running';
        if (line !== (q && !q.outcome ? q.line : 0) || p?.state !== q?.state || s.status !== prev.status) {
          view.dispatch({ effects: setRunningLine.of({ line, state }) });
          if (line > 0 && line <= view.state.doc.lines) {
            view.dispatch({ effects: EditorView.scrollIntoView(view.state.doc.line(line).from, { y: 'nearest' }) });
          }
        }
      }),
    [procId],
  );

  // Jump to an error chosen in the problems list.
  useEffect(
    () =>
      useUi.subscribe((s, prev) => {
        const view = viewRef.current;
        const j = s.jump;
        if (!view || !j || j === prev.jump || j.proc !== procId) return;
        showPlace(view, j.line, j.col);
      }),
    [procId],
  );

  return <div ref={host} className="program-editor" data-testid={`editor-${procId}`} />;
}
