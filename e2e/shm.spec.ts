// Shared memory has no messages: the hex view shows the bytes the writer put there.
import { expect, test } from '@playwright/test';
import { open, run, terminal, waitEnded } from './helpers';

test('a shared-memory scenario shows the written bytes in the hex view', async ({ page }) => {
  await open(page, { example: 'shm-posix-sem' });
  await run(page);
  await expect(terminal(page, 'reader')).toContainText('Reader read: Hello from writer process!');
  await waitEnded(page);
  await page.getByTestId('tab-objects').click();
  const hex = page.getByTestId('hex-view-c1');
  // 16 bytes a row: hex on the left, ASCII on the right
  await expect(hex.locator('.hx-ascii').nth(0)).toHaveText('Hello from write');
  await expect(hex.locator('.hx-ascii').nth(1)).toContainText('r process!');
  await expect(hex.locator('.hx-bytes').nth(0)).toHaveText('48656c6c6f2066726f6d207772697465'); // "Hello from write"
  await expect(hex.locator('.hx-bytes').nth(1)).toContainText('722070726f6365737321'); // "r process!"
  // bytes written since the last sample are highlighted
  await expect(hex.locator('.hx-new').first()).toBeVisible();
  // the edge label previews the segment too
  await expect(page.getByTestId('edge-state-c1')).toContainText('Hello from');
});
