'use client';
// The page's own messages (components/store/notify.ts): toasts that fade, at the bottom of
// the canvas, and one banner that stays until dismissed.
import { useNotify } from '../store/notify';

export function Toasts() {
  const toasts = useNotify((s) => s.toasts);
  if (!toasts.length) return null;
  return (
    <div className="app-toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`app-toast tone-${t.tone}`} role="status" data-testid={t.kind ? `toast-${t.kind}` : 'toast'}>
          <span>{t.text}</span>
          {t.action ? (
            <button
              className="btn small"
              onClick={() => {
                t.action!.run();
                useNotify.getState().dismissToast(t.id);
              }}
              data-testid="toast-action"
            >
              {t.action.label}
            </button>
          ) : null}
          <button className="btn ghost icon small" aria-label="Dismiss" onClick={() => useNotify.getState().dismissToast(t.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}

export function NotifyBanner() {
  const b = useNotify((s) => s.banner);
  if (!b) return null;
  return (
    <div className="banner error notify-banner" role="alert" data-testid="notify-banner" data-reason={b.reason ?? ''}>
      <div className="notify-text">
        <b>{b.title}</b>
        <span>{b.text}</span>
        {b.details?.length ? (
          <ul className="notify-details" data-testid="notify-details">
            {b.details.map((d, i) => (
              <li key={i}>
                <code>{d}</code>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <button className="btn ghost icon small" aria-label="Dismiss" onClick={() => useNotify.getState().dismissBanner()} data-testid="notify-dismiss">
        ✕
      </button>
    </div>
  );
}
