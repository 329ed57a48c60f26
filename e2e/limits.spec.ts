// Every limit, reached in the page: a server started with small limits refuses or cuts, and
// the page says which limit and where; runs at once on the server are the exception: over
// it a run waits in line. (Runs at once per tab cannot be reached from the page, which runs
// one at a time: test/fuzz-socket.test.ts and test/limits.test.ts cover it.)
import { expect, test, type Page } from '@playwright/test';
import { open, run, terminal, waitEnded, type TestScenario } from './helpers';
import { startServer, type TestServer } from './server';

let server: TestServer;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  server = await startServer(2, {
    IPCPG_MAX_PROCESSES: '3',
    IPCPG_MAX_CHANNELS: '2',
    IPCPG_WALL_MS: '12000', // long enough for a second page to open (seconds on a loaded machine) while a first run goes on
    IPCPG_STDOUT_BYTES: '1000',
    IPCPG_MESSAGE_BYTES: '64',
    IPCPG_RUNS_TOTAL: '1',
  });
});

test.afterAll(async () => {
  await server.stop();
});

const proc = (id: string, program: string, x = 0) => ({ id, name: id, program, position: { x, y: 0 } });

async function openOnServer(page: Page, scenario: TestScenario, opts: { trace?: boolean } = {}): Promise<void> {
  await open(page, { scenario, path: `${server.url}/`, ...opts });
}

async function refusedWith(page: Page, problemText: string | RegExp): Promise<void> {
  await run(page);
  await expect(page.getByTestId('run-message')).toContainText('Nothing was started');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-run-id', '');
  await page.getByTestId('tab-problems').click();
  await expect(page.getByTestId('problems')).toContainText(problemText);
}

test('processes per run', async ({ page }) => {
  await openOnServer(page, { version: 1, processes: ['a', 'b', 'c', 'd'].map((id, i) => proc(id, 'print "hi"', i * 300)), channels: [] });
  await refusedWith(page, '4 processes is over the limit of 3');
});

test('channels per run', async ({ page }) => {
  await openOnServer(page, {
    version: 1,
    processes: [proc('a', 'print "hi"'), proc('b', 'print "hi"', 400)],
    channels: ['c1', 'c2', 'c3'].map((id) => ({ id, from: 'a', to: 'b', mechanism: 'pipe' })),
  });
  await refusedWith(page, '3 channels is over the limit of 2');
});

test('message size: a literal is refused at its place', async ({ page }) => {
  const long = 'x'.repeat(100);
  await openOnServer(page, { version: 1, processes: [proc('w', `send c1 "${long}"`), proc('r', 'recv c1 as m', 400)], channels: [{ id: 'c1', from: 'w', to: 'r', mechanism: 'mq-posix' }] });
  await refusedWith(page, /w, line 1:9.*this message is 100 bytes, over the limit of 64 bytes a message/);
});

test('message size: a built message over the limit fails at run time, in red, with its line', async ({ page }) => {
  await openOnServer(page, {
    version: 1,
    processes: [proc('w', `set s = "${'y'.repeat(40)}"\nsend c1 "{s}{s}"`), proc('r', 'recv c1 as m', 400)],
    channels: [{ id: 'c1', from: 'w', to: 'r', mechanism: 'mq-posix' }],
  });
  await run(page);
  await expect(terminal(page, 'w')).toContainText('message of 80 bytes is over the limit of 64');
  await expect(page.getByTestId('node-state-w')).toHaveText('exited 1');
  await page.getByTestId('stop-button').click();
  await waitEnded(page);
});

test('output per process: cut, with a notice, while the run goes on', async ({ page }) => {
  await openOnServer(page, { version: 1, processes: [proc('chatty', 'repeat 300 {\n  print "line {i}"\n}\nprint "the end"')], channels: [] });
  await run(page);
  await waitEnded(page);
  await expect(page.getByTestId('notices')).toContainText('chatty: output limit of 1000 B reached');
  await expect(terminal(page, 'chatty')).toContainText('line 1');
  await expect(terminal(page, 'chatty')).not.toContainText('the end');
  await expect(page.getByTestId('node-state-chatty')).toHaveText('exited 0');
});

test('output per process: a process that prints for ever is pointed out, with Stop', async ({ page }) => {
  await openOnServer(page, { version: 1, processes: [proc('chatty', 'forever {\n  print "again"\n}')], channels: [] });
  await run(page);
  const banner = page.getByTestId('runaway-banner');
  await expect(banner).toContainText('chatty is printing without end');
  await expect(page.getByTestId('runaway-stop')).toHaveText('Stop the run');
  // the run's time limit here is short: stop at once (what the banner's Stop does)
  await page.keyboard.press('ControlOrMeta+.');
  await waitEnded(page);
  await expect(banner).toHaveCount(0);
  await expect(page.getByTestId('run-status')).not.toContainText('time limit');
});

test('wall time: the time limit ends the run and says so', async ({ page }) => {
  await openOnServer(page, { version: 1, processes: [proc('slow', 'print "waiting"\nsleep 60000')], channels: [] });
  await run(page);
  await waitEnded(page);
  await expect(page.getByTestId('run-status')).toContainText('time limit');
  await expect(page.getByTestId('node-state-slow')).toHaveText(/killed by SIG(TERM|KILL)/);
  await expect(page.getByTestId('leftovers')).toContainText('Nothing left behind');
});

test('runs at once on the server: the next one waits in line, says its place, leaves with Stop, and starts by itself', async ({ page, browser }) => {
  const first = await browser.newPage();
  await openOnServer(first, { version: 1, processes: [proc('sleeper', 'sleep 60000')], channels: [] });
  // both pages open before the first run starts: the wall time is short, a page opens slowly on a loaded machine
  await openOnServer(page, { version: 1, processes: [proc('p', 'print "hi"')], channels: [] });
  await run(first);
  await expect(first.getByTestId('node-state-sleeper')).toContainText('sleeping');
  await run(page);
  await expect(page.getByTestId('run-status')).toContainText('1st in line');
  await expect(page.getByTestId('run-message')).toContainText('this run waits in line and starts by itself');
  // Stop leaves the line
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('run-message')).toContainText('You left the line: nothing was started.');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'idle');
  await run(page);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-queued', '1');
  // the slot frees: the waiting run starts by itself
  await first.getByTestId('stop-button').click();
  await waitEnded(first);
  await first.close();
  await expect(terminal(page, 'p')).toContainText('hi');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-queued', '');
});

test('event rate: a flood with the trace on shows what it left out, counts stay exact', async ({ page }) => {
  await openOnServer(
    page,
    { version: 1, processes: [proc('w', 'repeat 20000 {\n  send c1 "x"\n}'), proc('r', 'while recv c1 1 {\n}', 400)], channels: [{ id: 'c1', from: 'w', to: 'r', mechanism: 'pipe' }] },
    { trace: true },
  );
  await run(page);
  await waitEnded(page);
  await page.getByTestId('tab-trace').click();
  await expect(page.getByTestId('trace-count')).toContainText(/more not shown \(too fast; counts stay exact\)/);
});
