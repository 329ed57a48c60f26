// The README's picture: the bounded buffer in slow motion, mid-run, with the producer
// paused so the consumer blocks on the `full` semaphore.
// IPCPG_SCREENSHOT=1 npx playwright test screenshot   (writes docs/screenshot.png)
import { expect, test } from '@playwright/test';
import { open, run, terminal } from './helpers';

test.skip(!process.env.IPCPG_SCREENSHOT, 'set IPCPG_SCREENSHOT=1 to refresh docs/screenshot.png');

test('screenshot of the playground mid-run', async ({ page }) => {
  await open(page, { example: 'bounded-buffer', sps: 3 });
  await run(page);
  await page.getByTestId('tab-objects').click();
  await expect(terminal(page, 'producer')).toContainText('produced item 3', { timeout: 15_000 });
  await page.getByTestId('node-name-producer').click();
  await page.getByTestId('proc-pause').click();
  await expect(page.getByTestId('node-state-producer')).toContainText('paused', { timeout: 15_000 });
  await expect(page.getByTestId('node-state-consumer')).toContainText('blocked', { timeout: 15_000 });
  await page.getByTestId('node-name-consumer').click();
  await page.waitForTimeout(400);
  await page.screenshot({ path: 'docs/screenshot.png' });
});
