'use client';
// A name field that commits on blur or Enter, and shows the store's refusal (a clash, a bad
// identifier) under it until the next keystroke.
import { useEffect, useState } from 'react';

export function RenameField(props: {
  label: string;
  value: string;
  placeholder?: string;
  locked: boolean;
  testId: string;
  /** Applies the new value; returns the reason it was refused, or null. */
  commit: (value: string) => string | null;
  /** Shown under the field when there is no error. */
  hint?: string;
}) {
  const [draft, setDraft] = useState(props.value);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setDraft(props.value), [props.value]);
  const commit = () => {
    if (draft !== props.value) setError(props.commit(draft.trim()));
  };
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        value={draft}
        placeholder={props.placeholder}
        disabled={props.locked}
        data-testid={props.testId}
        aria-invalid={!!error}
        className={error ? 'invalid' : ''}
        onChange={(e) => {
          setDraft(e.target.value);
          setError(null);
        }}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
      {error || props.hint ? <em className={error ? 'field-error' : 'field-hint'}>{error ?? props.hint}</em> : null}
    </label>
  );
}
