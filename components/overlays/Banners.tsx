'use client';
// Messages over the canvas: the connection is lost (and coming back), Run refused to start,
// the run said something (notices: a failed start, an output limit, a time limit).
import { useEffect, useState } from 'react';
import { useConnection } from '../run/connection';
import { useRun } from '../store/run';

export function ConnectionBanner() {
  const state = useConnection((s) => s.state);
  const ever = useConnection((s) => s.everConnected);
  const [late, setLate] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setLate(true), 2500);
    return () => clearTimeout(t);
  }, []);
  if (state === 'connected' || (!ever && !late)) return null;
  return (
    <div className="banner warn" role="status" data-testid="connection-banner">
      <span className="spinner" aria-hidden />
      {ever ? 'Connection to the server lost: reconnecting… Your drawing is safe.' : 'Cannot reach the server yet: retrying… You can keep drawing.'}
    </div>
  );
}

export function RunMessage() {
  const message = useRun((s) => s.message);
  if (!message) return null;
  return (
    <div className={`banner ${message.tone}`} role="alert" data-testid="run-message">
      {message.text}
      <button className="btn ghost icon small" aria-label="Dismiss" onClick={() => useRun.getState().dismissMessage()}>
        ✕
      </button>
    </div>
  );
}

/** The run's notices, as toasts that fade; they stay in the summary. */
export function Notices() {
  const notices = useRun((s) => s.notices);
  const [hidden, setHidden] = useState(0);
  const fresh = notices.filter((n) => n.seq > hidden).slice(-3);
  const newest = fresh.length ? fresh[fresh.length - 1].seq : 0;
  useEffect(() => {
    if (!newest) return;
    const t = setTimeout(() => setHidden(newest), 9000);
    return () => clearTimeout(t);
  }, [newest]);
  if (!fresh.length) return null;
  return (
    <div className="toasts" data-testid="notices">
      {fresh.map((n) => (
        <div key={n.seq} className="toast" role="status">
          {n.message}
        </div>
      ))}
    </div>
  );
}
