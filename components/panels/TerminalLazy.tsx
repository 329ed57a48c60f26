'use client';
// xterm touches the DOM when imported: load it in the browser only.
import dynamic from 'next/dynamic';

export const LazyTerminal = dynamic(() => import('./XTerm'), {
  ssr: false,
  loading: () => <div className="xterm-host xterm-loading" />,
});
