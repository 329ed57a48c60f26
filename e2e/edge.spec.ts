// The edge, on the test server: a request for another Host gets 421 (DNS rebinding), pages
// carry a strict CSP under which the playground runs a scenario with no violation at all.
import http from 'node:http';
import { expect, test } from '@playwright/test';
import { open, run, terminal, waitEnded } from './helpers';

function statusFor(baseURL: string, path: string, host: string): Promise<number> {
  const u = new URL(baseURL);
  return new Promise((resolve, reject) => {
    http
      .get({ host: u.hostname, port: u.port, path, headers: { host, origin: `http://${host}` } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      })
      .on('error', reject);
  });
}

test('a request for another Host gets 421 Misdirected Request, pages and socket.io alike', async ({ baseURL }) => {
  const port = new URL(baseURL!).port;
  expect(await statusFor(baseURL!, '/', `attacker.example:${port}`)).toBe(421);
  expect(await statusFor(baseURL!, '/socket.io/?EIO=4&transport=polling', `attacker.example:${port}`)).toBe(421);
  expect(await statusFor(baseURL!, '/', 'attacker.example')).toBe(421);
  expect(await statusFor(baseURL!, '/', `127.0.0.1:${port}`)).toBe(200);
  expect(await statusFor(baseURL!, '/', `localhost:${port}`)).toBe(200);
});

test('pages carry a CSP, and the playground works under it with no violation', async ({ page, baseURL }) => {
  const violations: string[] = [];
  await page.exposeFunction('cspViolation', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { cspViolation(v: string): void }).cspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  const response = await page.goto(`${baseURL}/gallery`);
  const csp = response!.headers()['content-security-policy'];
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'self'");
  expect(csp).toContain("object-src 'none'");
  expect(response!.headers()['x-content-type-options']).toBe('nosniff');
  expect(response!.headers()['referrer-policy']).toBe('same-origin');

  await open(page, { scenario: { version: 1, processes: [{ id: 'p', name: 'p', program: 'print "\x1b[31mred\x1b[0m and \x1b]8;;http://evil.example\x1b\\\\link"' }], channels: [] } });
  await run(page);
  await waitEnded(page);
  // the colour is obeyed, the OSC 8 link is shown as text, not made a link
  await expect(terminal(page, 'p')).toContainText('red and ^[]8;;http://evil.example^[\\link');
  await expect(page.locator('[data-testid="terminal-p"] a')).toHaveCount(0);
  expect(violations).toEqual([]);
});
