// The page in front of a class: what it says stays true (a refused Run's message goes with
// its scenario, edges tell the state after a run and every waiter), and it fits the room.
import { expect, test, type Page } from '@playwright/test';
import { open, run, terminal, waitEnded, type TestScenario } from './helpers';

test("a refused Run's message does not stay over the next scenario", async ({ page }) => {
  const broken: TestScenario = { version: 1, title: 'broken', processes: [{ id: 'p1', name: 'p1', program: 'send c9 "x"', position: { x: 0, y: 0 } }], channels: [] };
  await open(page, { scenario: broken });
  await run(page);
  await expect(page.getByTestId('run-message')).toContainText('Nothing was started');
  await page.getByTestId('gallery-button').click();
  await page.getByTestId('gallery-card-pipe-hello').click();
  await expect(page.getByTestId('scenario-title')).toHaveValue('Pipe: parent to child');
  await expect(page.getByTestId('run-message')).toHaveCount(0);
});

test('after a run a FIFO edge says what went through it, not "not opened yet"', async ({ page }) => {
  await open(page, { path: '/examples/fifo-server-client' });
  await run(page);
  await waitEnded(page);
  await expect(page.getByTestId('edge-state-c1')).toHaveText('23 B through');
});

test('a semaphore edge names every process waiting on it', async ({ page }) => {
  const both: TestScenario = {
    version: 1,
    title: 'both wait',
    processes: [
      { id: 'a', name: 'alice', program: 'wait c1', position: { x: 0, y: 0 } },
      { id: 'b', name: 'bob', program: 'wait c1', position: { x: 500, y: 0 } },
    ],
    channels: [{ id: 'c1', from: 'a', to: 'b', mechanism: 'sem-named' }],
  };
  await open(page, { scenario: both });
  await run(page);
  await expect(page.getByTestId('edge-state-c1')).toHaveText('value 0 · alice, bob wait');
  await page.getByTestId('stop-button').click();
  await waitEnded(page);
});

test('panes: the side panel and the dock resize and hide, the graph hides, and it is all remembered', async ({ page }) => {
  await open(page, { path: '/examples/pipe-hello' });
  const side = page.getByTestId('inspector');
  const dock = page.locator('.dock');
  const width = async () => (await side.boundingBox())!.width;
  const height = async () => (await dock.boundingBox())!.height;

  // by keyboard: the splitters are focusable separators
  const w0 = await width();
  await page.getByTestId('side-splitter').focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
  await expect.poll(width).toBeGreaterThan(w0 + 80);
  // by mouse: the dock's top edge follows the pointer
  const bar = (await page.getByTestId('dock-splitter').boundingBox())!;
  await page.mouse.move(bar.x + 300, bar.y + bar.height / 2);
  await page.mouse.down();
  await page.mouse.move(bar.x + 300, bar.y - 100, { steps: 5 });
  await page.mouse.up();
  const h1 = await height();
  expect(h1).toBeGreaterThan(bar.height + 80);

  await page.getByTestId('toggle-dock').click();
  await expect(dock).toBeHidden();
  await page.getByTestId('toggle-side').click();
  await expect(side).toBeHidden();
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  expect(canvas.width).toBeGreaterThan(1400);
  expect(canvas.height).toBeGreaterThan(750);

  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(dock).toBeHidden();
  await expect(side).toBeHidden();
  await page.keyboard.press('d');
  await page.keyboard.press('p');
  await expect(dock).toBeVisible();
  await expect.poll(width).toBeGreaterThan(w0 + 80);
  await expect.poll(height).toBeCloseTo(h1, 0);
  // the graph hides too, leaving the side panel the whole width
  await page.getByTestId('toggle-graph').click();
  await expect(page.getByTestId('canvas')).toBeHidden();
  expect((await side.boundingBox())!.width).toBeGreaterThan(1400);
  await expect(page.getByTestId('toggle-graph')).toHaveAttribute('aria-pressed', 'false');
});

/** The smallest text in the drawing, in screen pixels (font size times the zoom). */
async function smallestGraphText(page: Page): Promise<number> {
  return page.evaluate(() => {
    const viewport = document.querySelector<HTMLElement>('.react-flow__viewport')!;
    const zoom = new DOMMatrix(getComputedStyle(viewport).transform).a;
    let least = Infinity;
    for (const el of document.querySelectorAll<HTMLElement>('.react-flow__node *, .clabel *')) {
      const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
      if (own && el.getClientRects().length) least = Math.min(least, parseFloat(getComputedStyle(el).fontSize) * zoom);
    }
    return least;
  });
}

/** Boxes of the nodes and the channel labels that overlap (none, when the labels keep clear). */
async function overlaps(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const boxes = [...document.querySelectorAll<HTMLElement>('.react-flow__node, .clabel')].map((el) => ({ id: el.dataset.testid ?? el.dataset.id ?? '?', label: el.classList.contains('clabel'), r: el.getBoundingClientRect() }));
    const out: string[] = [];
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1)) {
        if (!a.label && !b.label) continue;
        if (a.r.left < b.r.right && b.r.left < a.r.right && a.r.top < b.r.bottom && b.r.top < a.r.bottom) out.push(`${a.id} × ${b.id}`);
      }
    return out;
  });
}

test('a 1024×768 projector: the whole graph at 13 px or more, its labels clear of nodes and of each other', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await open(page, { path: '/examples/bounded-buffer', sps: 3 });
  await run(page);
  await expect(page.getByTestId('edge-state-c3')).toContainText('waits', { timeout: 15_000 });
  await page.waitForTimeout(600);
  expect(await smallestGraphText(page)).toBeGreaterThanOrEqual(13);
  expect(await overlaps(page)).toEqual([]);
  // every node and label is on screen
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  for (const el of await page.locator('.react-flow__node, .clabel').all()) {
    const b = (await el.boundingBox())!;
    expect(b.x).toBeGreaterThanOrEqual(canvas.x);
    expect(b.y).toBeGreaterThanOrEqual(canvas.y);
    expect(b.x + b.width).toBeLessThanOrEqual(canvas.x + canvas.width);
    expect(b.y + b.height).toBeLessThanOrEqual(canvas.y + canvas.height);
  }
  // (Ctrl+. : the run may have finished on its own meanwhile)
  await page.keyboard.press('ControlOrMeta+.');
  await waitEnded(page, 30_000);
});

test.describe('1024×768 at 150 % zoom', () => {
  test.use({ viewport: { width: 683, height: 512 }, deviceScaleFactor: 1.5 });
  test('the graph keeps most of the screen: the side panel is a drawer, the dock shows one thing at a time', async ({ page }) => {
    await open(page, { path: '/examples/bounded-buffer', sps: 3 });
    const canvas = (await page.getByTestId('canvas').boundingBox())!;
    expect(canvas.width).toBeGreaterThanOrEqual(680);
    expect(canvas.height).toBeGreaterThanOrEqual(250);
    await expect(page.getByTestId('inspector')).toBeHidden();
    await run(page);
    await expect(terminal(page, 'producer')).toContainText('produced item 1', { timeout: 15_000 });
    await page.getByTestId('tab-objects').click();
    await expect(page.getByTestId('terminals')).toBeHidden();
    await page.getByTestId('tab-terminals').click();
    await expect(page.getByTestId('terminals')).toBeVisible();
    // a double-click on a process opens its program in the drawer
    await page.getByTestId('node-state-consumer').dblclick();
    await expect(page.getByTestId('inspector')).toBeVisible();
    await page.getByRole('button', { name: 'Close the side panel' }).click();
    await expect(page.getByTestId('inspector')).toBeHidden();
    await waitEnded(page, 30_000);
    // the run bar holds all of its controls, the run's end included: nothing cut at the right
    const bar = page.locator('.run-controls');
    expect(await bar.evaluate((e) => e.scrollWidth - e.clientWidth)).toBeLessThanOrEqual(0);
  });
});

test('a flood: one count per edge and direction, not a pile of them', async ({ page }) => {
  const flood: TestScenario = {
    version: 1,
    title: 'flood',
    processes: [
      { id: 'w', name: 'writer', program: 'forever {\n  send c1 "x"\n}', position: { x: 0, y: 0 } },
      { id: 'r', name: 'reader', program: 'while recv c1 {\n}', position: { x: 500, y: 0 } },
    ],
    channels: [{ id: 'c1', from: 'w', to: 'r', mechanism: 'pipe' }],
  };
  await open(page, { scenario: flood });
  await run(page);
  const counts = page.locator('.packet-n');
  await expect(counts.first()).toBeVisible({ timeout: 15_000 });
  for (let i = 0; i < 10; i++) {
    expect(await counts.count()).toBeLessThanOrEqual(1);
    await page.waitForTimeout(100);
  }
  // the label moves clear of the nodes within a moment of growing over them
  await expect.poll(() => overlaps(page)).toEqual([]);
  await page.keyboard.press('ControlOrMeta+.');
  await waitEnded(page);
});

// the most a scenario may have: 16 processes and 32 channels
for (const pipes of [0, 8]) {
  const objects = 32 - pipes;
  test(`16 processes, ${objects} objects and ${pipes} pipes: laid out without overlaps, all in view, every name and state readable`, async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    const mechs = ['sem-named', 'shm-posix', 'mq-posix', 'fifo'];
    const big = {
      version: 2,
      title: 'a class of processes',
      // odd workers send "hi" down a pipe to the next one, which prints it
      processes: Array.from({ length: 16 }, (_, i) => ({ id: `p${i + 1}`, name: `worker${i + 1}`, program: i % 2 && i < 2 * pipes ? `recv c${i} as m\nprint m` : i < 2 * pipes ? `send c${i + 1} "hi"` : 'print "hi"' })),
      channels: [
        // each object linked to three processes spread over the class (no positions: laid out on load)
        ...Array.from({ length: objects }, (_, i) => ({
          id: `o${i + 1}`,
          mechanism: mechs[i % 4],
          links: [i % 16, (i + 5) % 16, (i + 11) % 16].map((p, k) => ({ process: `p${p + 1}`, end: k === 0 ? 'from' : 'to' })),
        })),
        ...Array.from({ length: pipes }, (_, k) => ({ id: `c${2 * k + 1}`, mechanism: 'pipe', links: [{ process: `p${2 * k + 1}`, end: 'from' }, { process: `p${2 * k + 2}`, end: 'to' }] })),
      ],
    };
    await open(page, { scenario: big as unknown as TestScenario });
    await run(page);
    await waitEnded(page);
    await expect(page.locator('.react-flow__node')).toHaveCount(16 + objects);
    const canvas = (await page.getByTestId('canvas').boundingBox())!;
    const boxes = await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-id'), r: e.getBoundingClientRect().toJSON() as DOMRect })));
    for (const [i, a] of boxes.entries()) {
      // the whole drawing is in view
      expect(a.r.left).toBeGreaterThanOrEqual(canvas.x);
      expect(a.r.right).toBeLessThanOrEqual(canvas.x + canvas.width);
      expect(a.r.top).toBeGreaterThanOrEqual(canvas.y);
      expect(a.r.bottom).toBeLessThanOrEqual(canvas.y + canvas.height);
      for (const b of boxes.slice(i + 1)) {
        const apart = a.r.right <= b.r.left || b.r.right <= a.r.left || a.r.bottom <= b.r.top || b.r.bottom <= a.r.top;
        expect(apart, `${a.id} and ${b.id} overlap`).toBe(true);
      }
    }
    // seen whole, a node keeps its name and state at a size that reads on screen
    await expect(page.getByTestId('node-state-p16')).toContainText('exited 0');
    await expect(page.getByTestId(`object-state-o${objects}`)).toBeVisible();
    if (pipes) await expect(page.getByTestId(`edge-state-c${2 * pipes - 1}`)).toContainText('2 B through');
    expect(await smallestGraphText(page)).toBeGreaterThanOrEqual(10.9);
    // and the pipes' labels keep clear of the nodes and of each other
    await expect.poll(() => overlaps(page)).toEqual([]);
  });
}
