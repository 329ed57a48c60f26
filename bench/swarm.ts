// A crowd of followers in their own process (they must not share the server's CPU time with
// it in one event loop): node --import tsx bench/swarm.ts URL CODE N [COOKIE,COOKIE...]
// (cookies, taken in turn: which server a load balancer sends each follower to)
// Connects N socket.io clients (websocket, permessage-deflate offered as browsers do), each a
// student of its own, joins the live room CODE, and notes when each follower first sees each
// marker line of output ("tick 12", "mark 12"). Prints "ready" once all have joined; on
// "stop" on stdin prints one JSON line: { seen: {marker: [ms...]}, bytes: [per follower],
// seconds, resets } and exits. Times are performance.timeOrigin + now(), the clock of the
// machine, as the bench's own.

import { io as connect, type Socket } from 'socket.io-client';
import type { Frame } from '../lib/events';
import type { ClientToServer, FollowJoinReply, ServerToClient } from '../lib/protocol';

const [url, code, count, cookieList] = process.argv.slice(2);
const cookies = cookieList ? cookieList.split(',') : [];
const n = Number(count);
const now = () => performance.timeOrigin + performance.now();
const seen = new Map<string, number[]>();
let resets = 0;

type Client = Socket<ServerToClient, ClientToServer>;

/** Bytes the follower's TCP connection read (compressed, as on the wire). */
function bytesRead(c: Client): number {
  const ws = (c.io.engine as unknown as { transport: { ws?: { _socket?: { bytesRead: number } } } }).transport.ws;
  return ws?._socket?.bytesRead ?? 0;
}

function watch(c: Client): void {
  const marked = new Set<string>();
  const look = (f: Frame | null) => {
    const t = now();
    for (const e of f?.events ?? []) {
      if (e.type !== 'stdout') continue;
      for (const m of e.text.matchAll(/(?:tick|mark) \d+/g)) {
        if (marked.has(m[0])) continue;
        marked.add(m[0]);
        let list = seen.get(m[0]);
        if (!list) seen.set(m[0], (list = []));
        list.push(t);
      }
    }
  };
  c.on('run:frame', look);
  c.on('follow:reset', (f) => {
    resets++;
    look(f);
  });
}

const clients: Client[] = [];
for (let i = 0; i < n; i++) {
  const cookie: Record<string, string> = cookies.length ? { cookie: cookies[i % cookies.length] } : {};
  const c: Client = connect(url, { transports: ['websocket'], extraHeaders: { origin: url, 'x-student': String(1000 + i), ...cookie }, reconnection: false });
  clients.push(c);
  watch(c);
}
await Promise.all(clients.map((c) => new Promise<void>((res, rej) => (c.connected ? res() : (c.once('connect', () => res()), c.once('connect_error', rej))))));
for (const c of clients) {
  const r: FollowJoinReply = await c.timeout(30_000).emitWithAck('follow:join', { token: code });
  if (!r.ok) throw new Error(`a follower could not join: ${r.message}`);
}
const bytes0 = clients.map(bytesRead);
const t0 = now();
process.stdout.write('ready\n');
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d: string) => {
  if (!d.includes('stop')) return;
  const seconds = (now() - t0) / 1000;
  const bytes = clients.map((c, i) => bytesRead(c) - bytes0[i]);
  for (const c of clients) c.disconnect();
  // a pipe takes a long line in pieces: exit once it is all written
  process.stdout.write(JSON.stringify({ seen: Object.fromEntries(seen), bytes, seconds, resets }) + '\n', () => process.exit(0));
});
