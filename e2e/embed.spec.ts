// /embed/...: framable by other sites (only that route), without the editing chrome. A page
// of another origin (a course site) frames an example, which runs for real inside it, and a
// recorded run, which replays; the editor itself refuses to be framed there.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { parseRecording } from '../lib/recording/format';
import { encodeRecordingLink } from '../lib/recording/link';

test('an example and a recording embedded in another site run and replay there; only /embed may be framed', async ({ page, baseURL, request }) => {
  const app = new URL(baseURL!).origin;
  const rec = parseRecording(fs.readFileSync(path.join(process.cwd(), 'test/fixtures/recording-v1.json'), 'utf8'));
  if (!rec.ok) throw new Error(rec.message);
  const course = http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(
      `<!doctype html><title>Lecture 3: pipes</title><h1>Lecture 3: pipes</h1>` +
        `<iframe id="example" src="${app}/embed/examples/pipe-hello" width="1100" height="640"></iframe>` +
        `<iframe id="recording" src="${app}/embed/replay#${encodeRecordingLink(rec.recording)}" width="1100" height="640"></iframe>` +
        `<iframe id="editor" src="${app}/" width="600" height="300"></iframe>`,
    );
  });
  await new Promise<void>((resolve) => course.listen(0, '127.0.0.1', resolve));
  try {
    const embedCsp = (await request.get('/embed/examples/pipe-hello')).headers()['content-security-policy'];
    expect(embedCsp).toContain('frame-ancestors *');
    const editorCsp = (await request.get('/')).headers()['content-security-policy'];
    expect(editorCsp).toContain("frame-ancestors 'self'");
    expect((await request.get('/replay')).headers()['content-security-policy']).toContain("frame-ancestors 'self'");

    // localhost is another site than 127.0.0.1: a cross-site frame
    await page.goto(`http://localhost:${(course.address() as AddressInfo).port}/`);
    const example = page.frameLocator('#example');
    await expect(example.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    await expect(example.getByTestId('app')).toHaveAttribute('data-mode', 'embed');
    await expect(example.getByTestId('scenario-title')).toHaveText('Pipe: parent to child');
    // no editing chrome: no drawing tools, no share, a way to the full playground
    await expect(example.getByTestId('add-process')).toHaveCount(0);
    await expect(example.getByTestId('share-button')).toHaveCount(0);
    await expect(example.getByTestId('embed-open-full')).toHaveAttribute('href', '/examples/pipe-hello');
    await expect(example.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
    await example.getByTestId('run-button').click();
    await expect(example.locator('[data-testid="terminal-child"] .xterm-accessibility-tree')).toContainText('child read: hello', { timeout: 20_000 });

    const replay = page.frameLocator('#recording');
    await expect(replay.getByTestId('app')).toHaveAttribute('data-mode', 'replay');
    await expect(replay.locator('[data-testid="terminal-child"] .xterm-accessibility-tree')).toContainText('child read: hello');
    await expect(replay.getByTestId('run-button')).toHaveCount(0);

    // the editor, framed by another site, is refused by the browser
    await page.waitForTimeout(1000);
    await expect(page.frameLocator('#editor').getByTestId('app')).toHaveCount(0);
  } finally {
    course.close();
  }
});
