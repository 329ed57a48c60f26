// Shared steps for the end-to-end tests: open the playground with a known scenario, wait
// for the socket, read terminals and node states through data-testid attributes.
import { expect, type Page } from '@playwright/test';

export interface TestScenario {
  version: 1;
  title?: string;
  description?: string;
  processes: { id: string; name: string; program: string; position?: { x: number; y: number } }[];
  channels: { id: string; from: string; to: string; mechanism: string; label?: string; options?: Record<string, number | string> }[];
}

export const EMPTY: TestScenario = { version: 1, title: 'Untitled', processes: [], channels: [] };

/**
 * Opens the playground with `scenario` as the saved one (or an example), fresh preferences,
 * and waits until the page is ready and the socket is connected.
 */
export async function open(page: Page, opts: { scenario?: TestScenario; example?: string; path?: string; sps?: number; trace?: boolean } = {}): Promise<void> {
  await page.addInitScript(
    ([scenario, prefs]) => {
      // only on the first load: a reload must find what the page saved
      if (sessionStorage.getItem('e2e-seeded')) return;
      sessionStorage.setItem('e2e-seeded', '1');
      localStorage.clear();
      localStorage.setItem('ipcpg.prefs', prefs);
      localStorage.setItem('ipcpg.theme', 'light');
      if (scenario) localStorage.setItem('ipcpg.scenario.v1', scenario);
    },
    [opts.scenario ? JSON.stringify(opts.scenario) : '', JSON.stringify({ sps: opts.sps ?? 0, trace: opts.trace ?? false })] as const,
  );
  await page.goto(opts.path ?? (opts.example ? `/?example=${opts.example}` : '/'));
  await waitReady(page);
}

export async function waitReady(page: Page): Promise<void> {
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
}

export const terminal = (page: Page, proc: string) => page.locator(`[data-testid="terminal-${proc}"] .xterm-accessibility-tree`);
export const nodeState = (page: Page, proc: string) => page.getByTestId(`node-state-${proc}`);
export const runStatus = (page: Page) => page.getByTestId('run-status');

export async function run(page: Page): Promise<void> {
  await expect(page.getByTestId('run-button')).toBeEnabled();
  await page.getByTestId('run-button').click();
}

/** Share live from the presenter's page: the follow link (the share panel closed again). */
export async function shareLive(presenter: Page): Promise<string> {
  await presenter.getByTestId('share-button').click();
  await presenter.getByTestId('share-live').click();
  const link = await presenter.getByTestId('follow-link-input').inputValue();
  await presenter.keyboard.press('Escape');
  return link;
}

export async function waitEnded(page: Page, timeout = 20_000): Promise<void> {
  await expect(runStatus(page)).toHaveAttribute('data-status', 'ended', { timeout });
}

/** Drags from one point to another with intermediate moves, as a hand would. */
export async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(from.x + ((to.x - from.x) * i) / 10, from.y + ((to.y - from.y) * i) / 10);
  await page.mouse.up();
}

export async function centerOf(page: Page, testId: string): Promise<{ x: number; y: number }> {
  const box = await page.getByTestId(testId).boundingBox();
  if (!box) throw new Error(`${testId} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Replaces the program in the open editor by typing it, line by line. */
export async function typeProgram(page: Page, proc: string, lines: string[]): Promise<void> {
  const editor = page.locator(`[data-testid="editor-${proc}"] .cm-content`);
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  for (const [i, line] of lines.entries()) {
    if (i) {
      // close a completion list first, so Enter makes a new line
      await page.keyboard.press('Escape');
      await page.keyboard.press('Enter');
    }
    await page.keyboard.type(line, { delay: 5 });
  }
  await page.keyboard.press('Escape');
}

export function writerReader(mechanism: string): TestScenario {
  return {
    version: 1,
    title: 'writer to reader',
    processes: [
      { id: 'p1', name: 'writer', program: 'send c1 "hello"\n', position: { x: 0, y: 0 } },
      { id: 'p2', name: 'reader', program: 'recv c1 as msg\nprint "got {msg}"\n', position: { x: 560, y: 0 } },
    ],
    channels: [{ id: 'c1', from: 'p1', to: 'p2', mechanism }],
  };
}

/** A version-1 test scenario as the page holds it once opened: version 2, each channel's from and to its two links. */
export function asV2(s: TestScenario): Record<string, unknown> {
  return {
    ...s,
    version: 2,
    channels: s.channels.map(({ from, to, ...c }) => ({ ...c, links: [{ process: from, end: 'from' }, { process: to, end: 'to' }] })),
  };
}

/** The scenario the page autosaved (it saves 250 ms after an edit). */
export async function savedScenario(page: Page): Promise<TestScenario | null> {
  const text = await page.evaluate(() => localStorage.getItem('ipcpg.scenario.v1'));
  return text ? (JSON.parse(text) as TestScenario) : null;
}
