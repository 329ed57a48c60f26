// Signals from a node's menu are real kill(2) calls: a handler runs, SIGKILL kills.
import { expect, test } from '@playwright/test';
import { nodeState, open, run, terminal, waitEnded, type TestScenario } from './helpers';

const SLEEPER: TestScenario = {
  version: 1,
  title: 'a process waiting for signals',
  processes: [
    { id: 'sleeper', name: 'sleeper', program: 'on SIGUSR1 { print "caught SIGUSR1" }\nprint "ready, pid {pid}"\nforever {\n  sleep 200\n}\n', position: { x: 0, y: 0 } },
  ],
  channels: [],
};

test('a signal from the node menu reaches the handler; SIGKILL kills', async ({ page }) => {
  await open(page, { scenario: SLEEPER });
  await run(page);
  await expect(terminal(page, 'sleeper')).toContainText('ready, pid');

  await page.getByTestId('node-menu-sleeper').click();
  await page.getByTestId('node-menu').getByTestId('signal-SIGUSR1').click();
  await expect(terminal(page, 'sleeper')).toContainText('caught SIGUSR1');
  await expect(page.getByTestId('node-signal-sleeper')).toContainText('SIGUSR1');

  // a second one, from the context menu this time
  await page.getByTestId('node-sleeper').click({ button: 'right' });
  await page.getByTestId('node-menu').getByTestId('signal-SIGKILL').click();
  await expect(nodeState(page, 'sleeper')).toHaveText('killed by SIGKILL');
  await waitEnded(page);
  await expect(page.getByTestId('outcome-sleeper')).toHaveText('killed by SIGKILL');
});
