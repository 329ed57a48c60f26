// Drawing a scenario from nothing with mouse and keyboard, then running it for real.
import { expect, test } from '@playwright/test';
import { EMPTY, centerOf, drag, nodeState, open, run, terminal, typeProgram, waitEnded } from './helpers';

test('draw a pipe scenario from scratch, run it, see the message and exit 0', async ({ page }) => {
  await open(page, { scenario: EMPTY });
  const canvas = page.getByTestId('canvas');
  const box = (await canvas.boundingBox())!;

  // two processes: a double-click on the canvas, then the toolbar button
  await page.mouse.dblclick(box.x + box.width * 0.25, box.y + box.height * 0.45);
  await expect(page.getByTestId('node-p1')).toBeVisible();
  await page.getByTestId('add-process').click();
  await expect(page.getByTestId('node-p2')).toBeVisible();

  // rename the first with the keyboard (F2), as a teacher would before class
  await page.getByTestId('node-name-p1').click();
  await page.keyboard.press('F2');
  await page.getByTestId('node-rename-p1').fill('writer');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('node-name-p1')).toHaveText('writer');

  // connect them by dragging from the writer's right handle to the other's left handle
  await drag(page, await centerOf(page, 'handle-out-p1'), await centerOf(page, 'handle-in-p2'));
  const menu = page.getByTestId('mechanism-menu');
  await expect(menu).toBeVisible();
  await menu.getByTestId('mech-pipe').click();
  await expect(page.getByTestId('edge-label-c1')).toContainText('Pipe');

  // both programs, typed
  await page.getByTestId('node-name-p1').click();
  await typeProgram(page, 'p1', ['send c1 "hello"', 'close c1']);
  await page.getByTestId('node-p2').click({ position: { x: 120, y: 90 } });
  await typeProgram(page, 'p2', ['recv c1 as msg', 'print "got {msg}"']);
  await expect(page.getByTestId('node-errors-p1')).toHaveCount(0);
  await expect(page.getByTestId('node-errors-p2')).toHaveCount(0);

  await run(page);
  await expect(terminal(page, 'p2')).toContainText('got hello');
  await waitEnded(page);
  await expect(nodeState(page, 'p1')).toHaveText('exited 0');
  await expect(nodeState(page, 'p2')).toHaveText('exited 0');
  await expect(page.getByTestId('leftovers')).toContainText('Nothing left behind');

  // Delete removes the selected channel; undo brings it back, redo removes it again
  await page.getByTestId('edge-label-c1').locator('.clabel-name').click();
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('edge-label-c1')).toHaveCount(0);
  await page.keyboard.press('ControlOrMeta+z');
  await expect(page.getByTestId('edge-label-c1')).toBeVisible();
  await page.keyboard.press('ControlOrMeta+Shift+z');
  await expect(page.getByTestId('edge-label-c1')).toHaveCount(0);
  await page.keyboard.press('ControlOrMeta+z');
  await expect(page.getByTestId('edge-label-c1')).toBeVisible();

  // nothing lost on reload
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('node-name-p1')).toHaveText('writer');
  await expect(page.getByTestId('edge-label-c1')).toBeVisible();
});
