// The line each process is running, highlighted in its program while a run goes on.
import { RangeSetBuilder, StateEffect, StateField } from '@codemirror/state';
import { Decoration, EditorView, type DecorationSet } from '@codemirror/view';

export const setRunningLine = StateEffect.define<{ line: number; state: string }>();

const marks: Record<string, Decoration> = {};
const mark = (state: string) => (marks[state] ??= Decoration.line({ class: `cm-running-line cm-running-${state}` }));

export const runningLine = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(setRunningLine)) continue;
      const { line, state } = e.value;
      if (line < 1 || line > tr.state.doc.lines) {
        deco = Decoration.none;
        continue;
      }
      const b = new RangeSetBuilder<Decoration>();
      const l = tr.state.doc.line(line);
      b.add(l.from, l.from, mark(state));
      deco = b.finish();
    }
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});
