// One drawing, seven mechanisms: the programs stay the same, the kernel objects change.
import { expect, test } from '@playwright/test';
import { nodeState, open, run, terminal, waitEnded, writerReader } from './helpers';

test('the same programs work over fifo, message queues and sockets', async ({ page }) => {
  await open(page, { scenario: writerReader('pipe') });
  for (const mechanism of ['pipe', 'fifo', 'mq-sysv', 'mq-posix', 'unix-stream', 'tcp', 'udp']) {
    await test.step(mechanism, async () => {
      if (mechanism !== 'pipe') {
        await page.getByTestId('edge-mech-c1').click();
        await page.getByTestId('mechanism-menu').getByTestId(`mech-${mechanism}`).click();
        await expect(page.getByTestId('edge-label-c1')).toHaveAttribute('data-mechanism', mechanism);
      }
      await run(page);
      await waitEnded(page);
      await expect(terminal(page, 'p2')).toContainText('got hello');
      await expect(nodeState(page, 'p1')).toHaveText('exited 0');
      await expect(nodeState(page, 'p2')).toHaveText('exited 0');
      await expect(page.getByTestId('leftovers')).toContainText('Nothing left behind');
    });
  }
});
