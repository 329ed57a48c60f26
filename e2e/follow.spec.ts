// Follow mode: a presenter shares a tab live; followers (other browsers) watch the same runs,
// read-only, with the presenter's selection; a late joiner gets the run so far at once; the
// link grants no control.
import { expect, test, type Page } from '@playwright/test';
import { io } from 'socket.io-client';
import type { ControlReply, FollowJoinReply } from '../lib/protocol';
import { open, runStatus, shareLive, terminal, waitEnded, waitReady, type TestScenario } from './helpers';

const TICKS = 10;
const DEMO: TestScenario = {
  version: 1,
  title: 'Live demo: ticks through a queue',
  processes: [
    { id: 'ticker', name: 'ticker', program: `repeat ${TICKS} {\n  send q "tick {i}"\n  sleep 150\n}\n`, position: { x: 0, y: 0 } },
    { id: 'echo', name: 'echo', program: `repeat ${TICKS} {\n  recv q as m\n  print "echo {m}"\n}\n`, position: { x: 600, y: 0 } },
  ],
  channels: [{ id: 'c1', from: 'ticker', to: 'echo', mechanism: 'mq-sysv', label: 'q' }],
};

const allTicks = Array.from({ length: TICKS }, (_, i) => `echo tick ${i + 1}`).join('');

async function follow(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await waitReady(page);
  await expect(page.getByTestId('following-badge')).toHaveText('Following live');
}

/** A follower made by hand: what a curious student could send over the socket. */
async function rawFollower(baseURL: string, token: string) {
  const socket = io(baseURL, { transports: ['websocket'], reconnection: false, extraHeaders: { Origin: baseURL }, auth: { client: 'curious-student-0001' } });
  await new Promise<void>((resolve, reject) => {
    socket.on('connect', () => resolve());
    socket.on('connect_error', reject);
  });
  const joined: FollowJoinReply = await socket.timeout(5000).emitWithAck('follow:join', { token });
  return { socket, joined };
}

test('follow mode: followers watch the presenter live, read-only, from any moment', async ({ browser, baseURL }) => {
  // three browsers and two runs: slow on a busy machine
  test.setTimeout(120_000);
  const presenter = await (await browser.newContext()).newPage();
  await open(presenter, { scenario: DEMO });
  const link = await shareLive(presenter);
  const token = link.split('/follow/')[1];
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/follow\/[A-Za-z0-9_-]{22}$/);
  // the link's token is its own, not the presenter's session token
  expect(token).not.toBe(await presenter.evaluate(() => sessionStorage.getItem('ipcpg.client')));

  // a follower, in another browser
  const follower = await (await browser.newContext()).newPage();
  await follow(follower, link);
  await expect(follower.getByTestId('scenario-title')).toHaveText(DEMO.title!);
  await expect(follower.getByTestId('node-ticker')).toBeVisible();
  // nothing to edit, nothing to run
  for (const id of ['run-button', 'stop-button', 'step-button', 'add-process', 'share-button', 'node-menu-ticker', 'node-c-ticker']) {
    await expect(follower.getByTestId(id)).toHaveCount(0);
  }
  await expect(follower.getByTestId('follower-bar')).toContainText('read-only');
  await expect(presenter.getByTestId('follower-count')).toHaveText('LIVE · 1 following');

  // the presenter's selection and panels show on the follower's screen
  await presenter.getByTestId('node-name-echo').click();
  await expect(follower.getByTestId('node-echo')).toHaveClass(/selected/);
  await expect(follower.getByTestId('process-name')).toHaveValue('echo');
  await expect(follower.getByTestId('process-name')).toBeDisabled();
  await presenter.getByTestId('tab-trace').click();
  await expect(follower.getByTestId('tab-trace')).toHaveAttribute('aria-selected', 'true');

  // the presenter runs: the follower sees it as it goes
  await presenter.getByTestId('run-button').click();
  await expect(terminal(follower, 'echo')).toContainText('echo tick 2');
  const runId = (await runStatus(presenter).getAttribute('data-run-id'))!;
  await expect(runStatus(follower)).toHaveAttribute('data-run-id', runId);

  // a late joiner gets the run so far at once
  const late = await (await browser.newContext()).newPage();
  await follow(late, link);
  await expect(terminal(late, 'echo')).toContainText('echo tick 1echo tick 2');
  await expect(late.getByTestId('node-echo')).toHaveClass(/selected/);
  await expect(presenter.getByTestId('follower-count')).toHaveText('LIVE · 2 following');

  // the link grants no control: keys do nothing, and the server refuses a forged command
  await follower.keyboard.press('ControlOrMeta+.');
  await follower.keyboard.press(' ');
  const raw = await rawFollower(baseURL!, token);
  expect(raw.joined.ok).toBe(true);
  const refused: ControlReply = await raw.socket.timeout(5000).emitWithAck('run:control', { runId, action: 'stop' });
  expect(refused).toEqual({ ok: false, message: 'no such run going on' });
  const refused2: ControlReply = await raw.socket.timeout(5000).emitWithAck('run:control', { runId, action: 'signal', proc: 'echo', signal: 'SIGKILL' });
  expect(refused2.ok).toBe(false);
  raw.socket.emit('follow:update', { view: { selection: { nodes: ['ticker'], edges: [] } } }); // ignored: not the presenter
  raw.socket.close();

  // everyone sees the same run end the same way
  await waitEnded(presenter);
  await expect(runStatus(presenter)).toHaveClass(/reason-finished/);
  for (const p of [presenter, follower, late]) {
    await expect(terminal(p, 'echo')).toContainText(allTicks);
    await expect(runStatus(p)).toHaveAttribute('data-status', 'ended');
    await expect(p.getByTestId('node-state-echo')).toHaveText('exited 0');
  }
  await expect(follower.getByTestId('node-echo')).toHaveClass(/selected/);
  await expect(follower.getByTestId('node-ticker')).not.toHaveClass(/selected/);

  // following goes on across the presenter's runs
  await presenter.getByTestId('run-button').click();
  let second = '';
  await expect
    .poll(async () => (second = (await runStatus(presenter).getAttribute('data-run-id')) ?? ''))
    .toMatch(new RegExp(`^r(?!${runId}$)`));
  await expect(runStatus(follower)).toHaveAttribute('data-run-id', second);
  await waitEnded(presenter);
  await expect(terminal(follower, 'echo')).toHaveText(allTicks);
  await expect(terminal(late, 'echo')).toHaveText(allTicks);

  // the presenter stops sharing: followers are told, the link no longer works
  await presenter.getByTestId('follower-count').click();
  await presenter.getByTestId('stop-sharing').click();
  await expect(presenter.getByTestId('follower-count')).toHaveCount(0);
  await expect(follower.getByTestId('follow-ended')).toContainText('stopped sharing');
  const gone = await (await browser.newContext()).newPage();
  await gone.goto(link);
  await expect(gone.getByTestId('follow-ended')).toContainText('has ended');
  for (const p of [presenter, follower, late, gone]) await p.context().close();
});
