// Compare runs: "Run 20×" on the counter race runs it again and again (E2E_SERIES runs here:
// the page takes ?series=N so a test need not wait for twenty) and shows its outcomes: the
// lost updates as a spread, counts that add up to the runs made; a run opens as its
// recording in the replay. The deadlock example shows how often it deadlocked.
import { expect, test } from '@playwright/test';
import { open, runStatus } from './helpers';

const N = Number(process.env.E2E_SERIES ?? 5);

test('counter race run N times: the spread of lost updates, counts that sum to N, a run opened as its recording', async ({ page }) => {
  test.setTimeout(60_000 + N * 15_000);
  await open(page, { path: `/?example=counter-race&series=${N}` });
  const button = page.getByTestId('series-button');
  await expect(button).toHaveText('Run 20×');
  await button.click();
  const pane = page.getByTestId('compare-pane');
  await expect(pane).toBeVisible();
  await expect(pane).toHaveAttribute('data-active', 'false', { timeout: N * 15_000 });
  await expect(pane).toHaveAttribute('data-done', String(N));
  await expect(page.getByTestId('compare-summary')).toContainText(`${N} runs of Counter race`);

  // every run is in one outcome or another, and the counts say so
  const counts = await page.getByTestId('outcome').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(N);
  // the unlocked counter loses a different number of updates from run to run: one outcome
  // with its spread (not N rows), unless every run lost exactly as many
  const spreads = page.getByTestId('spread');
  if (counts.length === 1 && (await spreads.count()) > 0) {
    const first = spreads.first();
    await expect(first).toContainText('min');
    await expect(first).toContainText('median');
    expect(Number(await first.getAttribute('data-min'))).toBeLessThan(Number(await first.getAttribute('data-max')));
    await expect(page.getByTestId('outcome').first().locator('.cmp-hist').first()).toBeVisible();
  }
  await expect(page.getByTestId('outcome').first()).toContainText('with the mutex: 200,000 of 200,000'.replace(/,/g, ''));

  // a run opens as its recording: the replay's timeline, its terminal holds that run's text
  await page.getByTestId('open-run').first().click();
  await expect(page.getByTestId('timeline-pane')).toBeVisible();
  await expect(runStatus(page)).toHaveAttribute('data-status', 'ended');
  await expect(page.locator('[data-testid="terminal-inc1"] .xterm-accessibility-tree')).toContainText('without a lock');
  // and the comparison is still there to open another
  await page.getByTestId('tab-compare').click();
  await expect(page.getByTestId('outcome')).toHaveCount(counts.length);
});

test('the deadlock run N times: how often it deadlocked, each run stopped once it is seen', async ({ page }) => {
  const n = Math.min(N, 3);
  test.setTimeout(60_000 + n * 15_000);
  await open(page, { path: `/?example=deadlock&series=${n}` });
  await page.getByTestId('series-button').click();
  const pane = page.getByTestId('compare-pane');
  await expect(pane).toHaveAttribute('data-active', 'false', { timeout: n * 15_000 });
  await expect(pane).toHaveAttribute('data-done', String(n));
  const outcome = page.getByTestId('outcome');
  await expect(outcome).toHaveCount(1);
  await expect(outcome).toHaveAttribute('data-count', String(n));
  await expect(outcome).toContainText('Deadlock');
  await expect(outcome).toContainText('p1 waits for lockB held by p2');
  await expect(outcome.locator('.cmp-end').first()).toHaveText('deadlocked');
});

test('Stop ends a series: the runs made so far are compared', async ({ page }) => {
  test.setTimeout(60_000);
  await open(page, { path: '/?example=deadlock' });
  await page.keyboard.press('Control+Shift+Enter');
  const pane = page.getByTestId('compare-pane');
  await expect(pane).toHaveAttribute('data-active', 'true');
  await expect(pane).toHaveAttribute('data-done', '1', { timeout: 15_000 });
  await page.getByTestId('stop-button').click();
  await expect(pane).toHaveAttribute('data-active', 'false');
  await expect(page.getByTestId('compare-summary')).toContainText(/Stopped after [12] of 20 runs/);
  await expect(runStatus(page)).not.toHaveAttribute('data-status', 'running');
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  test('the Compare tab comes into sight in the scrolling tabs, and the dock grows for it, the drawing keeping its room', async ({ page }) => {
    test.setTimeout(60_000);
    await open(page, { path: '/?example=deadlock&series=2' });
    await page.getByTestId('series-button').click();
    const pane = page.getByTestId('compare-pane');
    await expect(pane).toHaveAttribute('data-active', 'false', { timeout: 30_000 });
    const tabs = (await page.getByRole('tablist', { name: 'Run details' }).boundingBox())!;
    const tab = (await page.getByTestId('tab-compare').boundingBox())!;
    expect(tab.x).toBeGreaterThanOrEqual(tabs.x - 1);
    expect(tab.x + tab.width).toBeLessThanOrEqual(tabs.x + tabs.width + 1);
    expect((await page.getByRole('tabpanel', { name: 'Compare' }).boundingBox())!.height).toBeGreaterThanOrEqual(350);
    expect((await page.getByTestId('canvas').boundingBox())!.height).toBeGreaterThanOrEqual(300);
  });
});
