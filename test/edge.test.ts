// The edge (server/edge/): the Host check, the security headers, class mode's start-up rule,
// its signed identities and /join; and the edge in front of a real HTTP server with
// socket.io on it, as server/index.ts puts it.

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { io as connect } from 'socket.io-client';
import { DEFAULT_LIMITS } from '../lib/scenario';
import { classModeFromEnv, whoInClass, type ClassMode } from '../server/edge/classmode';
import { Edge } from '../server/edge/gate';
import { contentSecurityPolicy, securityHeaders } from '../server/edge/headers';
import { allowedHosts, hostAllowed } from '../server/edge/host';
import { COOKIE, COOKIE_MAX_AGE_S, Identities, clientAddress } from '../server/edge/identity';
import { safeNext } from '../server/edge/join';
import { attachSocketIo } from '../server/io';
import { prng } from './harness/soak';
import { int, pick, randomValue } from './fuzzgen';

describe('Host check', () => {
  it('by default: localhost, 127.0.0.1, [::1] and the listen address, with the port', () => {
    const hosts = allowedHosts(undefined, '10.1.2.3', 3000);
    for (const h of ['localhost:3000', '127.0.0.1:3000', '[::1]:3000', '10.1.2.3:3000', 'LOCALHOST:3000']) assert.ok(hostAllowed(h, hosts), h);
    for (const h of ['attacker.example:3000', 'localhost', 'localhost:3001', '127.0.0.1.attacker.example:3000', '10.1.2.3', '', undefined]) assert.ok(!hostAllowed(h, hosts), String(h));
  });

  it('listening on every address: every address of the machine', () => {
    const hosts = allowedHosts(undefined, '0.0.0.0', 3000);
    assert.ok(hostAllowed('127.0.0.1:3000', hosts));
    assert.ok(!hostAllowed('0.0.0.0:3000', hosts));
    assert.ok(!hostAllowed('attacker.example:3000', hosts));
  });

  it('IPCPG_ALLOWED_HOSTS replaces the default; a name without a port is allowed without one and with the listen port', () => {
    const hosts = allowedHosts(' class.example , lab.example:8080, [fe80::1]:3000 ,::2', '0.0.0.0', 3000);
    for (const h of ['class.example', 'class.example:3000', 'lab.example:8080', '[fe80::1]:3000', '[::2]', '[::2]:3000']) assert.ok(hostAllowed(h, hosts), h);
    for (const h of ['lab.example', 'class.example:8080', 'localhost:3000', '127.0.0.1:3000']) assert.ok(!hostAllowed(h, hosts), h);
  });
});

describe('security headers', () => {
  it('a strict CSP with the nonce, and nosniff and a same-origin Referer', () => {
    const h = securityHeaders('/', 'abc', false);
    const csp = h['Content-Security-Policy'];
    assert.match(csp, /script-src 'self' 'nonce-abc' 'strict-dynamic'(;|$)/);
    for (const d of ["frame-ancestors 'self'", "object-src 'none'", "base-uri 'self'", "default-src 'self'"]) assert.ok(csp.includes(d), d);
    assert.doesNotMatch(csp, /unsafe-eval/);
    assert.equal(h['X-Content-Type-Options'], 'nosniff');
    assert.equal(h['Referrer-Policy'], 'same-origin');
  });

  it('only /embed/... may be framed by other sites; every other page, /embedded and /replay included, only by itself', () => {
    for (const path of ['/embed/examples/pipe-hello', '/embed/replay', '/embed/share']) assert.match(contentSecurityPolicy(path, 'n', false), /frame-ancestors \*(;|$)/, path);
    for (const path of ['/', '/replay', '/examples/pipe-hello', '/embedded', '/follow/x', '/api/examples']) assert.match(contentSecurityPolicy(path, 'n', false), /frame-ancestors 'self'(;|$)/, path);
  });

  it('development allows eval (React needs it there), production never', () => {
    assert.match(contentSecurityPolicy('/', 'n', true), /'unsafe-eval'/);
  });
});

describe('class mode', () => {
  const env = (e: Record<string, string>) => e as NodeJS.ProcessEnv;

  it('beyond loopback, the server refuses to start without a code, naming IPCPG_CLASS_CODE', () => {
    const r = classModeFromEnv(env({}), '0.0.0.0');
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.message : '', /IPCPG_CLASS_CODE/);
    assert.match(!r.ok ? r.message : '', /IPCPG_OPEN=1/);
    for (const host of ['::', '192.168.1.5', 'example.org']) assert.equal(classModeFromEnv(env({}), host).ok, false, host);
  });

  it('loopback needs no code; IPCPG_OPEN=1 opens a network on purpose; a code turns class mode on anywhere', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2']) assert.deepEqual(classModeFromEnv(env({}), host), { ok: true, mode: null });
    assert.deepEqual(classModeFromEnv(env({ IPCPG_OPEN: '1' }), '0.0.0.0'), { ok: true, mode: null });
    const r = classModeFromEnv(env({ IPCPG_CLASS_CODE: 'blue42' }), '127.0.0.1');
    assert.ok(r.ok && r.mode && r.mode.code === 'blue42' && r.mode.presenterCode === null);
  });

  it('a presenter code needs a class code, and a different one', () => {
    assert.equal(classModeFromEnv(env({ IPCPG_PRESENTER_CODE: 'x' }), '127.0.0.1').ok, false);
    assert.equal(classModeFromEnv(env({ IPCPG_CLASS_CODE: 'x', IPCPG_PRESENTER_CODE: 'x' }), '127.0.0.1').ok, false);
  });
});

describe('identities', () => {
  it('a cookie the server signed is taken back; a changed or foreign one is not', () => {
    const ids = new Identities(undefined);
    const student = ids.issue(false);
    const me = ids.verify(student);
    assert.ok(me && !me.presenter && me.id.length === 16);
    assert.deepEqual(ids.verify(ids.issue(true))?.presenter, true);
    // a student making itself the presenter
    assert.equal(ids.verify(student.replace('.s.', '.p.')), null);
    assert.equal(new Identities(undefined).verify(student), null, 'another key');
    for (const bad of [null, '', 'x', `${student}x`, student.slice(0, -1), 'a'.repeat(5000)]) assert.equal(ids.verify(bad), null, String(bad).slice(0, 40));
  });

  it('a shared IPCPG_SECRET makes them last across restarts; an old cookie is refused', () => {
    let now = 1_000_000_000_000;
    const a = new Identities('s3cret', () => now);
    const cookie = a.issue(false);
    assert.ok(new Identities('s3cret', () => now).verify(cookie));
    now += (COOKIE_MAX_AGE_S + 1) * 1000;
    assert.equal(a.verify(cookie), null);
  });

  it('read from the Cookie header among others', () => {
    const ids = new Identities(undefined);
    const v = ids.issue(true);
    assert.ok(ids.fromRequest({ headers: { cookie: `a=1; ${COOKIE}=${v}; b=2` } })?.presenter);
    assert.equal(ids.fromRequest({ headers: {} }), null);
  });

  it('loopback addresses are not counted per address; others are, IPv4-mapped ones as IPv4', () => {
    const at = (remoteAddress: string) => clientAddress({ socket: { remoteAddress } } as never);
    assert.equal(at('127.0.0.1'), null);
    assert.equal(at('::1'), null);
    assert.equal(at('::ffff:127.0.0.1'), null);
    assert.equal(at('::ffff:10.0.0.7'), '10.0.0.7');
    assert.equal(at('fe80::2'), 'fe80::2');
  });

  it('/join sends back to a path of this site only', () => {
    assert.equal(safeNext('/gallery?x=1'), '/gallery?x=1');
    for (const bad of ['//evil.example', '/\\evil.example', 'http://evil.example', '', null, '/join?next=/']) assert.equal(safeNext(bad), '/', String(bad));
  });
});

/** An HTTP server as server/index.ts makes it (a stand-in for Next behind the edge), on 127.0.0.1. */
async function edgeServer(classMode: ClassMode | null): Promise<{ base: string; port: number; close(): Promise<void> }> {
  const server = http.createServer();
  server.on('request', (req, res) => {
    if (req.url?.startsWith('/socket.io/')) return;
    res.end(`page ${req.headers['x-nonce'] ? 'with nonce' : 'without nonce'}`);
  });
  const { io } = attachSocketIo(server, { allowedOrigins: new Set(), limits: DEFAULT_LIMITS, awayMs: 50, log: () => {}, who: classMode ? whoInClass(classMode) : undefined });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as AddressInfo).port;
  new Edge({ hosts: allowedHosts(undefined, '127.0.0.1', port), dev: false, classMode, log: () => {} }).guard(server);
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      io.close();
      server.closeAllConnections();
      await new Promise((res) => server.close(res));
    },
  };
}

function request(port: number, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    // a connection each: a server may close one whose request body it did not read
    const req = http.request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

function socketConnects(base: string, cookie?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(base, { transports: ['websocket'], reconnection: false, timeout: 3000, extraHeaders: { origin: base, ...(cookie ? { cookie } : {}) } });
    s.on('connect', () => {
      s.close();
      resolve(true);
    });
    s.on('connect_error', () => {
      s.close();
      resolve(false);
    });
  });
}

describe('the edge in front of a server', () => {
  it('421 for another Host, on pages and on the socket.io handshake; headers and a nonce on what passes', async () => {
    const srv = await edgeServer(null);
    try {
      const bad = await request(srv.port, '/', { headers: { host: 'attacker.example' } });
      assert.equal(bad.status, 421);
      const badIo = await request(srv.port, '/socket.io/?EIO=4&transport=polling', { headers: { host: `attacker.example:${srv.port}` } });
      assert.equal(badIo.status, 421);
      const ok = await request(srv.port, '/');
      assert.equal(ok.status, 200);
      assert.equal(ok.body, 'page with nonce');
      assert.match(String(ok.headers['content-security-policy']), /frame-ancestors 'self'/);
      assert.equal(ok.headers['x-content-type-options'], 'nosniff');
      assert.equal(await socketConnects(srv.base), true);
    } finally {
      await srv.close();
    }
  });

  it('class mode: pages redirect to /join, the rest and the handshake get 401, until the code is given', async () => {
    const mode = { code: 'blue42', presenterCode: null, identities: new Identities(undefined) };
    const srv = await edgeServer(mode);
    try {
      const page = await request(srv.port, '/gallery?x=1', { headers: { accept: 'text/html' } });
      assert.equal(page.status, 303);
      assert.equal(page.headers.location, '/join?next=%2Fgallery%3Fx%3D1');
      assert.equal((await request(srv.port, '/api/examples')).status, 401);
      assert.equal((await request(srv.port, '/socket.io/?EIO=4&transport=polling')).status, 401);
      assert.equal(await socketConnects(srv.base), false);

      const form = await request(srv.port, '/join?next=/gallery');
      assert.equal(form.status, 200);
      assert.match(form.body, /<label for="code">Class code<\/label>/);
      assert.match(String(form.headers['content-security-policy']), /default-src 'self'/);

      const post = (code: string) => request(srv.port, '/join', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ code, next: '/gallery' }).toString() });
      const wrong = await post('red41');
      assert.equal(wrong.status, 401);
      assert.match(wrong.body, /role="alert">That is not the class code/);
      assert.equal(wrong.headers['set-cookie'], undefined);

      const right = await post(' blue42 ');
      assert.equal(right.status, 303);
      assert.equal(right.headers.location, '/gallery');
      const set = String(right.headers['set-cookie']);
      assert.match(set, new RegExp(`^${COOKIE}=[^;]+; Path=/; HttpOnly; SameSite=Lax; Max-Age=\\d+$`));
      const cookie = set.split(';')[0];
      assert.equal((await request(srv.port, '/', { headers: { cookie, accept: 'text/html' } })).status, 200);
      assert.equal(await socketConnects(srv.base, cookie), true);
      assert.equal(await socketConnects(srv.base, cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))), false, 'a forged cookie');

      // a live session's short code, typed beside the class code, leads to the session
      assert.match(form.body, /<label for="live">Live session code/);
      const withLive = (live: string) => request(srv.port, '/join', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ code: 'blue42', next: '/gallery', live }).toString() });
      assert.equal((await withLive(' k7tq2m ')).headers.location, '/f/K7TQ2M');
      assert.equal((await withLive('../../x')).headers.location, '/gallery', 'not a code: the page it came from');
    } finally {
      await srv.close();
    }
  });

  it('class mode: wrong codes are rate-limited per address, with a clear wait', async () => {
    const srv = await edgeServer({ code: 'blue42', presenterCode: null, identities: new Identities(undefined) });
    try {
      const post = (code: string) => request(srv.port, '/join', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `code=${code}` });
      for (let i = 0; i < 5; i++) assert.equal((await post('nope')).status, 401);
      const limited = await post('blue42');
      assert.equal(limited.status, 429, 'even the right code waits');
      assert.match(limited.body, /Too many wrong codes from your address: wait \d+ s/);
    } finally {
      await srv.close();
    }
  });
});

it(`/join and the edge: ${Number(process.env.FUZZ_CASES ?? 300)} random requests (seed 7)`, async () => {
  const srv = await edgeServer({ code: 'blue42', presenterCode: 'heron7', identities: new Identities(undefined) });
  const r = prng(7);
  const valid = new Identities(undefined).issue(true);
  try {
    for (let i = 0; i < Number(process.env.FUZZ_CASES ?? 300); i++) {
      const body = pick(r, [
        () => `code=${encodeURIComponent(String(randomValue(r)))}`,
        () => `code=blue42&next=${encodeURIComponent(String(randomValue(r)))}`,
        () => 'code=%ZZ&code=blue42&next',
        () => 'x'.repeat(5000),
        () => JSON.stringify(randomValue(r)),
        () => '',
      ])();
      const headers: Record<string, string> = {};
      if (r() < 0.8) headers['content-type'] = pick(r, ['application/x-www-form-urlencoded', 'text/plain', 'application/x-www-form-urlencoded; charset=utf-8', '']);
      if (r() < 0.3) headers.cookie = pick(r, [`${COOKIE}=${valid}`, `${COOKIE}=`, `${COOKIE}=a.p.1.${'x'.repeat(43)}`, String(randomValue(r)).replace(/[^\x20-\x7e]/g, '')]);
      if (r() < 0.1) headers.host = pick(r, ['attacker.example', '', `localhost:${srv.port}`]);
      const path = pick(r, ['/join', '/join?next=//evil.example', `/join?next=${'%'.repeat(int(r, 5))}`, '/', '/socket.io/?EIO=4&transport=polling', '//evil.example/', '/%', '/join/../']);
      const method = pick(r, ['GET', 'POST', 'HEAD', 'PUT']);
      const res = await request(srv.port, path, { method, headers, body: headers['content-type'] === undefined && r() < 0.5 ? undefined : body });
      const where = `case ${i}: ${method} ${path} ${JSON.stringify(headers)} ${body.slice(0, 80)} → ${res.status}`;
      assert.ok([200, 303, 400, 401, 421, 429].includes(res.status), where);
      const set = res.headers['set-cookie'];
      // a cookie only for the right code, and never a way off this site
      if (set) assert.match(String(res.headers.location), /^\/(?![/\\])/, where);
      if (res.status !== 421) assert.ok(res.headers['content-security-policy'], where);
    }
    assert.equal((await request(srv.port, '/join')).status, 200, 'still answering');
  } finally {
    await srv.close();
  }
});
