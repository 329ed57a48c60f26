// The page in front of a class: what it says stays true (a refused Run's message goes with
// its scenario, edges tell the state after a run and every waiter), and it fits the room.
import { expect, test } from '@playwright/test';
import { open, run, waitEnded, type TestScenario } from './helpers';

test("a refused Run's message does not stay over the next scenario", async ({ page }) => {
  const broken: TestScenario = { version: 1, title: 'broken', processes: [{ id: 'p1', name: 'p1', program: 'send c9 "x"', position: { x: 0, y: 0 } }], channels: [] };
  await open(page, { scenario: broken });
  await run(page);
  await expect(page.getByTestId('run-message')).toContainText('Nothing was started');
  await page.getByTestId('gallery-button').click();
  await page.getByTestId('gallery-card-pipe-hello').click();
  await expect(page.getByTestId('scenario-title')).toHaveValue('Pipe: parent to child');
  await expect(page.getByTestId('run-message')).toHaveCount(0);
});

test('after a run a FIFO edge says what went through it, not "not opened yet"', async ({ page }) => {
  await open(page, { path: '/examples/fifo-server-client' });
  await run(page);
  await waitEnded(page);
  await expect(page.getByTestId('edge-state-c1')).toHaveText('23 B through');
});

test('a semaphore edge names every process waiting on it', async ({ page }) => {
  const both: TestScenario = {
    version: 1,
    title: 'both wait',
    processes: [
      { id: 'a', name: 'alice', program: 'wait c1', position: { x: 0, y: 0 } },
      { id: 'b', name: 'bob', program: 'wait c1', position: { x: 500, y: 0 } },
    ],
    channels: [{ id: 'c1', from: 'a', to: 'b', mechanism: 'sem-named' }],
  };
  await open(page, { scenario: both });
  await run(page);
  await expect(page.getByTestId('edge-state-c1')).toHaveText('value 0 · alice, bob wait');
  await page.getByTestId('stop-button').click();
  await waitEnded(page);
});
