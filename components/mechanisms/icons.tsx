// Mechanism icons as inline SVG (currentColor): crisp on a projector and the same on every
// machine, where emoji fonts differ or are missing.
import type { ReactNode } from 'react';

function Svg({ children, size = 16, title }: { children: ReactNode; size?: number; title?: string }) {
  return (
    <svg className="micon" width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden={title ? undefined : true} role={title ? 'img' : undefined}>
      {title ? <title>{title}</title> : null}
      {children}
    </svg>
  );
}

export type IconProps = { size?: number; title?: string };

export const PipeIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M3 8h14a4 4 0 0 1 0 8H3" />
    <path d="M3 8v8" />
    <path d="M8 12h6" strokeDasharray="1 3" />
  </Svg>
);
export const FifoIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M2 9h13a3 3 0 0 1 0 6H2" />
    <path d="M19 5l3 3-3 3" />
    <path d="M6 12h5" strokeDasharray="1 3" />
    <path d="M14 19h7" />
  </Svg>
);
export const SignalIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M13 2 4 14h7l-1 8 9-12h-7z" fill="currentColor" fillOpacity="0.2" />
  </Svg>
);
export const FileIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h6" />
    <path d="M14 2v6h6v3" />
    <rect x="14" y="16" width="8" height="6" rx="1" />
    <path d="M16 16v-2a2 2 0 0 1 4 0v2" />
  </Svg>
);
export const SemaphoreIcon = (p: IconProps) => (
  <Svg {...p}>
    <rect x="7" y="2" width="10" height="20" rx="3" />
    <circle cx="12" cy="7" r="1.6" fill="currentColor" />
    <circle cx="12" cy="12" r="1.6" />
    <circle cx="12" cy="17" r="1.6" />
  </Svg>
);
export const ShmIcon = (p: IconProps) => (
  <Svg {...p}>
    <rect x="4" y="4" width="16" height="16" rx="2" />
    <path d="M9 4v16M15 4v16M4 9h16M4 15h16" strokeWidth="1.4" />
    <path d="M1 9h3M1 15h3M20 9h3M20 15h3" />
  </Svg>
);
export const QueueIcon = (p: IconProps) => (
  <Svg {...p}>
    <rect x="2" y="6" width="14" height="11" rx="2" />
    <path d="m2 8 7 5 7-5" />
    <path d="M19 8v9M22 10v5" />
  </Svg>
);
export const TcpIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M4 8h14l-3-3M20 16H6l3 3" />
  </Svg>
);
export const UdpIcon = (p: IconProps) => (
  <Svg {...p}>
    <rect x="2" y="9" width="6" height="6" rx="1" />
    <rect x="10" y="9" width="5" height="6" rx="1" />
    <path d="M17 12h5l-2-2M22 12l-2 2" />
  </Svg>
);
export const UnixStreamIcon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M4 8h14l-3-3M20 16H6l3 3" />
    <circle cx="12" cy="12" r="1.5" fill="currentColor" />
  </Svg>
);
export const UnixDgramIcon = (p: IconProps) => (
  <Svg {...p}>
    <rect x="2" y="9" width="6" height="6" rx="3" />
    <rect x="10" y="9" width="5" height="6" rx="2.5" />
    <path d="M17 12h5l-2-2M22 12l-2 2" />
  </Svg>
);
