// node --import tsx bench/web.ts [--url http://127.0.0.1:3000] [--flood N] [--trace]
// The browser side, measured with Playwright and Debian's Chromium:
//   1. first load: JavaScript shipped (raw and gzipped), first contentful paint, DOM ready,
//      interactive (the page drawn and its socket connected);
//   2. a flood run (`repeat N { send c1 "x" }` into `while recv c1 65536 { }`): the longest
//      main-thread task (PerformanceObserver 'longtask'), and the JS heap over the run.
// Without --url it builds (if needed) and starts the production server on a free port.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from '@playwright/test';
import { freePort } from '../test/harness/redis';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({ options: { url: { type: 'string' }, flood: { type: 'string' }, trace: { type: 'boolean' } } });
const FLOOD = Number(args.flood ?? 1_000_000);
const executablePath = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => fs.existsSync(p));

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  if (!fs.existsSync(path.join(root, '.next', 'BUILD_ID'))) {
    process.stderr.write('building (next build)…\n');
    await new Promise<void>((resolve, reject) => {
      const b = spawn('npx', ['next', 'build'], { cwd: root, stdio: 'ignore' });
      b.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`next build exited ${code}`))));
    });
  }
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/api/examples`)).ok) return { url, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error('the server did not start');
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

async function firstLoad(page: Page, url: string) {
  const scripts = new Map<string, { body: Buffer; at: number }>();
  let t0 = Date.now();
  page.on('response', async (res) => {
    if (res.request().resourceType() !== 'script') return;
    const at = Date.now() - t0;
    try {
      scripts.set(res.url(), { body: await res.body(), at });
    } catch {
      // redirected or aborted
    }
  });
  t0 = Date.now();
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid=app][data-ready=true]');
  await page.waitForSelector('[data-testid=connection][data-state=connected]');
  const interactiveMs = Date.now() - t0;
  await page.waitForLoadState('networkidle');
  // the program editor is fetched in the background shortly after
  await page.waitForTimeout(3000);
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    return { dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, fcp };
  });
  const sum = (list: { body: Buffer }[]) => ({
    files: list.length,
    raw: list.reduce((n, s) => n + s.body.length, 0),
    gz: list.reduce((n, s) => n + gzipSync(s.body, { level: 6 }).length, 0),
  });
  const all = [...scripts.values()];
  return { before: sum(all.filter((s) => s.at <= interactiveMs)), all: sum(all), interactiveMs, ...timing };
}

async function flood(page: Page, url: string) {
  const scenario = {
    version: 1,
    title: 'Flood',
    processes: [
      { id: 'w', name: 'writer', program: `repeat ${FLOOD} {\n  send c1 "x"\n}\n`, position: { x: 0, y: 0 } },
      { id: 'r', name: 'reader', program: 'while recv c1 65536 {\n}\n', position: { x: 560, y: 0 } },
    ],
    channels: [{ id: 'c1', from: 'w', to: 'r', mechanism: 'pipe' }],
  };
  await page.addInitScript(
    ([s, trace]) => {
      localStorage.setItem('ipcpg.scenario.v1', s);
      localStorage.setItem('ipcpg.prefs', JSON.stringify({ sps: 0, trace }));
      const w = window as unknown as { __long: number[] };
      w.__long = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__long.push(e.duration);
      }).observe({ type: 'longtask', buffered: true });
    },
    [JSON.stringify(scenario), !!args.trace] as const,
  );
  await page.goto(url);
  await page.waitForSelector('[data-testid=connection][data-state=connected]');
  await page.waitForTimeout(500);
  await page.evaluate(() => ((window as unknown as { __long: number[] }).__long = []));
  const heap = async () => page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
  const samples: { t: number; heap: number }[] = [];
  const t0 = Date.now();
  samples.push({ t: 0, heap: await heap() });
  await page.getByTestId('run-button').click();
  let clickMs = NaN;
  for (;;) {
    await page.waitForTimeout(500);
    if (Number.isNaN(clickMs)) {
      // a click in the middle of the flood: how long until the page reacts
      const c0 = Date.now();
      await page.getByTestId('tab-trace').click();
      await page.getByTestId('trace-list').waitFor();
      clickMs = Date.now() - c0;
    }
    samples.push({ t: Date.now() - t0, heap: await heap() });
    const status = await page.getByTestId('run-status').getAttribute('data-status');
    if (status === 'ended' || Date.now() - t0 > 120_000) break;
  }
  const runMs = Date.now() - t0;
  await page.getByTestId('tab-summary').click();
  const long = await page.evaluate(() => (window as unknown as { __long: number[] }).__long);
  const sends = await page.getByTestId('summary').locator('tbody').nth(1).locator('td').nth(1).textContent();
  return { runMs, long, samples, clickMs, sends };
}

const own = args.url ? null : await startServer();
// never leave the server behind: not on an error, not when the output is cut (`| head`)
process.on('exit', () => own?.child.kill('SIGTERM'));
process.stdout.on('error', () => process.exit(0));
const url = args.url ?? own!.url;
const browser = await chromium.launch({
  executablePath,
  args: ['--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run', '--enable-precise-memory-info'],
});
try {
  const ctx1 = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const load = await firstLoad(await ctx1.newPage(), url);
  await ctx1.close();
  const ctx2 = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const f = await flood(await ctx2.newPage(), url);
  await ctx2.close();

  const longest = f.long.length ? Math.max(...f.long) : 0;
  const afterWarmup = f.samples.filter((s) => s.t >= 2000);
  const heaps = (afterWarmup.length ? afterWarmup : f.samples).map((s) => s.heap);
  console.log('web: first load');
  console.log(`  JavaScript to interactive  ${load.before.files} files, ${kb(load.before.raw)} raw, ${kb(load.before.gz)} gzipped`);
  console.log(`  JavaScript in all          ${load.all.files} files, ${kb(load.all.raw)} raw, ${kb(load.all.gz)} gzipped (with the editor, preloaded when idle)`);
  console.log(`  first paint (FCP)          ${load.fcp.toFixed(0)} ms`);
  console.log(`  DOM content loaded         ${load.dcl.toFixed(0)} ms`);
  console.log(`  load event                 ${load.load.toFixed(0)} ms`);
  console.log(`  interactive                ${load.interactiveMs} ms (drawing shown, socket connected)`);
  console.log(`web: flood, ${FLOOD.toLocaleString('en')} sends through a pipe, trace ${args.trace ? 'on' : 'off'}`);
  console.log(`  run, as seen by the page  ${f.runMs} ms (sends counted: ${f.sends?.trim()})`);
  console.log(`  long tasks (>50 ms)       ${f.long.length}, longest ${longest.toFixed(0)} ms`);
  console.log(`  click during the flood    answered in ${f.clickMs} ms`);
  console.log(`  JS heap                   start ${kb(f.samples[0].heap)}, after 2 s min ${kb(Math.min(...heaps))} max ${kb(Math.max(...heaps))}, end ${kb(f.samples[f.samples.length - 1].heap)}`);
} finally {
  await browser.close();
  if (own) {
    own.child.kill('SIGTERM');
    await new Promise((r) => own.child.once('exit', r));
  }
}
