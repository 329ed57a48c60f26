'use client';
// The Compare tab: the distinct outcomes of "Run 20 times", most frequent first, each with
// how often it happened; the processes' output with every number that differed between the
// runs shown as its spread (min, median, max and a small histogram); and the runs behind
// each outcome, each opening as its recording.
import type { GroupProc, OutcomeGroup } from '@/lib/compare/group';
import type { Spread } from '@/lib/compare/spread';
import { useCompare } from '../store/compare';
import { useEditor } from '../store/editor';
import { useRun } from '../store/run';
import { SeriesButton } from './SeriesButton';

const num = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 2 }));

/** Lines of a process's output shown in a group (the rest: its recording). */
const MAX_LINES = 8;

function Histogram({ spread }: { spread: Spread }) {
  const top = Math.max(...spread.bins.map((b) => b.count));
  return (
    <span className="cmp-hist" role="img" aria-label={`histogram: ${spread.bins.map((b) => `${num(b.lo)}${b.hi !== b.lo ? `–${num(b.hi)}` : ''}: ${b.count}`).join(', ')}`}>
      {spread.bins.map((b, i) => (
        <span key={i} className="cmp-bar" style={{ height: `${Math.max(8, (b.count / top) * 100)}%` }} title={`${num(b.lo)}${b.hi !== b.lo ? ` to ${num(b.hi)}` : ''}: ${b.count} run${b.count === 1 ? '' : 's'}`} data-empty={b.count === 0 || undefined} />
      ))}
    </span>
  );
}

/** Each number that differed, on its own line: where it is, then min · median · max and the histogram. */
function Spreads({ proc }: { proc: GroupProc }) {
  const spreads = proc.pieces.flatMap((p, i) => ('spread' in p ? [{ i, spread: p.spread }] : []));
  if (!spreads.length) return null;
  return (
    <ul className="cmp-spreads">
      {spreads.map(({ i, spread }) => (
        <li key={i} data-testid="spread" data-min={spread.min} data-max={spread.max}>
          <span className="cmp-where">{whereOf(proc, i)}</span>
          <span className="cmp-stats">
            min <b>{num(spread.min)}</b> · median <b>{num(spread.median)}</b> · max <b>{num(spread.max)}</b>
          </span>
          <Histogram spread={spread} />
        </li>
      ))}
    </ul>
  );
}

/** The line a number is on, the number itself as # and the other varying ones as …. */
function whereOf(proc: GroupProc, at: number): string {
  let before = '';
  let after = '';
  proc.pieces.forEach((p, i) => {
    const s = 'text' in p ? p.text : i === at ? '#' : '…';
    if (i < at) before += s;
    else if (i > at) after += s;
  });
  return `${before.split('\n').pop() ?? ''}#${after.split('\n')[0] ?? ''}`.trim();
}

function Output({ proc }: { proc: GroupProc }) {
  const lines: React.ReactNode[][] = [[]];
  proc.pieces.forEach((p, i) => {
    if ('spread' in p) {
      lines[lines.length - 1].push(
        <span key={i} className="cmp-range" title={`differs between runs: ${num(p.spread.min)} to ${num(p.spread.max)}`}>
          {num(p.spread.min)}…{num(p.spread.max)}
        </span>,
      );
      return;
    }
    p.text.split('\n').forEach((line, j) => {
      if (j > 0) lines.push([]);
      if (line) lines[lines.length - 1].push(<span key={`${i}.${j}`}>{line}</span>);
    });
  });
  if (lines.length > 1 && lines[lines.length - 1].length === 0) lines.pop();
  const shown = lines.slice(0, MAX_LINES);
  if (!proc.pieces.length || (lines.length === 1 && !lines[0].length)) return <span className="muted">(printed nothing)</span>;
  return (
    <pre className="cmp-output">
      {shown.map((l, i) => (
        <div key={i}>{l.length ? l : ' '}</div>
      ))}
      {lines.length > MAX_LINES ? <div className="muted">… {lines.length - MAX_LINES} more lines (open a run)</div> : null}
    </pre>
  );
}

/**
 * The runs of an outcome, each opening as its recording (one is enough when they are all
 * alike); where numbers differ, each run says its first such number, and they go in its order
 * (the run that lost the most updates is at one end).
 */
function RunLinks({ group }: { group: OutcomeGroup }) {
  const open = useCompare((s) => s.open);
  const spread = group.procs.flatMap((p) => p.pieces.flatMap((x) => ('spread' in x ? [x.spread] : [])))[0];
  const valueOf = (r: number) => spread?.values[group.runs.indexOf(r)];
  const runs = group.varies ? [...group.runs].sort((a, b) => (valueOf(a) ?? 0) - (valueOf(b) ?? 0) || a - b) : group.runs.slice(0, 1);
  return (
    <div className="cmp-runs">
      <span className="muted">{group.varies ? `Open a run as its recording${spread ? ', by its first number that differs' : ''}:` : 'Open it as its recording:'}</span>
      {runs.map((r) => (
        <button key={r} className="btn small cmp-run" onClick={() => open(r)} data-testid="open-run" title={`Open run ${r + 1} of the series in the replay: its timeline, terminals and trace`}>
          {group.varies && spread ? `run ${r + 1}: ${num(valueOf(r) ?? 0)}` : `run ${r + 1}`}
        </button>
      ))}
    </div>
  );
}

function Group({ group, total, index }: { group: OutcomeGroup; total: number; index: number }) {
  const n = group.runs.length;
  const pct = Math.round((n / total) * 100);
  return (
    <li className={`cmp-group ${group.deadlock ? 'deadlocked' : ''}`} data-testid="outcome" data-count={n}>
      <div className="cmp-head">
        <span className="cmp-count">
          <b data-testid="outcome-count">{n}</b>× <span className="muted">({pct} %)</span>
        </span>
        <span className="cmp-meter" aria-hidden>
          <span style={{ width: `${pct}%` }} />
        </span>
        <span className="cmp-name">
          {group.deadlock ? 'Deadlock' : `Outcome ${index + 1}`}
          {group.varies ? <span className="muted"> · numbers differ ({group.variants.length} different)</span> : null}
        </span>
      </div>
      {group.deadlock ? <p className="cmp-deadlock">{group.deadlock}</p> : null}
      <table className="cmp-procs">
        <tbody>
          {group.procs.map((p) => (
            <tr key={p.id}>
              <th scope="row">{p.name}</th>
              <td className={`cmp-end end-${p.end.startsWith('exit 0') ? 'ok' : 'bad'}`}>{p.end}</td>
              <td>
                <Output proc={p} />
                <Spreads proc={p} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <RunLinks group={group} />
    </li>
  );
}

export function ComparePane() {
  const { planned, active, outcomes, groups, note, title } = useCompare();
  const status = useRun((s) => s.status);
  // a follower watches the presenter's runs: it starts none
  const watching = useEditor((s) => s.readOnly);
  const done = outcomes.length;
  if (!planned)
    return (
      <div className="pad cmp-empty" data-testid="compare-pane">
        <p>
          Run the scenario 20 times, one run after the other at full speed, and see the different outcomes (what each process printed, how it ended) and how often each happened.
          A race shows its spread; a deadlock how often it happens.
        </p>
        {watching ? null : <SeriesButton />}
      </div>
    );
  return (
    <div className="compare" data-testid="compare-pane" data-active={active} data-done={done}>
      <p className="cmp-summary" data-testid="compare-summary">
        {active ? (
          <>
            Running {title ? <b>{title}</b> : 'the scenario'}: {done} of {planned} runs done{status === 'running' ? `, run ${done + 1} going` : ''}…
          </>
        ) : (
          <>
            <b>{done}</b> run{done === 1 ? '' : 's'} of {title ? <b>{title}</b> : 'the scenario'}: <b>{groups.length}</b> different outcome{groups.length === 1 ? '' : 's'}.
          </>
        )}
        {note ? <span className="muted"> {note}</span> : null}
      </p>
      <ol className="cmp-groups">
        {groups.map((g, i) => (
          <Group key={g.runs[0]} group={g} total={done} index={i} />
        ))}
      </ol>
    </div>
  );
}
