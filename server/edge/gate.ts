// The edge: every HTTP request and upgrade (pages, socket.io's polling and WebSocket
// handshakes, Next's own) passes here first. A request for another Host gets 421; in class
// mode one without a valid identity cookie is sent to /join (a page) or gets 401 (anything
// else, the socket.io handshake included); /join is answered here. What passes goes on with
// the security headers set, and with the CSP nonce in its request headers for Next.

import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { ClassMode } from './classmode';
import { NONCE_HEADER, newNonce, securityHeaders } from './headers';
import { hostAllowed } from './host';
import { clientAddress } from './identity';
import { Join } from './join';

export interface EdgeOptions {
  hosts: ReadonlySet<string>;
  dev: boolean;
  classMode: ClassMode | null;
  log: (msg: string) => void;
}

type Refusal = { status: 421 | 401; text: string } | { status: 303; location: string };

/** The request's URL (a malformed one is taken as `/`, which Next then answers as it does). */
function urlOf(req: http.IncomingMessage): URL {
  try {
    return new URL(req.url ?? '/', 'http://edge');
  } catch {
    return new URL('/', 'http://edge');
  }
}

const STATUS_TEXT = { 421: 'Misdirected Request', 401: 'Unauthorized', 303: 'See Other' } as const;

export class Edge {
  private join: Join | null;

  constructor(private o: EdgeOptions) {
    this.join = o.classMode && new Join(o.classMode);
  }

  /** Why `req` may not go on (null: it may), before anything else looks at it. */
  private refusal(req: http.IncomingMessage, url: URL): Refusal | null {
    if (!hostAllowed(req.headers.host, this.o.hosts)) return { status: 421, text: `This server does not answer to the name ${JSON.stringify(req.headers.host ?? '')}.\n` };
    if (!this.o.classMode || url.pathname === '/join' || this.o.classMode.identities.fromRequest(req)) return null;
    const page = (req.method === 'GET' || req.method === 'HEAD') && (req.headers.accept ?? '').includes('text/html') && !url.pathname.startsWith('/socket.io/');
    return page ? { status: 303, location: `/join?next=${encodeURIComponent(url.pathname + url.search)}` } : { status: 401, text: 'Join the class first, at /join.\n' };
  }

  /** An HTTP request: true when it goes on to socket.io or Next, false when it was answered here. */
  request(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const url = urlOf(req);
    const nonce = newNonce();
    const headers = securityHeaders(url.pathname, nonce, this.o.dev);
    const refused = this.refusal(req, url);
    if (refused?.status === 421) this.o.log(`refused a request for Host ${JSON.stringify(req.headers.host ?? '')}`);
    if (refused?.status === 303) {
      res.writeHead(303, { ...headers, Location: refused.location, 'Cache-Control': 'no-store' }).end();
      return false;
    }
    if (refused) {
      res.writeHead(refused.status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end(refused.text);
      return false;
    }
    if (this.join && url.pathname === '/join') {
      void this.join.handle(req, res, url, clientAddress(req) ?? 'local', headers);
      return false;
    }
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    req.headers['content-security-policy'] = headers['Content-Security-Policy'];
    req.headers[NONCE_HEADER] = nonce;
    return true;
  }

  /** An upgrade (a WebSocket handshake): true when it goes on, false when it was refused here. */
  upgrade(req: http.IncomingMessage, socket: Duplex): boolean {
    const refused = this.refusal(req, urlOf(req));
    if (!refused) return true;
    const status = refused.status === 303 ? 401 : refused.status;
    socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    return false;
  }

  /**
   * Puts the edge in front of every request and upgrade listener `server` has (socket.io's
   * and Next's: call it once they are attached), as engine.io itself puts socket.io in front.
   */
  guard(server: http.Server): void {
    const requests = server.listeners('request') as ((req: http.IncomingMessage, res: http.ServerResponse) => void)[];
    const upgrades = server.listeners('upgrade') as ((req: http.IncomingMessage, socket: Duplex, head: Buffer) => void)[];
    server.removeAllListeners('request');
    server.removeAllListeners('upgrade');
    server.on('request', (req, res) => {
      if (this.request(req, res)) for (const l of requests) l.call(server, req, res);
    });
    server.on('upgrade', (req, socket, head) => {
      if (this.upgrade(req, socket)) for (const l of upgrades) l.call(server, req, socket, head);
    });
  }
}
