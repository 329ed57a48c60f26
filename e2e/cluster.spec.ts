// Several servers, one class: two servers behind nginx, sharing live sessions through Redis
// (scripts/cluster.ts: its own redis-server and nginx, on ports after the test server's).
// The presenter's browser is sent to one server by nginx's cookie, a student's to the other;
// the student follows the presenter's run through nginx all the same.
import { spawnSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { startCluster, STICKY_COOKIE, type Cluster } from '../scripts/cluster';
import { open, shareLive, terminal, waitReady, type TestScenario } from './helpers';

const missing = ['redis-server', 'nginx'].filter((bin) => spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0);
test.skip(missing.length > 0, `needs ${missing.join(' and ')} (apt-get install redis-server nginx; scripts/test.sh installs them when run as root)`);

const TICKER: TestScenario = {
  version: 1,
  title: 'Ticks for the class',
  processes: [
    // what it prints first stays on screen (xterm shows only the rows on screen to a test)
    { id: 'h', name: 'head', program: 'repeat 3 {\n  print "first {i}"\n}\nsleep 50000\n', position: { x: 0, y: 0 } },
    { id: 't', name: 'ticker', program: 'repeat 250 {\n  print "tick {i}"\n  sleep 200\n}\n', position: { x: 300, y: 0 } },
  ],
  channels: [],
};

let cluster: Cluster;
test.beforeAll(async () => {
  test.setTimeout(180_000);
  cluster = await startCluster({ port: Number(process.env.E2E_PORT ?? 3123) + 6, servers: 2, redisPort: Number(process.env.E2E_REDIS_PORT ?? 0) });
});
test.afterAll(async () => {
  await cluster?.stop();
});

test('a follower on the other server follows the presenter through nginx', async ({ browser }) => {
  test.setTimeout(120_000);
  const host = new URL(cluster.url).hostname;
  const on = async (server: number) => {
    const context = await browser.newContext();
    await context.addCookies([{ name: STICKY_COOKIE, value: cluster.servers[server].cookie, domain: host, path: '/' }]);
    return context.newPage();
  };
  const presenter = await on(0);
  await open(presenter, { scenario: TICKER, path: `${cluster.url}/` });
  const link = await shareLive(presenter);
  expect(link.startsWith(`${cluster.url}/follow/`)).toBe(true);
  await presenter.getByTestId('share-button').click();
  const code = (await presenter.getByTestId('follow-code').textContent()) ?? '';
  await presenter.keyboard.press('Escape');

  const student = await on(1);
  const page = await student.goto(`${cluster.url}/f/${code}`);
  // nginx sent each where its cookie says
  expect(page?.headers()['x-served-by']).toBe(cluster.servers[1].cookie);
  await waitReady(student);
  await expect(student.getByTestId('following-badge')).toHaveText('Following live');
  await expect(presenter.getByTestId('follower-count')).toHaveText('LIVE · 1 following');

  await presenter.getByTestId('run-button').click();
  await expect(terminal(student, 't')).toContainText('tick 3');
  const runId = await presenter.getByTestId('run-status').getAttribute('data-run-id');
  await expect(student.getByTestId('run-status')).toHaveAttribute('data-run-id', runId!);

  // a late student on the other server gets the run so far
  const late = await on(1);
  await late.goto(`${cluster.url}/follow/${link.split('/follow/')[1]}`);
  await waitReady(late);
  await expect(terminal(late, 'h')).toContainText('first 1first 2first 3');
  await expect(terminal(late, 't')).toContainText(/tick \d+/);
  await expect(presenter.getByTestId('follower-count')).toHaveText('LIVE · 2 following');

  await presenter.getByTestId('stop-button').click();
  await expect(student.getByTestId('run-status')).toHaveAttribute('data-status', 'ended');
  await expect(student.getByTestId('node-state-t')).toHaveText('killed by SIGTERM');
  for (const p of [presenter, student, late]) await p.context().close();
});
