// A redis-server of the test's own, on a free port, in a temporary directory; stopped by the
// test. Null (and the reason) when Debian's redis-server is not installed.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export const redisMissing = (): string | null => (spawnSync('redis-server', ['--version']).error ? 'redis-server is not installed (apt-get install redis-server)' : null);

/** A redis-server on `port` (by default a free one). */
export async function startRedis(port?: number): Promise<TestRedis> {
  port ||= await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipcpg-redis-'));
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  for (const until = Date.now() + 10_000; ; ) {
    const up = await new Promise<boolean>((res) => {
      const c = net.connect(port, '127.0.0.1', () => (c.end(), res(true)));
      c.on('error', () => res(false));
    });
    if (up) break;
    if (Date.now() > until || child.exitCode !== null) throw new Error('redis-server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
