// Next.js configuration (ESM: package.json has "type": "module").
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The app lives at the repository root; say so, so a lockfile higher up is not taken as the root.
  turbopack: { root },
  // The server side (koffi, child processes) is ours, run by server/index.ts, never bundled:
  // the browser bundle takes only lib/ (isomorphic) and components/.
  devIndicators: false,
  // The build type-checks what it ships (app, components, lib, server) with its own tsconfig,
  // so Next's additions stay out of the root one and work in progress in bench/ or test/
  // cannot break a production build. `npm run typecheck` still checks everything.
  typescript: { tsconfigPath: 'tsconfig.web.json' },
  // dev only: pages served from other hosts named in IPCPG_ALLOWED_ORIGINS
  allowedDevOrigins: ['127.0.0.1', ...(process.env.IPCPG_ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim().replace(/^https?:\/\//, '').replace(/:\d+$/, '')).filter(Boolean)],
};

export default nextConfig;
