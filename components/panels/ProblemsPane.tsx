'use client';
// Everything that stops the scenario from running, each with a link to its place.
import { describeTarget, type LocatedError } from '../scenario/places';
import { useEditor } from '../store/editor';
import { useProblems } from '../store/problems';
import { useUi } from '../store/ui';

export function goToProblem(p: LocatedError): void {
  const t = p.target;
  if (t.kind === 'process') {
    useEditor.getState().select({ nodes: [t.id], edges: [] });
    if (t.line) useUi.getState().jumpTo(t.id, t.line, t.col ?? 1);
  } else if (t.kind === 'channel') {
    useEditor.getState().select({ nodes: [], edges: [t.id] });
  }
}

export function ProblemsPane() {
  const all = useProblems((s) => s.all);
  const scenario = useEditor((s) => s.scenario);
  if (all.length === 0) return <p className="muted pad ok" data-testid="no-problems">✓ No problems: ready to run.</p>;
  return (
    <ul className="problems" data-testid="problems">
      {all.map((p, i) => (
        <li key={i}>
          <button className="problem" onClick={() => goToProblem(p)} data-testid="problem" data-place={p.place}>
            <span className="problem-where">{describeTarget(p.target, scenario)}</span>
            <span className="problem-msg">{p.message}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
