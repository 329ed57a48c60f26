// Stop while processes are blocked, or close the tab mid-run: nothing is left on the host.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { open, run, waitEnded, type TestScenario } from './helpers';

const BLOCKED: TestScenario = {
  version: 1,
  title: 'everyone blocked',
  processes: [
    { id: 'a', name: 'a', program: 'wait c1          # blocks: the semaphore starts at 0\n', position: { x: 0, y: 0 } },
    { id: 'b', name: 'b', program: 'recv c2 as m     # blocks: nobody sends\n', position: { x: 560, y: 0 } },
  ],
  channels: [
    { id: 'c1', from: 'a', to: 'b', mechanism: 'sem-named' },
    { id: 'c2', from: 'a', to: 'b', mechanism: 'mq-sysv' },
    { id: 'c3', from: 'a', to: 'b', mechanism: 'shm-sysv' },
    { id: 'c4', from: 'a', to: 'b', mechanism: 'mq-posix' },
    { id: 'c5', from: 'a', to: 'b', mechanism: 'shm-posix' },
  ],
};

const shmEntries = () => fs.readdirSync('/dev/shm').filter((f) => f.includes('ipcpg')).sort();
const ipcs = () => execFileSync('ipcs', ['-q', '-m'], { encoding: 'utf8' });
const mqueues = () => (fs.existsSync('/dev/mqueue') ? fs.readdirSync('/dev/mqueue').filter((f) => f.includes('ipcpg')).sort() : []);

/** Processes whose command line names the run (the hosts are started with the run id). */
function processesOf(runId: string): number[] {
  const pids: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').includes(runId)) pids.push(Number(d));
    } catch {
      // gone while we looked
    }
  }
  return pids;
}

async function startBlocked(page: Page): Promise<string> {
  await open(page, { scenario: BLOCKED });
  await run(page);
  await expect(page.getByTestId('node-state-a')).toContainText(/blocked in \w+\(\) on c1/);
  await expect(page.getByTestId('node-state-b')).toContainText(/blocked in \w+\(\) on c2/);
  const runId = (await page.getByTestId('run-status').getAttribute('data-run-id'))!;
  expect(runId).toMatch(/^r/);
  return runId;
}

test('Stop while processes are blocked leaves nothing behind', async ({ page }) => {
  const shmBefore = shmEntries();
  const ipcsBefore = ipcs();
  const mqBefore = mqueues();

  const runId = await startBlocked(page);
  // the objects are really there while the run goes on
  expect(processesOf(runId).length).toBeGreaterThanOrEqual(2);
  expect(shmEntries().length).toBeGreaterThan(shmBefore.length);
  expect(ipcs()).not.toBe(ipcsBefore);

  await page.getByTestId('stop-button').click();
  await waitEnded(page);
  await expect(page.getByTestId('node-state-a')).toHaveText('killed by SIGTERM');
  await expect(page.getByTestId('leftovers')).toContainText('Nothing left behind');
  expect(processesOf(runId)).toEqual([]);
  // polled: other test suites may briefly hold objects of their own on this machine
  await expect.poll(() => shmEntries(), { timeout: 5_000 }).toEqual(shmBefore);
  await expect.poll(() => mqueues(), { timeout: 5_000 }).toEqual(mqBefore);
  await expect.poll(() => ipcs(), { timeout: 5_000 }).toBe(ipcsBefore);
});

test('a tab closed mid-run has its run stopped after the grace period', async ({ browser }) => {
  const shmBefore = shmEntries();
  const ipcsBefore = ipcs();
  const page = await browser.newPage();
  const runId = await startBlocked(page);
  await page.close();
  // the test server's grace period is 1.5 s
  await expect.poll(() => processesOf(runId), { timeout: 10_000 }).toEqual([]);
  await expect.poll(() => shmEntries(), { timeout: 5_000 }).toEqual(shmBefore);
  await expect.poll(() => ipcs(), { timeout: 5_000 }).toBe(ipcsBefore);
});
