// In front of a class: presentation mode (large type, high contrast, no editing chrome) on a
// 1024×768 projector at 150 % zoom, and a follower on a phone.
import { expect, test } from '@playwright/test';
import { open, run, shareLive, terminal, waitEnded } from './helpers';

test.describe('1024×768 at 150 % zoom', () => {
  test.use({ viewport: { width: 683, height: 512 }, deviceScaleFactor: 1.5 });

  test('?present=1: no editing chrome, the graph and the terminals fit, and the mode turns off', async ({ page }) => {
    await open(page, { path: '/examples/bounded-buffer?present=1', sps: 4 });
    const app = page.getByTestId('app');
    await expect(app).toHaveAttribute('data-present', 'true');
    for (const id of ['add-process', 'share-button', 'gallery-button', 'reference-button', 'inspector', 'handle-out-producer']) await expect(page.getByTestId(id)).toBeHidden();
    await expect(page.getByTestId('present-button')).toHaveAttribute('aria-pressed', 'true');
    const canvas = (await page.getByTestId('canvas').boundingBox())!;
    expect(canvas.width).toBeGreaterThanOrEqual(680);
    expect(canvas.height).toBeGreaterThanOrEqual(240);
    // nothing of the page sticks out of the screen
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(683);
    await run(page);
    await expect(terminal(page, 'consumer')).toContainText('consumed item 1', { timeout: 15_000 });
    // the terminals' type is larger
    expect(await page.locator('[data-testid="terminal-consumer"] .xterm-rows').evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(18);
    await page.getByTestId('stop-button').click();
    await waitEnded(page);

    await page.getByTestId('present-button').click();
    await expect(app).not.toHaveAttribute('data-present', 'true');
    expect(page.url()).not.toContain('present=1');
    await expect(page.getByTestId('share-button')).toBeVisible();
  });
});

test('a follower on a 390×844 phone: read-only, the terminals first, the drawing under them', async ({ browser }) => {
  const presenter = await (await browser.newContext()).newPage();
  await open(presenter, { path: '/examples/pipe-hello' });
  const link = await shareLive(presenter);
  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true })).newPage();
  await phone.goto(link);
  await expect(phone.getByTestId('following-badge')).toBeVisible();
  await run(presenter);
  await expect(terminal(phone, 'child')).toContainText('child read: hello');
  const terms = (await phone.getByTestId('terminals').boundingBox())!;
  const canvas = (await phone.getByTestId('canvas').boundingBox())!;
  expect(terms.y).toBeLessThan(canvas.y);
  expect(terms.width).toBeGreaterThan(360);
  expect(canvas.height).toBeGreaterThan(250);
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  // no editing there: no Run button, no drawing tools
  await expect(phone.getByTestId('run-button')).toHaveCount(0);
  await expect(phone.getByTestId('add-process')).toHaveCount(0);
  await presenter.context().close();
  await phone.context().close();
});
