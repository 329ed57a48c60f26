// Accessibility: axe finds no serious or critical violation on the main page (before and
// after a run, and with the outcomes of a series of runs), the gallery and a follower's page.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { open, run, shareLive, terminal, waitEnded } from './helpers';

// axe reads the whole page: slow on a loaded machine
test.describe.configure({ timeout: 120_000 });

async function seriousViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`);
}

test('the main page, before and after a run', async ({ page }) => {
  await open(page, { path: '/examples/pipe-hello' });
  expect(await seriousViolations(page)).toEqual([]);
  await run(page);
  await expect(terminal(page, 'child')).toContainText('child read: hello');
  await waitEnded(page);
  // the run's status is announced: a polite live region, without the ticking clock
  const announce = page.getByTestId('run-announce');
  await expect(announce).toHaveAttribute('aria-live', 'polite');
  await expect(announce).toHaveText('The run ended: finished');
  await page.getByTestId('tab-objects').click();
  expect(await seriousViolations(page)).toEqual([]);
});

test('the outcomes of a series of runs (the Compare tab)', async ({ page }) => {
  await open(page, { path: '/?example=counter-race&series=3' });
  await page.getByTestId('series-button').click();
  await expect(page.getByTestId('compare-pane')).toHaveAttribute('data-done', '3', { timeout: 60_000 });
  await expect(page.getByTestId('compare-pane')).toHaveAttribute('data-active', 'false');
  expect(await seriousViolations(page)).toEqual([]);
});

test('the gallery', async ({ page }) => {
  await open(page, { path: '/gallery' });
  await expect(page.getByTestId('gallery')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test("a follower's page", async ({ browser }) => {
  const presenter = await (await browser.newContext()).newPage();
  await open(presenter, { path: '/examples/pipe-hello' });
  const link = await shareLive(presenter);
  const follower = await (await browser.newContext()).newPage();
  await follower.goto(link);
  await expect(follower.getByTestId('following-badge')).toBeVisible();
  await run(presenter);
  await expect(terminal(follower, 'child')).toContainText('child read: hello');
  await waitEnded(follower);
  expect(await seriousViolations(follower)).toEqual([]);
  await presenter.context().close();
  await follower.context().close();
});
