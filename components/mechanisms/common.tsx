// Small pieces the mechanism views share: a fill meter, labelled values.
import type { ReactNode } from 'react';

export function Meter({ value, max, label, testId }: { value: number; max: number; label: string; testId?: string }) {
  const pct = max > 0 ? Math.min(100, (value / max) * 100) : 0;
  return (
    <div className="meter" data-testid={testId} title={label}>
      <div className="meter-fill" style={{ width: `${pct}%` }} />
      <span className="meter-label">{label}</span>
    </div>
  );
}

export function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {rows.map(([k, v]) => (
        <div key={k} className="facts-row">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Waiting() {
  return <p className="muted small">No sample yet: the state shows once the run starts.</p>;
}
