// Check errors underlined as you type: the same parser and checker the server runs before a
// run (lib/lang), against the scenario as it is drawn right now.
import type { Diagnostic } from '@codemirror/lint';
import type { Text } from '@codemirror/state';
import { check } from '@/lib/lang/check';
import { parse } from '@/lib/lang/parser';
import { DEFAULT_LIMITS } from '@/lib/scenario';
import { useEditor } from '../store/editor';

/** `line:col` (1-based) → a document range covering the word there. */
export function rangeAt(doc: Text, line: number, col: number): { from: number; to: number } {
  const l = doc.line(Math.min(Math.max(1, line), doc.lines));
  const from = Math.min(l.from + Math.max(0, col - 1), l.to);
  const rest = doc.sliceString(from, l.to);
  const word = /^("(?:[^"\\]|\\.)*"?|[A-Za-z0-9_-]+|\S)/.exec(rest);
  return { from, to: Math.min(l.to, from + (word ? word[0].length : 0)) };
}

export function programDiagnostics(procId: string, text: string, doc: Text): Diagnostic[] {
  const s = useEditor.getState().scenario;
  const { program, errors: syntax } = parse(text);
  const errors = syntax.length
    ? syntax
    : check(program, {
        self: procId,
        processes: s.processes.map((p) => ({ id: p.id, name: p.name })),
        channels: s.channels,
        messageBytes: DEFAULT_LIMITS.messageBytes,
      });
  return errors.map((e) => {
    const { from, to } = rangeAt(doc, e.line, e.col);
    return { from, to, severity: 'error', message: `line ${e.line}:${e.col}: ${e.message}`, markClass: 'cm-check-error' };
  });
}
