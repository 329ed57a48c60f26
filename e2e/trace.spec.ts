// The Syscalls tab: what the kernel saw of each process, as strace prints it, with the channel
// of the statement that made each call, in the order the calls returned.
import { expect, test } from '@playwright/test';
import { open, run, terminal, waitEnded } from './helpers';

test('the trace shows each call as strace prints it, and the channel it was made on', async ({ page }) => {
  await open(page, { path: '/examples/pipe-hello', trace: true });
  await run(page);
  await waitEnded(page);
  await expect(terminal(page, 'child')).toContainText('child read: hello');
  await page.getByTestId('tab-trace').click();
  const rows = page.getByTestId('trace-row');
  const write = rows.filter({ hasText: 'write(' }).filter({ hasText: '"hello", 5' });
  await expect(write).toHaveCount(1);
  await expect(write).toContainText('= 5');
  await expect(write.getByTestId('trace-chan')).toHaveText(' · c1');
  const read = rows.filter({ hasText: 'read(' });
  await expect(read).toHaveCount(1);
  await expect(read).toContainText('"hello", 5) = 5');
  // in the order the calls returned (the read may return before the write that fed it does:
  // the write wakes the reader, which can run on the other core before the writer returns)
  const times = (await rows.allTextContents()).map((t) => Number(/^\s*(\d+\.\d+)/.exec(t)?.[1]));
  expect(times.every((t) => Number.isFinite(t))).toBe(true);
  expect(times).toEqual([...times].sort((a, b) => a - b));
});
