// Who sends a request: the address of its connection, and in class mode the identity it
// was given at /join, in a cookie the server signed (HMAC-SHA256), so that a client can
// neither make one up nor change one (a student into the presenter).
//
// The key is IPCPG_SECRET when set (cookies then outlive a restart and work on every server
// that shares it), else random at each start: after a restart everyone joins again.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const COOKIE = 'ipcpg_id';
/** A class day; a cookie older than this is refused even if the browser kept it. */
export const COOKIE_MAX_AGE_S = 12 * 3600;

export interface Identity {
  id: string;
  presenter: boolean;
}

/** The client's address, or null for this machine's own (loopback: its own user, or a proxy in front). */
export function clientAddress(req: Pick<IncomingMessage, 'socket'>): string | null {
  const a = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  return a === '::1' || a.startsWith('127.') ? null : a || null;
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export class Identities {
  private key: Buffer;

  constructor(
    secret: string | undefined,
    private now: () => number = Date.now,
  ) {
    this.key = secret ? Buffer.from(secret) : randomBytes(32);
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }

  /** A new identity's cookie value: `id.role.issued.signature`. */
  issue(presenter: boolean): string {
    const body = `${randomBytes(12).toString('base64url')}.${presenter ? 'p' : 's'}.${Math.floor(this.now() / 1000)}`;
    return `${body}.${this.sign(body)}`;
  }

  verify(value: string | null): Identity | null {
    const m = value ? /^([A-Za-z0-9_-]{16})\.([ps])\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value) : null;
    if (!m) return null;
    const expected = Buffer.from(this.sign(`${m[1]}.${m[2]}.${m[3]}`));
    if (!timingSafeEqual(expected, Buffer.from(m[4]))) return null;
    if (this.now() / 1000 - Number(m[3]) > COOKIE_MAX_AGE_S) return null;
    return { id: m[1], presenter: m[2] === 'p' };
  }

  fromRequest(req: Pick<IncomingMessage, 'headers'>): Identity | null {
    return this.verify(cookieValue(req.headers.cookie, COOKIE));
  }
}
