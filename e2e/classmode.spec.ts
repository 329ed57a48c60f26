// Class mode, on a server of its own started with a class code and a presenter code: a new
// browser is sent to /join, a wrong code is refused on the page, the right one sets an
// HttpOnly cookie and the playground works; only the presenter code may share live. And a
// server told to listen beyond loopback without a code refuses to start.
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { io } from 'socket.io-client';
import { open, run, terminal } from './helpers';
import { startServer, type TestServer } from './server';

const CLASS = 'otter-42';
const PRESENTER = 'heron-7';
let server: TestServer;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  server = await startServer(5, { IPCPG_CLASS_CODE: CLASS, IPCPG_PRESENTER_CODE: PRESENTER });
});

test.afterAll(async () => {
  await server.stop();
});

async function join(page: Page, code: string): Promise<void> {
  await page.getByLabel('Class code').fill(code);
  await page.getByRole('button', { name: 'Join' }).click();
}

async function joined(context: BrowserContext, code: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${server.url}/join`);
  await join(page, code);
  await expect(page).toHaveURL(`${server.url}/`);
  return page;
}

test('a new browser is sent to /join; a wrong code is refused there; the right one sets an HttpOnly cookie and leads back', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/gallery`);
  await expect(page).toHaveURL(`${server.url}/join?next=%2Fgallery`);
  await expect(page.getByRole('heading', { name: 'Join the class' })).toBeVisible();
  await expect(page.getByLabel('Class code')).toBeFocused();

  await join(page, 'otter-41');
  await expect(page.getByRole('alert')).toHaveText('That is not the class code. Check it with your teacher and try again.');
  await expect(page.getByLabel('Class code')).toHaveAttribute('aria-invalid', 'true');
  expect(await context.cookies()).toEqual([]);

  await join(page, CLASS);
  await expect(page).toHaveURL(`${server.url}/gallery`);
  const cookies = await context.cookies();
  expect(cookies).toHaveLength(1);
  expect(cookies[0]).toMatchObject({ name: 'ipcpg_id', httpOnly: true, sameSite: 'Lax', path: '/' });
  expect(await page.evaluate(() => document.cookie)).toBe('');
  await context.close();
});

test('a joined student runs a scenario, and may not share live', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await joined(context, CLASS);
  await open(page, { scenario: { version: 1, processes: [{ id: 'p', name: 'p', program: 'print "hello class"' }], channels: [] }, path: `${server.url}/` });
  await run(page);
  await expect(terminal(page, 'p')).toContainText('hello class');
  await page.getByTestId('share-button').click();
  await page.getByTestId('share-live').click();
  await expect(page.getByTestId('share-live-section')).toContainText('only the presenter may share live: join with the presenter code');
  await context.close();
});

test('the presenter code may share live', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await joined(context, PRESENTER);
  await open(page, { path: `${server.url}/` });
  await page.getByTestId('share-button').click();
  await page.getByTestId('share-live').click();
  await expect(page.getByTestId('follow-link-input')).toHaveValue(/\/follow\/[A-Za-z0-9_-]{22}$/);
  await context.close();
});

test('without the cookie, the rest answers 401: the socket.io handshake and the API', async () => {
  const status = (p: string) =>
    new Promise<number>((resolve, reject) => {
      http
        .get(`${server.url}${p}`, (res) => {
          res.resume();
          resolve(res.statusCode!);
        })
        .on('error', reject);
    });
  expect(await status('/socket.io/?EIO=4&transport=polling')).toBe(401);
  expect(await status('/api/examples')).toBe(401);
  const refused = await new Promise<boolean>((resolve) => {
    const s = io(server.url, { transports: ['websocket'], reconnection: false, timeout: 5000, extraHeaders: { Origin: server.url } });
    s.on('connect', () => resolve(false));
    s.on('connect_error', () => resolve(true));
  });
  expect(refused).toBe(true);
});

test('listening beyond loopback without a class code, the server refuses to start and names the variable', async () => {
  const root = path.resolve(import.meta.dirname, '..');
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', HOST: '0.0.0.0', PORT: String(Number(process.env.E2E_PORT ?? 3123) + 6), IPCPG_CLASS_CODE: '', IPCPG_OPEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code).toBe(1);
  expect(out).toContain('not starting');
  expect(out).toContain('IPCPG_CLASS_CODE');
  expect(out).not.toContain('IPC Playground on');
});
