// A second production server for tests that must kill it or give it other limits: the same
// build as the test server, on its own port.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expect } from '@playwright/test';

const root = path.resolve(import.meta.dirname, '..');

export interface TestServer {
  url: string;
  child: ChildProcess;
  log(): string;
  stop(): Promise<void>;
}

/** Starts `server/index.ts` on E2E_PORT + offset with extra environment, and waits until it listens. */
export async function startServer(offset: number, env: Record<string, string> = {}): Promise<TestServer> {
  const port = Number(process.env.E2E_PORT ?? 3123) + offset;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', PORT: String(port), IPCPG_AWAY_MS: '1500', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await expect.poll(() => out, { timeout: 60_000 }).toContain('IPC Playground on');
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    log: () => out,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
