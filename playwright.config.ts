// End-to-end tests against the real server and real processes: the production build,
// started on its own port, driven with Debian's Chromium (no browser download here).
import fs from 'node:fs';
import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 3123);
const chromium = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => fs.existsSync(p));

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  // one machine, two cores: the tests run real processes, one test at a time
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: ['--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: {
    command: `npm run build && PORT=${PORT} IPCPG_AWAY_MS=1500 npm run serve`,
    url: `http://127.0.0.1:${PORT}/api/examples`,
    // E2E_REUSE=1: test against a server already started on E2E_PORT (while working on tests)
    reuseExistingServer: process.env.E2E_REUSE === '1',
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
    // SIGTERM: the server stops its runs and removes its directory, as on any clean exit
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
  },
});
