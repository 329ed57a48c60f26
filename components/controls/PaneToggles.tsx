'use client';
// Show or hide the graph, the side panel and the dock (P and D from the keyboard). On a
// narrow screen the side panel's button opens and closes its drawer instead.
import { useLayout, type Pane } from '../store/layout';

const PANES: { id: Pane; label: string; key?: string; icon: React.ReactNode }[] = [
  { id: 'graph', label: 'Graph', icon: <path d="M6 6h4v4H6zM14 14h4v4h-4zM10 8h4l2 6" /> },
  { id: 'side', label: 'Side panel', key: 'P', icon: <path d="M15 4v16" /> },
  { id: 'dock', label: 'Dock', key: 'D', icon: <path d="M3 15h18" /> },
];

export function PaneToggles() {
  const hidden = useLayout((s) => s.hidden);
  const drawer = useLayout((s) => (s.narrow || s.present ? s.drawer : null));
  return (
    <div className="pane-toggles" role="group" aria-label="Panes">
      {PANES.map((p) => {
        const shown = p.id === 'side' && drawer !== null ? drawer : !hidden[p.id];
        return (
          <button
            key={p.id}
            className={`btn ghost icon ${shown ? 'active' : ''}`}
            aria-pressed={shown}
            aria-label={p.label}
            title={`${shown ? 'Hide' : 'Show'} the ${p.label.toLowerCase()}${p.key ? ` (${p.key})` : ''}`}
            data-testid={`toggle-${p.id}`}
            onClick={() => useLayout.getState().toggle(p.id)}
          >
            <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
              <rect x="3" y="4" width="18" height="16" rx="2" />
              {p.icon}
            </svg>
          </button>
        );
      })}
    </div>
  );
}
