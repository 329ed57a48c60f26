// Sharing a scenario: a link that holds all of it, a file, and what happens with broken ones
// (the current work is never lost). And autosave: a reload loses nothing.
import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { asV2, open, savedScenario, waitReady, type TestScenario } from './helpers';

const SHARED: TestScenario = {
  version: 1,
  title: 'Ünïcode & “quotes”: a shared demo',
  description: 'Two processes, two mechanisms, options and labels: all of it must survive the link.',
  processes: [
    { id: 'prod', name: 'producer', program: '# makes three items\nrepeat 3 {\n  send jobs "item {i}" priority 2\n}\npost ready\n', position: { x: 0, y: 40 } },
    { id: 'cons', name: 'consumer', program: 'wait ready\nrepeat 3 {\n  recv jobs as j\n  print "got {j} ✓"\n}\n', position: { x: 620, y: -20 } },
  ],
  channels: [
    { id: 'c1', from: 'prod', to: 'cons', mechanism: 'mq-posix', label: 'jobs', options: { maxmsg: 5, msgsize: 128 } },
    { id: 'c2', from: 'prod', to: 'cons', mechanism: 'sem-named', label: 'ready', options: { initial: 0 } },
  ],
};

const MINE: TestScenario = {
  version: 1,
  title: 'my own work',
  description: '',
  processes: [{ id: 'solo', name: 'solo', program: 'print "mine"\n', position: { x: 0, y: 0 } }],
  channels: [],
};

const title = (page: Page) => page.getByTestId('scenario-title');
/** What the page saved, in version 2 whichever version it was saved in (a file it has not rewritten stays as it was). */
const saved = async (page: Page) => {
  const s = await savedScenario(page);
  return s && s.version === 1 ? asV2(s) : s;
};

async function shareLinkOf(page: Page): Promise<string> {
  await page.getByTestId('share-button').click();
  await expect(page.getByTestId('share-panel')).toBeVisible();
  return page.getByTestId('share-link-input').inputValue();
}

test('a share link holds the whole scenario: copied with feedback, opened exactly, undoable', async ({ browser }) => {
  const ctx = await browser.newContext();
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await ctx.newPage();
  await open(page, { scenario: SHARED });
  const link = await shareLinkOf(page);
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#s2\.[A-Za-z0-9_-]+$/);
  await page.getByTestId('share-link-copy').click();
  await expect(page.getByTestId('share-link-copy')).toHaveText('✓ Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await ctx.close();

  // someone else, with work of their own, opens the link
  const other = await browser.newPage();
  await open(other, { scenario: MINE });
  await other.goto(link);
  await waitReady(other);
  await expect(title(other)).toHaveValue(SHARED.title!);
  await expect(other.getByTestId('toast-opened')).toContainText('Ctrl-Z brings back your scenario');
  // the address is cleaned: a reload keeps what the user does next
  expect(new URL(other.url()).hash).toBe('');
  await expect.poll(() => saved(other)).toEqual(asV2(SHARED));
  await expect(other.getByTestId('edge-label-c1')).toContainText('jobs');

  // their own work is one Ctrl-Z away
  await other.keyboard.press('ControlOrMeta+z');
  await expect(title(other)).toHaveValue('my own work');
  await expect.poll(() => saved(other)).toEqual(asV2(MINE));
  await other.close();
});

test('a broken, tampered or newer link says why and keeps the current work', async ({ page, browser }) => {
  const first = await browser.newPage();
  await open(first, { scenario: SHARED });
  const link = await shareLinkOf(first);
  await first.close();
  const [base, frag] = link.split('#');
  await open(page, { scenario: MINE });
  const banner = page.getByTestId('notify-banner');

  const cases: [string, string, RegExp][] = [
    ['truncated', frag.slice(0, Math.floor(frag.length * 0.6)), /cut short/],
    ['tampered', frag.slice(0, 40) + (frag[40] === 'A' ? 'B' : 'A') + frag.slice(41), /was changed/],
    ['newer', 's3.' + frag.slice(3), /newer version/],
    ['malformed', 'hello-there', /not an IPC Playground/],
  ];
  for (const [reason, fragment, message] of cases) {
    await test.step(reason, async () => {
      // a link pasted into this same tab: only the fragment changes (no reload)
      await page.goto(`${base}#${fragment}`);
      await expect(banner).toHaveAttribute('data-reason', reason);
      await expect(banner).toContainText(message);
      await expect(banner).toContainText('Your scenario is unchanged');
      await expect(title(page)).toHaveValue('my own work');
      await page.getByTestId('notify-dismiss').click();
      await expect(banner).toHaveCount(0);
    });
  }
  // and on a fresh load too
  await page.goto(`${base}#${cases[0][1]}`);
  await page.reload();
  await waitReady(page);
  await expect(title(page)).toHaveValue('my own work');
  await expect.poll(() => saved(page)).toEqual(asV2(MINE));
});

test('over the soft limit the link is not offered: the file is', async ({ page }) => {
  // a long program that compresses badly: a link of more than 8000 characters
  let noise = '';
  for (let i = 0; noise.length < 12_000; i++) noise += `# ${((i * 2654435761) >>> 0).toString(36)}${((i * 40503) >>> 0).toString(36)} ${(i * 7919).toString(16)}\n`;
  const big: TestScenario = { ...MINE, title: 'a very long program', processes: [{ ...MINE.processes[0], program: noise + 'print "done"\n' }] };
  await open(page, { scenario: big });
  await page.getByTestId('share-button').click();
  await expect(page.getByTestId('share-too-long')).toContainText('characters, more than the 8,000');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('share-download-instead').click()]);
  expect(download.suggestedFilename()).toBe('a-very-long-program.json');
  // the file is in the current format: version 2
  expect(JSON.parse(fs.readFileSync((await download.path())!, 'utf8'))).toEqual(asV2(big));
});

test('download and open a scenario file; a bad file is refused with its errors named', async ({ page, browser }) => {
  const first = await browser.newPage();
  await open(first, { scenario: SHARED });
  await first.getByTestId('share-button').click();
  const [download] = await Promise.all([first.waitForEvent('download'), first.getByTestId('download-json').click()]);
  expect(download.suggestedFilename()).toBe('unicode-quotes-a-shared-demo.json');
  const file = fs.readFileSync((await download.path())!, 'utf8');
  expect(JSON.parse(file)).toEqual(asV2(SHARED));
  await first.close();

  await open(page, { scenario: MINE });
  await page.getByTestId('share-button').click();
  const input = page.getByTestId('open-json-input');
  const banner = page.getByTestId('notify-banner');

  await input.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"version": 1, "processes": [') });
  await expect(banner).toContainText('broken.json is not JSON');
  await expect(title(page)).toHaveValue('my own work');

  const wrong = { ...SHARED, channels: [{ ...SHARED.channels[0], to: 'ghost' }, { ...SHARED.channels[1], mechanism: 'carrier-pigeon' }] };
  await input.setInputFiles({ name: 'wrong.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(wrong)) });
  await expect(banner).toContainText('wrong.json is not a scenario this playground can open');
  await expect(page.getByTestId('notify-details')).toContainText('channels[1].mechanism');
  await expect(title(page)).toHaveValue('my own work');

  await input.setInputFiles({ name: 'newer.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...SHARED, version: 7 })) });
  await expect(banner).toContainText('newer version of IPC Playground');
  await expect.poll(() => saved(page)).toEqual(asV2(MINE));

  await input.setInputFiles({ name: 'demo.json', mimeType: 'application/json', buffer: Buffer.from(file) });
  await expect(title(page)).toHaveValue(SHARED.title!);
  await expect(banner).toHaveCount(0);
  await expect(page.getByTestId('toast-opened')).toContainText('from demo.json');
  await expect.poll(() => saved(page)).toEqual(asV2(SHARED));
});

test('autosave: edits survive a reload', async ({ page }) => {
  await open(page, { scenario: MINE });
  await title(page).fill('renamed before the reload');
  await title(page).press('Enter');
  await page.getByTestId('node-name-solo').click();
  const editor = page.locator('[data-testid="editor-solo"] .cm-content');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type('print "added line"', { delay: 5 });
  await page.keyboard.press('Escape');
  await page.getByTestId('add-process').click();
  await expect(page.getByTestId('node-p1')).toBeVisible();

  await page.reload();
  await waitReady(page);
  await expect(title(page)).toHaveValue('renamed before the reload');
  await expect(page.getByTestId('node-p1')).toBeVisible();
  await page.getByTestId('node-name-solo').click();
  await expect(page.locator('[data-testid="editor-solo"] .cm-content')).toContainText('print "added line"');
  const saved = await savedScenario(page);
  expect(saved?.processes.map((p) => p.id)).toEqual(['solo', 'p1']);
  expect(saved?.processes[0].program).toBe('print "mine"\nprint "added line"');
});
