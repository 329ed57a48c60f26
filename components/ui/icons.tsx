// Toolbar icons as inline SVG: the same on every machine (media-control glyphs are missing
// from many fonts).
const P = { width: 14, height: 14, viewBox: '0 0 16 16', 'aria-hidden': true } as const;

export const PlayIcon = () => (
  <svg {...P}>
    <path d="M4 2.5v11l9-5.5z" fill="currentColor" />
  </svg>
);
export const StopIcon = () => (
  <svg {...P}>
    <rect x="3" y="3" width="10" height="10" rx="1.5" fill="currentColor" />
  </svg>
);
export const PauseIcon = () => (
  <svg {...P}>
    <rect x="3" y="2.5" width="3.5" height="11" rx="1" fill="currentColor" />
    <rect x="9.5" y="2.5" width="3.5" height="11" rx="1" fill="currentColor" />
  </svg>
);
export const StepIcon = () => (
  <svg {...P}>
    <path d="M3 2.5v11l7-5.5z" fill="currentColor" />
    <rect x="11" y="2.5" width="2.5" height="11" rx="1" fill="currentColor" />
  </svg>
);
export const PlusIcon = () => (
  <svg {...P}>
    <path d="M8 3v10M3 8h10" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
  </svg>
);
