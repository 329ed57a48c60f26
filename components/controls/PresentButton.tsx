'use client';
// Presentation mode on and off: large type and high contrast for a projector, without the
// drawing tools, the side panel or the share and reference buttons (`?present=1` too).
import { useLayout } from '../store/layout';

export function PresentButton() {
  const present = useLayout((s) => s.present);
  return (
    <button
      className={`btn ${present ? 'active' : 'ghost'} present-button`}
      aria-pressed={present}
      onClick={() => useLayout.getState().setPresent(!present)}
      title={present ? 'Leave presentation mode (M)' : 'Presentation mode: large type, high contrast, no editing (M)'}
      data-testid="present-button"
    >
      <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden>
        <rect x="3" y="4" width="18" height="12" rx="1.5" />
        <path d="M12 16v4M8 20h8" />
      </svg>
      {present ? 'Presenting' : 'Present'}
    </button>
  );
}
