// Which browser pages may open a socket.io connection: the page's own origin (its Origin
// header names the host the request was sent to), plus origins listed in
// IPCPG_ALLOWED_ORIGINS. Anything else is a page on another site trying to drive real
// processes on this machine (cross-site WebSocket hijacking), so it is refused.

import type { IncomingMessage } from 'node:http';

/** `http://Example.com:80/` → `http://example.com`; null when it is not an http(s) origin. */
export function normalizeOrigin(origin: string): string | null {
  try {
    const u = new URL(origin);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.origin.toLowerCase();
  } catch {
    return null;
  }
}

export function parseAllowedOrigins(env: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const part of (env ?? '').split(',')) {
    const o = part.trim() && normalizeOrigin(part.trim());
    if (o) out.add(o);
  }
  return out;
}

export type OriginVerdict = { ok: true } | { ok: false; reason: string };

export function checkOrigin(req: Pick<IncomingMessage, 'headers'>, allowed: ReadonlySet<string>): OriginVerdict {
  const raw = req.headers.origin;
  if (!raw) {
    // Browsers always send Origin on a WebSocket handshake, and Sec-Fetch-Site on every
    // request; a same-origin XHR (polling) may omit Origin but says same-origin here.
    return req.headers['sec-fetch-site'] === 'same-origin' ? { ok: true } : { ok: false, reason: 'no Origin header' };
  }
  const origin = normalizeOrigin(raw);
  if (!origin) return { ok: false, reason: `origin ${raw} is not http(s)` };
  if (allowed.has(origin)) return { ok: true };
  const host = req.headers.host?.toLowerCase();
  if (host) {
    const u = new URL(origin);
    const defaultPort = u.protocol === 'https:' ? '443' : '80';
    const withPort = u.port ? u.host : `${u.hostname}:${defaultPort}`;
    if (host === u.host || host === withPort) return { ok: true };
  }
  return { ok: false, reason: `origin ${raw} is not this server (${host ?? 'no Host header'})` };
}
