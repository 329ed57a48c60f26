// The README's pictures: the bounded buffer in slow motion, mid-run, with the producer
// paused so the consumer blocks on the `full` semaphore; the gallery; a deadlock found.
// IPCPG_SCREENSHOT=1 npx playwright test screenshot
//   (writes docs/screenshot.png, docs/gallery.png, docs/deadlock.png)
import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { open, run, shareLive, terminal } from './helpers';

test.skip(!process.env.IPCPG_SCREENSHOT, 'set IPCPG_SCREENSHOT=1 to refresh the pictures in docs/');

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

test('screenshot of the gallery', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 1280 });
  await open(page, { path: '/gallery' });
  await expect(page.locator('[data-testid^="gallery-card-"]')).toHaveCount(fs.readdirSync("examples").filter((f) => f.endsWith(".json")).length);
  await page.getByTestId('gallery-search').blur();
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'docs/gallery.png' });
});

test('screenshot of a deadlock found', async ({ page }) => {
  await open(page, { path: '/examples/deadlock' });
  await page.locator('[data-testid="toast-opened"] button[aria-label="Dismiss"]').click();
  await run(page);
  await expect(page.getByTestId('deadlock-banner')).toBeVisible();
  await page.getByTestId('tab-objects').click();
  await page.getByTestId('node-name-p1').click();
  await page.getByTestId('tab-c').click();
  await page.waitForTimeout(600);
  await page.screenshot({ path: 'docs/deadlock.png' });
  await page.getByTestId('deadlock-stop').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'ended');
});

test('screenshot of follow mode (a follower watching the presenter run)', async ({ browser }) => {
  const presenter = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await open(presenter, { path: '/examples/bounded-buffer', sps: 4 });
  const link = await shareLive(presenter);
  const follower = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await follower.goto(link);
  await expect(follower.getByTestId('following-badge')).toBeVisible();
  await presenter.getByTestId('node-name-consumer').click();
  await run(presenter);
  await expect(terminal(follower, 'consumer')).toContainText('consumed item 2', { timeout: 15_000 });
  await follower.waitForTimeout(300);
  await follower.screenshot({ path: 'docs/follow.png' });
  await presenter.getByTestId('stop-button').click();
  await presenter.context().close();
  await follower.context().close();
});
