// kill -9 of the real web server while its processes are blocked: the page says what
// happened once a new server answers, and that server's start-up sweep removes every
// process, object and file of the dead one, and nothing of a live server's run.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { processesOf, shmEntriesOf, startBlocked } from './blocked';
import { waitEnded } from './helpers';

const PORT = Number(process.env.E2E_PORT ?? 3123) + 1;
const URL = `http://127.0.0.1:${PORT}`;
const root = path.resolve(import.meta.dirname, '..');

/** A second production server on its own port (the build is the one the test server uses). */
async function startServer(): Promise<{ child: ChildProcess; log: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', PORT: String(PORT), IPCPG_DISCONNECT_GRACE_MS: '1500' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await expect.poll(() => out, { timeout: 60_000 }).toContain('IPC Playground on');
  return { child, log: () => out };
}

/** Instance directories of servers (ipcpg-<instance>), in the servers' temp directory. */
const instanceDirs = () => fs.readdirSync(os.tmpdir()).filter((f) => /^ipcpg-[a-z0-9]+$/.test(f) && fs.existsSync(path.join(os.tmpdir(), f, 'server.lock')));

test('kill -9 of the web server mid-run: the next server removes everything of it, and nothing else', async ({ page, browser }) => {
  test.setTimeout(120_000);
  // a run of the live test server, blocked too: it must come through untouched
  const bystander = await browser.newPage();
  const liveRun = await startBlocked(bystander);

  const dirsBefore = instanceDirs();
  let server = await startServer();
  const [deadDir] = instanceDirs().filter((d) => !dirsBefore.includes(d));
  expect(deadDir).toBeTruthy();
  try {
    const runId = await startBlocked(page, `${URL}/`);
    const hosts = processesOf(runId);
    expect(hosts.length).toBe(2);
    expect(shmEntriesOf(runId).length).toBeGreaterThan(0);

    server.child.kill('SIGKILL');
    await new Promise((r) => server.child.once('exit', r));
    await expect(page.getByTestId('connection')).not.toHaveAttribute('data-state', 'connected');
    // the dead server's objects are still there until a new server sweeps them
    expect(shmEntriesOf(runId).length).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(os.tmpdir(), deadDir))).toBe(true);

    server = await startServer();
    expect(server.log()).toContain('removed what a crashed earlier server left');
    expect(processesOf(runId)).toEqual([]);
    expect(shmEntriesOf(runId)).toEqual([]);
    expect(fs.existsSync(path.join(os.tmpdir(), deadDir))).toBe(false);

    // the page reconnects to the new server and says what became of its run
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
    await waitEnded(page);
    await expect(page.getByTestId('notices')).toContainText('The server was restarted during this run');

    // the live server's run was not touched: still blocked, and it ends cleanly on Stop
    expect(processesOf(liveRun).length).toBe(2);
    expect(shmEntriesOf(liveRun).length).toBeGreaterThan(0);
    await expect(bystander.getByTestId('node-state-b')).toContainText(/blocked in \w+\(\) on c2/);
    await bystander.getByTestId('stop-button').click();
    await waitEnded(bystander);
    await expect(bystander.getByTestId('leftovers')).toContainText('Nothing left behind');
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((r) => (server.child.exitCode !== null ? r(null) : server.child.once('exit', r)));
    await bystander.close();
  }
});
