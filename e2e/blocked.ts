// A scenario whose two processes block at once (a semaphore wait and a SysV queue receive),
// with objects of every kind that leaves something on the host, and ways to see them there.
import fs from 'node:fs';
import { expect, type Page } from '@playwright/test';
import { SYSV_KEY_PREFIX } from '../server/mechanisms/sysv-key';
import { sysvObjects } from '../server/run/objects';
import { open, run, type TestScenario } from './helpers';

export const BLOCKED: TestScenario = {
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

/** The run's POSIX shared memory and named semaphores (their names carry the run id). */
export const shmEntriesOf = (runId: string) => fs.readdirSync('/dev/shm').filter((f) => f.includes(`.${runId}.`));

/** Ids of the playground's SysV objects (key prefix 0x49, any server's), where `pid` sees them (default: here). */
export const playgroundSysv = (pid?: number) => sysvObjects(pid).filter((o) => (o.key & 0xff000000) === SYSV_KEY_PREFIX).map((o) => o.id);

/** Opens BLOCKED (at `url`, default the test server), runs it, and waits until both processes block. */
export async function startBlocked(page: Page, url?: string): Promise<string> {
  await open(page, { scenario: BLOCKED, path: url });
  await run(page);
  await expect(page.getByTestId('node-state-a')).toContainText(/blocked in \w+\(\) on c1/);
  await expect(page.getByTestId('node-state-b')).toContainText(/blocked in \w+\(\) on c2/);
  const runId = (await page.getByTestId('run-status').getAttribute('data-run-id'))!;
  expect(runId).toMatch(/^r/);
  return runId;
}
