// The drawing without a mouse: processes are connected from their menu, and the focus is
// visible on processes and channels.
import { expect, test } from '@playwright/test';
import { open, type TestScenario } from './helpers';

const TWO: TestScenario = {
  version: 1,
  title: 'two',
  processes: [
    { id: 'p1', name: 'writer', program: 'send c1 "hi"', position: { x: 0, y: 0 } },
    { id: 'p2', name: 'reader', program: 'recv c1 as m\nprint m', position: { x: 500, y: 0 } },
  ],
  channels: [],
};

test('a process is connected to another from the keyboard: its menu, "Connect to…", then the mechanism', async ({ page }) => {
  await open(page, { scenario: TWO });
  await page.getByTestId('node-menu-p1').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('node-menu')).toBeVisible();
  for (let i = 0; i < 8 && !(await page.getByTestId('menu-connect-p2').evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const menu = page.getByTestId('mechanism-menu');
  await expect(menu).toBeVisible();
  await expect(page.getByTestId('mech-pipe')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('mech-fifo')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(menu).toHaveCount(0);
  await expect(page.getByTestId('edge-label-c1')).toContainText('FIFO');
  await expect(page.getByTestId('node-errors-p1')).toHaveCount(0);
});

test('the focus is visible on processes and on channels', async ({ page }) => {
  await open(page, { path: '/examples/pipe-hello' });
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('class') ?? '');
  // Tab until a process has the focus, then back to its channel
  await page.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
  for (let i = 0; i < 40 && !(await focused()).includes('react-flow__node'); i++) await page.keyboard.press('Tab');
  expect(await focused()).toContain('react-flow__node');
  expect(await page.evaluate(() => getComputedStyle(document.activeElement!.querySelector('.pnode')!).outlineStyle)).toBe('solid');
  // the channels come before the processes in the tab order
  for (let i = 0; i < 20 && !(await focused()).includes('react-flow__edge'); i++) await page.keyboard.press('Shift+Tab');
  expect(await focused()).toContain('react-flow__edge');
  // (the width eases in: read it once it has)
  await expect.poll(() => page.evaluate(() => parseFloat(getComputedStyle(document.activeElement!.querySelector('.cedge')!).strokeWidth))).toBe(5);
});
