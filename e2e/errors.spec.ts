// Errors show where they are, and Run starts nothing until they are fixed.
import { expect, test } from '@playwright/test';
import { open, terminal, writerReader } from './helpers';

test('a syntax error is shown at its line and Run starts nothing', async ({ page }) => {
  await open(page, { scenario: writerReader('pipe') });
  await page.getByTestId('node-name-p1').click();
  const editor = page.locator('[data-testid="editor-p1"] .cm-content');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type('prnt "oops"', { delay: 5 });
  await page.keyboard.press('Escape');

  // underlined on line 2, listed with its place, marked on the node
  const mark = page.locator('[data-testid="editor-p1"] .cm-line').nth(1).locator('.cm-check-error');
  await expect(mark).toHaveText('prnt');
  await expect(page.getByTestId('node-errors-p1')).toContainText('1 problem');

  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-message')).toContainText('Nothing was started');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'idle');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-run-id', '');
  const problem = page.getByTestId('problem').first();
  await expect(problem).toContainText('writer, line 2:1');
  await expect(problem).toContainText("unknown statement 'prnt'");
  await expect(terminal(page, 'p2')).toHaveText('');

  // the problem list takes you to the place
  await problem.click();
  await expect(page.getByTestId('editor-p1')).toBeVisible();

  // fixed: it runs
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+End');
  await page.keyboard.type('print "fixed"', { delay: 5 });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('node-errors-p1')).toHaveCount(0);
  await page.getByTestId('run-button').click();
  await expect(terminal(page, 'p1')).toContainText('fixed');
  await expect(terminal(page, 'p2')).toContainText('got hello');
});

test('an invalid channel option marks the edge', async ({ page }) => {
  const s = writerReader('shm-posix');
  s.channels[0].options = { size: 3 };
  s.processes[0].program = 'write c1 "hi"\n';
  s.processes[1].program = 'read c1 2 as m\nprint m\n';
  await open(page, { scenario: s });
  await expect(page.getByTestId('edge-label-c1')).toHaveClass(/has-errors/);
  await page.getByTestId('tab-problems').click();
  await expect(page.getByTestId('problem').first()).toContainText('channel c1 (options.size)');
});

test('a runtime error goes to stderr, in red, and the node shows the exit code', async ({ page }) => {
  await open(page, {
    scenario: { version: 1, title: 'not a number', processes: [{ id: 'p', name: 'p', program: 'set t = "abc"\nprint "before"\nprint t * 2\n', position: { x: 0, y: 0 } }], channels: [] },
  });
  await page.getByTestId('run-button').click();
  await expect(terminal(page, 'p')).toContainText('"abc" is not a number');
  await expect(terminal(page, 'p')).toContainText('before');
  await expect(page.getByTestId('node-state-p')).toHaveText('exited 1');
  await expect(page.getByTestId('node-p')).toHaveClass(/state-failed/);
  // xterm paints stderr with the red palette colour
  await expect(page.locator('[data-testid="terminal-p"] .xterm-rows span.xterm-fg-1').first()).toContainText('is not a number');
});

test('dividing by zero kills the process with SIGFPE, as the C does', async ({ page }) => {
  await open(page, {
    scenario: { version: 1, title: 'division by zero', processes: [{ id: 'p', name: 'p', program: 'set z = 0\nprint "before"\nprint 10 / z\n', position: { x: 0, y: 0 } }], channels: [] },
  });
  await page.getByTestId('run-button').click();
  await expect(terminal(page, 'p')).toContainText('before');
  await expect(page.getByTestId('node-state-p')).toHaveText('killed by SIGFPE');
});
