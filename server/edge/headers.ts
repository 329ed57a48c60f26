// The security headers of every response: a Content-Security-Policy, no MIME sniffing, no
// Referer to other sites (follow links hold their token in the path).
//
// Scripts: Next's pages carry inline scripts (the streamed page data), so each response gets
// a fresh nonce: the edge hands it to Next in the request's CSP header, from which Next puts
// it on every script it writes (app/layout.tsx reads it for its own), and 'strict-dynamic'
// lets those scripts load the page's chunks. In development React also needs eval.
// Styles: React Flow, CodeMirror and xterm.js set style attributes and <style> elements at
// run time, so inline styles stay allowed; nothing of a style can run code.

import { randomBytes } from 'node:crypto';

type Directives = Record<string, string>;

const BASE: Directives = {
  'default-src': "'self'",
  'style-src': "'self' 'unsafe-inline'",
  'img-src': "'self' data: blob:",
  'font-src': "'self' data:",
  'connect-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'self'",
  'form-action': "'self'",
  'frame-ancestors': "'self'",
};

/**
 * Per-route changes to the policy, first matching prefix wins. Only /embed/... may be framed
 * by other sites (a course page, a slide): it has no editing chrome and reads or writes
 * nothing of the visitor's saved work; every other page stays frame-ancestors 'self'.
 */
const ROUTES: { prefix: string; directives: Directives }[] = [{ prefix: '/embed', directives: { 'frame-ancestors': '*' } }];

export const NONCE_HEADER = 'x-nonce';

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(path: string, nonce: string, dev: boolean): string {
  const route = ROUTES.find((r) => path === r.prefix || path.startsWith(`${r.prefix}/`));
  const d: Directives = { ...BASE, 'script-src': `'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`, ...route?.directives };
  return Object.entries(d)
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');
}

export function securityHeaders(path: string, nonce: string, dev: boolean): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(path, nonce, dev),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
  };
}
