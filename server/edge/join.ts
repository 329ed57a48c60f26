// /join, in class mode: a small page that asks for the class code (plain HTML and a form,
// no script) and, if the teacher gave one, a live session's short code to go to once joined;
// and its POST, which checks the code and sets the identity cookie. Codes are
// compared in constant time; attempts are rate-limited per address, so a code cannot be
// guessed by trying them all.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FOLLOW_CODE } from '../../lib/protocol';
import { RateLimiter } from '../ratelimit';
import type { ClassMode } from './classmode';
import { COOKIE, COOKIE_MAX_AGE_S } from './identity';

/** Five wrong codes in a row, then one every 10 s (right ones cost nothing: a class behind one address joins at once). */
const attempts = () => new RateLimiter({ burst: 5, perSecond: 0.1 });
const MAX_BODY = 4096;

function sameCode(given: string, code: string): boolean {
  // hashed first: equal lengths, so the time says nothing about the code's length either
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(given), h(code));
}

/** Where to go after joining: a path of this site only (never `//other.example`). */
export function safeNext(raw: string | null | undefined): string {
  return raw && raw.startsWith('/') && !raw.startsWith('//') && !raw.startsWith('/\\') && !raw.startsWith('/join') ? raw : '/';
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function joinPage(opts: { next: string; error?: string }): string {
  const error = opts.error ? `<p id="join-error" class="error" role="alert">${escapeHtml(opts.error)}</p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Join the class · IPC Playground</title>
<style>
:root { color-scheme: light dark; --bg: #f5f7fb; --fg: #1e293b; --card: #fff; --line: #cbd5e1; --accent: #4f46e5; --bad: #b91c1c; }
@media (prefers-color-scheme: dark) { :root { --bg: #0b1120; --fg: #e2e8f0; --card: #111827; --line: #334155; --accent: #818cf8; --bad: #f87171; } }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: var(--bg); color: var(--fg); font: 16px/1.5 system-ui, sans-serif; }
main { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 2rem; width: min(22rem, 90vw); }
h1 { font-size: 1.4rem; margin: 0 0 .5rem; }
label { display: block; margin: 1rem 0 .3rem; font-weight: 600; }
input { width: 100%; box-sizing: border-box; font: inherit; padding: .5rem .6rem; border: 1px solid var(--line); border-radius: 6px; background: transparent; color: inherit; }
input:focus-visible, button:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
button { margin-top: 1rem; width: 100%; font: inherit; font-weight: 600; padding: .55rem; border: 0; border-radius: 6px; background: var(--accent); color: #fff; cursor: pointer; }
.error { color: var(--bad); font-weight: 600; margin: 1rem 0 0; }
</style>
</head>
<body>
<main>
<h1>Join the class</h1>
<p>Type the code your teacher gave you.</p>
<form method="post" action="/join">
<input type="hidden" name="next" value="${escapeHtml(opts.next)}">
<label for="code">Class code</label>
<input id="code" name="code" type="password" autocomplete="off" required autofocus${opts.error ? ' aria-invalid="true" aria-describedby="join-error"' : ''}>
<label for="live">Live session code <small>(if your teacher shows one)</small></label>
<input id="live" name="live" autocomplete="off" autocapitalize="characters" maxlength="6" pattern="[A-Za-z0-9]{6}">
${error}
<button type="submit">Join</button>
</form>
</main>
</body>
</html>
`;
}

/** The form, or null when it is too big (the rest is read and dropped, so the answer still arrives). */
function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  return new Promise((resolve) => {
    let body = '';
    let tooBig = false;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      if (tooBig) return;
      body += chunk;
      tooBig = body.length > MAX_BODY;
    });
    req.on('end', () => resolve(tooBig ? null : new URLSearchParams(body)));
    req.on('error', () => resolve(null));
  });
}

export class Join {
  private tries = attempts();

  constructor(private mode: ClassMode) {}

  /** GET or POST /join; `headers` are the security headers every response carries. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL, ip: string, headers: Record<string, string>): Promise<void> {
    const page = (status: number, next: string, error?: string) => {
      res.writeHead(status, { ...headers, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(joinPage({ next, error }));
    };
    if (req.method !== 'POST') return page(200, safeNext(url.searchParams.get('next')));
    const wait = this.tries.wait(ip);
    if (wait) {
      req.resume();
      return page(429, '/', `Too many wrong codes from your address: wait ${Math.ceil(wait / 1000)} s and try again.`);
    }
    const form = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded') ? await readForm(req) : null;
    if (!form) return page(400, '/', 'The form did not arrive whole: try again.');
    const live = (form.get('live') ?? '').trim();
    const next = FOLLOW_CODE.test(live) ? `/f/${live.toUpperCase()}` : safeNext(form.get('next'));
    const code = (form.get('code') ?? '').trim();
    const presenter = !!this.mode.presenterCode && sameCode(code, this.mode.presenterCode);
    if (!presenter && !sameCode(code, this.mode.code)) {
      this.tries.take(ip);
      return page(401, next, 'That is not the class code. Check it with your teacher and try again.');
    }
    res.writeHead(303, {
      ...headers,
      Location: next,
      'Cache-Control': 'no-store',
      'Set-Cookie': `${COOKIE}=${this.mode.identities.issue(presenter)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${COOKIE_MAX_AGE_S}`,
    });
    res.end();
  }
}
