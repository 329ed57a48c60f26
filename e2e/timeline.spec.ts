// Every run is recorded and drawn as a timeline: scrubbing a gallery run shows the whole page
// at that moment (checked against the terminals' text the recording says was printed by
// then), steps move one event at a time, End returns; the recording downloads and replays in
// /replay (a file or a link) with nothing running; a live run can be scrubbed as it goes.
import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import type { RunEvent } from '../lib/events';
import { parseRecording, type Recording } from '../lib/recording/format';
import { encodeRecordingLink } from '../lib/recording/link';
import { buildTimeline } from '../lib/timeline/model';
import { geometryOf } from '../lib/timeline/svg';
import { nodeState, open, run, terminal, waitEnded, waitReady } from './helpers';

type Out = Extract<RunEvent, { type: 'stdout' | 'stderr' }>;
const outputs = (rec: Recording, proc: string) => rec.events.filter((e): e is Out => e.type === 'stdout' && e.proc === proc);
const linesOf = (events: Out[]) => events.flatMap((e) => e.text.split('\n')).filter(Boolean);

/** The moment the page shows (the cursor's time, or the end). */
async function shownAt(page: Page): Promise<number> {
  return Number(await page.getByTestId('timeline-at').getAttribute('data-t'));
}

const squeeze = (s: string) => s.replace(/\s+/g, '');

/** Each terminal holds exactly the lines printed by time t, once each, in order. */
async function expectTerminalsAt(page: Page, rec: Recording, procs: string[], t: number): Promise<void> {
  for (const proc of procs) {
    const before = linesOf(outputs(rec, proc).filter((e) => e.t <= t));
    await expect.poll(async () => squeeze((await terminal(page, proc).textContent()) ?? '')).toBe(squeeze(before.join('')));
  }
}

async function downloadRecording(page: Page): Promise<{ rec: Recording; file: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-recording').click()]);
  expect(download.suggestedFilename()).toMatch(/\.recording\.json$/);
  const file = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(file);
  const r = parseRecording(fs.readFileSync(file, 'utf8'));
  if (!r.ok) throw new Error(r.message);
  return { rec: r.recording, file };
}

test('a recorded gallery run, scrubbed: terminals and nodes show that moment; steps and End; replayed from a file and from a link', async ({ page }) => {
  test.setTimeout(150_000);
  await open(page, { example: 'signal-ping-pong', trace: true });
  await run(page);
  await waitEnded(page);
  await page.getByTestId('tab-timeline').click();
  await expect(page.getByTestId('timeline-pane')).toBeVisible();
  // the diagram: both lifelines, the signals as arrows
  const svg = page.getByTestId('timeline-canvas').locator('svg');
  await expect(svg).toContainText('ping');
  await expect(svg.locator('[data-kind="signal"]').first()).toBeVisible();
  const { rec, file } = await downloadRecording(page);
  expect((rec.scenario as { title: string }).title).toBe('Signal ping-pong');

  // click on the diagram just after pong's second line was printed
  const second = outputs(rec, 'pong')[1].t;
  const geo = geometryOf(buildTimeline(rec, { maxRows: 240, pxPerMs: 8, gapMax: 60 }));
  await page.getByTestId('timeline-canvas').click({ position: { x: 40, y: geo.y(second) + 2 } });
  await expect(page.getByTestId('scrub-banner')).toBeVisible();
  const t = await shownAt(page);
  expect(t).toBeGreaterThanOrEqual(second);
  await expectTerminalsAt(page, rec, ['ping', 'pong'], t);
  await expect(terminal(page, 'pong')).toContainText('pong got ping 2');
  await expect(terminal(page, 'pong')).not.toContainText('pong got ping 3');
  await expect(nodeState(page, 'pong')).not.toHaveText('exited 0');

  // one event back, three times, then forward: the terminals follow every step
  for (const key of [',', ',', ',', '.']) {
    const before = await shownAt(page);
    await page.keyboard.press(key);
    await expect.poll(() => shownAt(page)).not.toBe(before);
    await expectTerminalsAt(page, rec, ['ping', 'pong'], await shownAt(page));
  }
  // one event of the selected process: pong's next event is pong's
  await page.getByTestId('node-name-pong').click();
  const from = await shownAt(page);
  await page.keyboard.press('>');
  await expect.poll(() => shownAt(page)).toBeGreaterThan(from);
  const next = await shownAt(page);
  const pongNext = rec.events.filter((e) => e.t > from && ('proc' in e ? e.proc === 'pong' : e.type === 'signal' && e.to === 'pong') && !['counters', 'object', 'control', 'notice'].includes(e.type));
  expect(next).toBe(Math.min(...pongNext.map((e) => e.t)));

  // End: the end of the run again
  await page.keyboard.press('End');
  await expect(page.getByTestId('scrub-banner')).toHaveCount(0);
  await expect(terminal(page, 'pong')).toContainText('pong got ping 3');
  await expect(nodeState(page, 'pong')).toHaveText('exited 0');

  // the same recording in /replay, from the file: nothing runs, everything moves
  await page.goto('/replay');
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('replay-welcome')).toBeVisible();
  await page.getByTestId('replay-welcome').getByTestId('recording-file').setInputFiles(file);
  await expect(page.getByTestId('replay-bar')).toBeVisible();
  await expect(page.getByTestId('run-button')).toHaveCount(0);
  await expect(terminal(page, 'ping')).toContainText('ping got pong 3');
  await expect(nodeState(page, 'ping')).toHaveText('exited 0');
  await page.keyboard.press('Control+Enter'); // a replay starts nothing
  await page.getByTestId('timeline-canvas').click({ position: { x: 40, y: geo.y(second) + 2 } });
  await expectTerminalsAt(page, rec, ['ping', 'pong'], await shownAt(page));
  await expect(terminal(page, 'pong')).not.toContainText('pong got ping 3');

  // and from a link holding it (a gallery run fits 8 KB)
  const link = encodeRecordingLink(rec);
  expect(link.length).toBeLessThanOrEqual(8000);
  await page.goto(`/replay#${link}`);
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
  await expect(terminal(page, 'pong')).toContainText('pong got ping 3');
  await expect(page.getByTestId('scenario-title')).toHaveValue('Signal ping-pong');
});

test('a live run scrubbed while it runs goes on, and End brings it back live', async ({ page }) => {
  await open(page, { example: 'signal-ping-pong', sps: 1 });
  await page.getByTestId('tab-timeline').click();
  await run(page);
  await expect(terminal(page, 'pong')).toContainText('pong got ping 1', { timeout: 15_000 });
  await expect(page.getByTestId('timeline-pane')).toBeVisible();
  await page.keyboard.press(',');
  await expect(page.getByTestId('scrub-banner')).toContainText('goes on meanwhile');
  const at = await shownAt(page);
  // while the page looks back, the run goes on (the moment shown stays)
  await page.waitForTimeout(2500);
  expect(await shownAt(page)).toBe(at);
  await expect(terminal(page, 'pong')).not.toContainText('pong got ping 3');
  await page.keyboard.press('End');
  await expect(page.getByTestId('scrub-banner')).toHaveCount(0);
  await waitEnded(page, 20_000);
  await expect(terminal(page, 'pong')).toContainText('pong got ping 3');
  await expect(terminal(page, 'ping')).toContainText('ping got pong 3');
});

test('a damaged recording is refused with its reason, the page stays usable', async ({ page }) => {
  await page.goto('/replay#r1.AAAA');
  await waitReady(page);
  await expect(page.getByTestId('notify-banner')).toContainText('recording');
  await expect(page.getByTestId('replay-welcome')).toBeVisible();
});
