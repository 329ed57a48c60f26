// The C behind a process: one click from its node, highlighted, copied, the whole file
// downloaded; the statement running is lit up in the C too.
import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { open, run, terminal } from './helpers';

test('the C of a process is one click from its node, in the file that runs; copy or download the whole file', async ({ browser }) => {
  const ctx = await browser.newContext();
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await ctx.newPage();
  await open(page, { path: '/examples/pipe-hello' });
  await page.getByTestId('node-c-parent').click();
  const code = page.getByTestId('cview-code');
  await expect(code).toContainText('static int process_parent(void)');
  await expect(code).toContainText('/* line 2: send c1 "hello"');
  // highlighted: the calls, the comments
  await expect(code.locator('.c-call', { hasText: /^write$/ }).first()).toBeVisible();
  await expect(code.locator('.c-com').first()).toBeVisible();

  // its part is in focus; the rest of the file is there too
  await expect(code.locator('.cl-mine', { hasText: 'static int process_parent(void)' })).toBeVisible();
  await expect(code.locator('.cl-other', { hasText: 'static int process_child(void)' })).toHaveCount(1);
  // the gate before each statement is in the C that runs
  await expect(code.locator('.cl-mine', { hasText: 'AT_LINE(2);' })).toHaveCount(1);

  await page.getByTestId('cview-copy').click();
  await expect(page.getByTestId('cview-copy')).toHaveText('✓ Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  // the whole file, which compiles on its own
  expect(copied).toContain('static int process_parent(void)');
  expect(copied).toContain('static int process_child(void)');
  expect(copied).toContain('int main(');
  // and how the playground runs it
  await page.getByTestId('cview-hosted').locator('summary').click();
  await expect(page.getByTestId('cview-hosted')).toContainText('#define AT_LINE(n) ipcpg_at(n)');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('cview-download').click()]);
  expect(download.suggestedFilename()).toBe('pipe-parent-to-child.c');
  const source = fs.readFileSync((await download.path())!, 'utf8');
  expect(source).toContain('int main(');
  expect(source).toContain('static int process_child(void)');

  // the other process from its node menu; the program tab is one click back
  await page.getByTestId('node-menu-child').click();
  await page.getByTestId('menu-show-c').click();
  await expect(code.locator('.cl-mine', { hasText: 'static int process_child(void)' })).toBeVisible();
  await page.getByTestId('tab-program').click();
  await expect(page.getByTestId('editor-child')).toBeVisible();
  await ctx.close();
});

test('while it runs, the C of the running statement is lit up', async ({ page }) => {
  await open(page, { path: '/examples/bounded-buffer', sps: 3 });
  await page.getByTestId('node-c-consumer').click();
  await run(page);
  await expect(terminal(page, 'consumer')).toContainText('consumed item 1', { timeout: 15_000 });
  const lit = page.locator('[data-testid="cview-code"] .cl-run');
  await expect(lit.first()).toBeVisible();
  await expect(lit.first()).toContainText('/* line');
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'ended');
});
