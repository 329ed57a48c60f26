// kill -9 of the real web server while its processes are blocked: the page says what
// happened once a new server answers, and that server's start-up sweep removes every
// process, object and file of the dead one, and nothing of a live server's run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { shmEntriesOf, startBlocked } from './blocked';
import { hostPidsOf } from '../server/run/objects';
import { waitEnded } from './helpers';
import { startServer } from './server';

/** Instance directories of servers (ipcpg-<instance>), in the servers' temp directory. */
const instanceDirs = () => fs.readdirSync(os.tmpdir()).filter((f) => /^ipcpg-[a-z0-9]+$/.test(f) && fs.existsSync(path.join(os.tmpdir(), f, 'server.lock')));

test('kill -9 of the web server mid-run: the next server removes everything of it, and nothing else', async ({ page, browser }) => {
  test.setTimeout(120_000);
  // a run of the live test server, blocked too: it must come through untouched
  const bystander = await browser.newPage();
  const liveRun = await startBlocked(bystander);

  const dirsBefore = instanceDirs();
  let server = await startServer(1);
  const [deadDir] = instanceDirs().filter((d) => !dirsBefore.includes(d));
  expect(deadDir).toBeTruthy();
  try {
    const runId = await startBlocked(page, `${server.url}/`);
    const hosts = hostPidsOf(runId);
    expect(hosts.length).toBe(2);
    expect(shmEntriesOf(runId).length).toBeGreaterThan(0);

    server.child.kill('SIGKILL');
    await new Promise((r) => server.child.once('exit', r));
    await expect(page.getByTestId('connection')).not.toHaveAttribute('data-state', 'connected');
    // the dead server's objects are still there until a new server sweeps them
    expect(shmEntriesOf(runId).length).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(os.tmpdir(), deadDir))).toBe(true);

    server = await startServer(1);
    expect(server.log()).toContain('removed what a crashed earlier server left');
    expect(hostPidsOf(runId)).toEqual([]);
    expect(shmEntriesOf(runId)).toEqual([]);
    expect(fs.existsSync(path.join(os.tmpdir(), deadDir))).toBe(false);

    // the page reconnects to the new server and says what became of its run
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
    await waitEnded(page);
    await expect(page.getByTestId('notices')).toContainText('The server was restarted during this run');
    await expect(page.getByTestId('node-state-a')).toHaveText('killed: run lost');
    await expect(page.getByTestId('node-state-b')).toHaveText('killed: run lost');

    // the live server's run was not touched: still blocked, and it ends cleanly on Stop
    expect(hostPidsOf(liveRun).length).toBe(2);
    expect(shmEntriesOf(liveRun).length).toBeGreaterThan(0);
    await expect(bystander.getByTestId('node-state-b')).toContainText(/blocked in \w+\(\) on c2/);
    await bystander.getByTestId('stop-button').click();
    await waitEnded(bystander);
    await expect(bystander.getByTestId('leftovers')).toContainText('Nothing left behind');
  } finally {
    await server.stop();
    await bystander.close();
  }
});
