// Step mode: with the run paused, Step on one process runs one statement of that process only.
import { expect, test } from '@playwright/test';
import { open, type TestScenario } from './helpers';

const TWO: TestScenario = {
  version: 1,
  title: 'two counters',
  processes: [
    { id: 'a', name: 'a', program: 'print "a1"\nprint "a2"\nprint "a3"\n', position: { x: 0, y: 0 } },
    { id: 'b', name: 'b', program: 'print "b1"\nprint "b2"\nprint "b3"\n', position: { x: 560, y: 0 } },
  ],
  channels: [],
};

test('Step on one paused process advances only its line', async ({ page }) => {
  await open(page, { scenario: TWO });
  // Step with nothing running starts the run paused at the first statement
  await page.getByTestId('step-button').click();
  const lineA = page.getByTestId('node-line-a');
  const lineB = page.getByTestId('node-line-b');
  await expect(lineA).toHaveAttribute('data-line', '1');
  await expect(lineB).toHaveAttribute('data-line', '1');
  await expect(page.getByTestId('node-state-a')).toContainText('paused');
  await expect(page.getByTestId('node-state-b')).toContainText('paused');

  await page.getByTestId('node-name-a').click();
  await expect(page.getByTestId('step-button')).toContainText('Step a');
  await page.getByTestId('step-button').click();
  await expect(lineA).toHaveAttribute('data-line', '2');
  await page.getByTestId('step-button').click();
  await expect(lineA).toHaveAttribute('data-line', '3');
  // b has not moved
  await page.waitForTimeout(300);
  await expect(lineB).toHaveAttribute('data-line', '1');
  await expect(page.locator('[data-testid="terminal-b"] .xterm-accessibility-tree')).not.toContainText('b1');
  await expect(page.locator('[data-testid="terminal-a"] .xterm-accessibility-tree')).toContainText('a2');

  // the editor marks the running line of the selected process
  await expect(page.locator('[data-testid="editor-a"] .cm-running-line')).toHaveText('print "a3"');

  await page.getByTestId('pause-button').click(); // resume all
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'ended');
  await expect(page.getByTestId('node-state-b')).toHaveText('exited 0');
});
