'use client';
// Keyboard shortcuts (press ?), listed from the same table that handles them.
import { useUi } from '../store/ui';
import { SHORTCUTS } from '../ui/shortcuts';

export function HelpOverlay() {
  const open = useUi((s) => s.help);
  if (!open) return null;
  const close = () => useUi.getState().set({ help: false });
  return (
    <div className="overlay" onClick={close} data-testid="help">
      <div className="help-card" role="dialog" aria-label="Keyboard shortcuts" onClick={(e) => e.stopPropagation()}>
        <div className="help-head">
          <h2>Keyboard shortcuts</h2>
          <button className="btn ghost icon" onClick={close} aria-label="Close">
            ✕
          </button>
        </div>
        <table className="help-table">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.label}>
                <td>
                  {s.keys.map((k, i) => (
                    <span key={i}>
                      {i ? ' + ' : ''}
                      <kbd>{k}</kbd>
                    </span>
                  ))}
                </td>
                <td>{s.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted small">In the program editor: Ctrl+Space completes verbs and channel names; Ctrl+Z undoes typing.</p>
      </div>
    </div>
  );
}
