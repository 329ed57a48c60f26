// Stop while processes are blocked, or close the tab mid-run: nothing is left on the host.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { playgroundSysv, shmEntriesOf, startBlocked } from './blocked';
import { hostPidsOf } from '../server/run/objects';
import { waitEnded } from './helpers';

const canUnshare = () => {
  try {
    execFileSync('unshare', ['--ipc', '--net', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const mqueues = () => (fs.existsSync('/dev/mqueue') ? fs.readdirSync('/dev/mqueue').filter((f) => f.includes('ipcpg')).sort() : []);

test('Stop while processes are blocked leaves nothing behind', async ({ page }) => {
  const sysvBefore = playgroundSysv();
  const mqBefore = mqueues();

  const runId = await startBlocked(page);
  // the objects are really there while the run goes on, SysV ones where its processes see them
  const pids = hostPidsOf(runId);
  expect(pids.length).toBe(2);
  expect(shmEntriesOf(runId).length).toBeGreaterThan(0);
  expect(playgroundSysv(pids[0]).length).toBeGreaterThanOrEqual(2);

  await page.getByTestId('stop-button').click();
  await waitEnded(page);
  await expect(page.getByTestId('node-state-a')).toHaveText('killed by SIGTERM');
  await expect(page.getByTestId('leftovers')).toContainText('Nothing left behind');
  // where the host allows new namespaces (root, as here and in CI), each run gets its own
  await expect(page.getByTestId('isolation')).toContainText(canUnshare() ? 'its own IPC and network namespaces' : 'isolated by the names of its objects');
  expect(hostPidsOf(runId)).toEqual([]);
  expect(shmEntriesOf(runId)).toEqual([]);
  // nothing new remains (other runs on this machine may come and go meanwhile)
  await expect.poll(() => mqueues().filter((q) => !mqBefore.includes(q)), { timeout: 5_000 }).toEqual([]);
  await expect.poll(() => playgroundSysv().filter((o) => !sysvBefore.includes(o)), { timeout: 5_000 }).toEqual([]);
});

test('a tab closed mid-run has its run stopped once it has been away too long', async ({ browser }) => {
  const sysvBefore = playgroundSysv();
  const page = await browser.newPage();
  const runId = await startBlocked(page);
  await page.close();
  // the test server waits 1.5 s for a tab to come back (IPCPG_AWAY_MS)
  await expect.poll(() => hostPidsOf(runId), { timeout: 10_000 }).toEqual([]);
  await expect.poll(() => shmEntriesOf(runId), { timeout: 5_000 }).toEqual([]);
  await expect.poll(() => playgroundSysv().filter((o) => !sysvBefore.includes(o)), { timeout: 5_000 }).toEqual([]);
});
