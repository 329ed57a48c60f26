// A presenter's tab is not the run's life: a reload mid-run finds the run with its terminals'
// text and goes on drawing it; followers are told the presenter is away, watch the run go on,
// and see the presenter come back on the same link (here its short code, /f/CODE).
// Its own server: a tab may stay away a minute there (IPCPG_AWAY_MS), not 1.5 s as on the
// shared test server.
import { expect, test, type Page } from '@playwright/test';
import { open, runStatus, shareLive, terminal, waitReady, type TestScenario } from './helpers';
import { startServer, type TestServer } from './server';

const TICKER: TestScenario = {
  version: 1,
  title: 'A slow ticker',
  processes: [
    // what it prints first stays on screen (xterm shows only the rows on screen to a test)
    { id: 'h', name: 'head', program: 'repeat 3 {\n  print "first {i}"\n}\nsleep 60000\n', position: { x: 0, y: 0 } },
    { id: 't', name: 'ticker', program: 'repeat 300 {\n  print "tick {i}"\n  sleep 150\n}\n', position: { x: 300, y: 0 } },
  ],
  channels: [],
};

// a busy machine makes pages slow: these tests wait on real processes and two browsers
test.describe.configure({ timeout: 120_000 });

let server: TestServer;
test.beforeAll(async () => {
  server = await startServer(3, { IPCPG_AWAY_MS: '60000' });
});
test.afterAll(async () => {
  await server?.stop();
});

/** The highest tick a terminal shows. */
async function lastTick(page: Page): Promise<number> {
  const text = (await terminal(page, 't').textContent()) ?? '';
  return Math.max(0, ...[...text.matchAll(/tick (\d+)/g)].map((m) => Number(m[1])));
}

test('a reload mid-run re-attaches to the run: same run, terminals keep their text, controls work', async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  await open(page, { scenario: TICKER, path: `${server.url}/` });
  await page.getByTestId('run-button').click();
  await expect(terminal(page, 't')).toContainText('tick 3');
  const runId = await runStatus(page).getAttribute('data-run-id');
  expect(runId).toMatch(/^r/);

  await page.reload();
  await waitReady(page);
  await expect(runStatus(page)).toHaveAttribute('data-status', 'running');
  await expect(runStatus(page)).toHaveAttribute('data-run-id', runId!);
  await expect(terminal(page, 'h')).toContainText('first 1first 2first 3');
  // it goes on drawing what comes next
  const now = await lastTick(page);
  await expect.poll(() => lastTick(page)).toBeGreaterThan(now + 2);
  await expect(page.getByTestId('node-state-t')).toContainText(/running|sleeping/);

  await page.getByTestId('stop-button').click();
  await expect(runStatus(page)).toHaveAttribute('data-status', 'ended');
  await expect(page.getByTestId('node-state-t')).toHaveText('killed by SIGTERM');
  await page.context().close();
});

test('followers are told the presenter is away, watch the run go on, and see them come back on the same code', async ({ browser }) => {
  const presenter = await (await browser.newContext()).newPage();
  await open(presenter, { scenario: TICKER, path: `${server.url}/` });
  const link = await shareLive(presenter);
  await presenter.getByTestId('share-button').click();
  const code = (await presenter.getByTestId('follow-code').textContent()) ?? '';
  expect(code).toMatch(/^[A-Z2-9]{6}$/);

  // the code and its QR, large, for a projector
  await presenter.getByTestId('show-projector-code').click();
  await expect(presenter.getByTestId('projector-code-text')).toHaveText(code);
  await expect(presenter.getByTestId('projector-qr').locator('svg')).toBeVisible();
  await presenter.keyboard.press('Escape');
  await expect(presenter.getByTestId('projector-code')).toHaveCount(0);

  const follower = await (await browser.newContext()).newPage();
  await follower.goto(`${server.url}/f/${code.toLowerCase()}`);
  await waitReady(follower);
  await expect(follower.getByTestId('following-badge')).toHaveText('Following live');

  await presenter.getByTestId('run-button').click();
  // ticks scroll by (xterm shows the rows on screen): any of them
  await expect(terminal(follower, 't')).toContainText(/tick \d+/);
  await expect(terminal(follower, 'h')).toContainText('first 3');

  // the presenter's tab goes elsewhere: its session and its run stay
  await presenter.goto('about:blank');
  await expect(follower.getByTestId('follow-away')).toContainText('The presenter is away');
  await expect(follower.getByTestId('following-badge')).toHaveText('Presenter away');
  const before = await lastTick(follower);
  await expect.poll(() => lastTick(follower)).toBeGreaterThan(before + 3);
  await expect(runStatus(follower)).toHaveAttribute('data-status', 'running');

  // back in the same tab: sharing again under the same link, the run drawn as it is now
  await presenter.goto(`${server.url}/`);
  await waitReady(presenter);
  await expect(follower.getByTestId('following-badge')).toHaveText('Following live');
  await expect(follower.getByTestId('follow-away')).toHaveCount(0);
  await expect(runStatus(presenter)).toHaveAttribute('data-status', 'running');
  await expect(terminal(presenter, 'h')).toContainText('first 1first 2first 3');
  await presenter.getByTestId('follower-count').click();
  await expect(presenter.getByTestId('follow-link-input')).toHaveValue(link);
  await expect(presenter.getByTestId('follow-code')).toHaveText(code);
  await presenter.keyboard.press('Escape');

  await presenter.getByTestId('stop-button').click();
  await expect(runStatus(follower)).toHaveAttribute('data-status', 'ended');
  for (const p of [presenter, follower]) await p.context().close();
});
