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
};

export default nextConfig;
