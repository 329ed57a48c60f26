import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import '@xyflow/react/dist/style.css';
import './globals.css';

export const metadata: Metadata = {
  title: 'IPC Playground',
  description: 'Draw processes and channels, run real Linux processes, watch them talk.',
};

export const viewport: Viewport = {
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f5f7fb' },
    { media: '(prefers-color-scheme: dark)', color: '#0b1120' },
  ],
};

// Sets the theme before the first paint (saved choice, else the system's), so a dark-mode
// user never sees a white flash.
const THEME_SCRIPT = `try{var t=localStorage.getItem('ipcpg.theme');if(t!=='light'&&t!=='dark')t=matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light';document.documentElement.dataset.theme=t}catch(e){document.documentElement.dataset.theme='light'}`;

// The page's scripts run under a CSP with a fresh nonce per response (server/edge/headers.ts):
// Next puts it on its own scripts, this one takes it from the request. Reading the request
// also makes every page rendered per request, which a nonce needs.
export default async function RootLayout({ children }: { children: ReactNode }) {
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return (
    <html lang="en" data-theme="light" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>{children}</body>
    </html>
  );
}
