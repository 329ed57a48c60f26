// A class following one presenter: the server (socket.io and the session layer, in this
// process) runs the presenter's scenario live while bench/swarm.ts, in a process of its own,
// holds the followers. Measured: the lag of what followers see behind the presenter's own
// frames (each marker line of output: when the presenter's tab got it, when each follower
// did), and the bytes each follower's connection read (compressed, as on the wire).

import { spawn } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { io as connect } from 'socket.io-client';
import type { FollowCreateReply } from '../lib/protocol';
import { DEFAULT_LIMITS } from '../lib/scenario';
import { listenLoopback, type Tab } from '../test/harness/loopback';
import { percentile, scenario } from './lib';

/** Servers already running (behind a load balancer): the presenter and each follower sent to one by its cookie. */
export interface FollowTarget {
  url: string;
  presenterCookie: string;
  followerCookies: string[];
}

export interface FollowCase {
  followers: number;
  /** Statements per second per process (0: full speed). */
  sps: number;
  trace: boolean;
  seconds: number;
  scenario: ReturnType<typeof scenario>;
}

export interface FollowFigures {
  lagMs: { p50: number; p95: number; max: number };
  /** Markers the presenter saw, and the share of (marker, follower) pairs that never arrived. */
  markers: number;
  missing: number;
  kbPerSecond: { mean: number; max: number };
  /** Followers that fell behind and skipped ahead (a snapshot instead of the frames missed). */
  resets: number;
}

const MARK = /(?:tick|mark) \d+/g;

/** Slow motion, as a teacher shows a class: a producer and a consumer over a pipe, 10 statements a second. */
export const SLOW = scenario({ p: 'repeat 10000 {\n  print "tick {i}"\n  send c "tick {i}"\n}', q: 'repeat 10000 {\n  recv c as m\n}' }, [['c', 'p', 'q', 'pipe']]);
/** Full speed with the trace on: a flood over a pipe, a marker line every 200 sends. */
export const FLOOD = scenario({ w: 'repeat 100000 {\n  print "mark {i}"\n  repeat 200 {\n    send c "0123456789"\n  }\n}', r: 'while recv c 65536 { }' }, [['c', 'w', 'r', 'pipe']]);

export async function benchFollowers(c: FollowCase, target?: FollowTarget): Promise<FollowFigures> {
  const server = target ? null : await listenLoopback({
    limits: DEFAULT_LIMITS,
    awayMs: 60_000,
    // each follower a student of its own (identity and address), the presenter the teacher
    who: (req: IncomingMessage) => {
      const n = String(req.headers['x-student']);
      return { identity: `student-${n}`, ip: n === 'teacher' ? '10.1.0.1' : `10.0.${Math.floor(Number(n) / 250)}.${Number(n) % 250}`, presenter: n === 'teacher' };
    },
  });
  const url = target?.url ?? server!.url;
  const presenter: Tab = connect(url, {
    transports: ['websocket'],
    extraHeaders: { origin: url, 'x-student': 'teacher', ...(target ? { cookie: target.presenterCookie } : {}) },
    reconnection: false,
  });
  let swarm: ReturnType<typeof spawn> | null = null;
  try {
    await new Promise<void>((res, rej) => (presenter.once('connect', () => res()), presenter.once('connect_error', rej)));
    const view = { selection: { nodes: [], edges: [] }, dockTab: c.trace ? 'trace' : 'objects', sps: c.sps, trace: c.trace };
    const room: FollowCreateReply = await presenter.timeout(10_000).emitWithAck('follow:create', { scenario: c.scenario, view });
    if (!room.ok) throw new Error(`could not share live: ${room.message}`);

    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'swarm.ts'), url, room.code, String(c.followers), ...(target ? [target.followerCookies.join(',')] : [])], { stdio: ['pipe', 'pipe', 'inherit'] });
    swarm = child;
    const lines = createInterface({ input: child.stdout! });
    const exited = new Promise<never>((_, rej) => child.once('exit', (code) => rej(new Error(`the followers' process exited (${code})`))));
    const next = () => Promise.race([new Promise<string>((res) => lines.once('line', res)), exited]);
    if ((await next()) !== 'ready') throw new Error('the followers did not join');

    // when the presenter's own tab sees each marker
    const shown = new Map<string, number>();
    presenter.on('run:frame', (f) => {
      const t = performance.timeOrigin + performance.now();
      for (const e of f.events) if (e.type === 'stdout') for (const m of e.text.matchAll(MARK)) if (!shown.has(m[0])) shown.set(m[0], t);
    });
    const started = await presenter.timeout(30_000).emitWithAck('run:start', { scenario: c.scenario, options: { sps: c.sps, trace: c.trace } });
    if (!started.ok) throw new Error(`the run did not start: ${JSON.stringify(started.errors)}`);
    await new Promise((r) => setTimeout(r, c.seconds * 1000));
    child.stdin!.write('stop\n');
    const report = JSON.parse(await next()) as { seen: Record<string, number[]>; bytes: number[]; seconds: number; resets: number };
    await presenter.timeout(10_000).emitWithAck('run:control', { runId: started.runId, action: 'stop' });

    // markers the presenter saw long enough before the end for a follower to have seen them too
    const until = performance.timeOrigin + performance.now() - 2000;
    const lags: number[] = [];
    let pairs = 0;
    for (const [m, at] of shown) {
      if (at > until) continue;
      const seen = report.seen[m] ?? [];
      pairs += c.followers;
      for (const t of seen) lags.push(Math.max(0, t - at));
    }
    if (!lags.length) throw new Error('no follower saw any marker');
    const kbs = report.bytes.map((b) => b / report.seconds / 1000);
    return {
      lagMs: { p50: percentile(lags, 50), p95: percentile(lags, 95), max: lags.reduce((a, b) => Math.max(a, b), 0) },
      markers: shown.size,
      missing: pairs ? 1 - lags.length / pairs : 0,
      kbPerSecond: { mean: kbs.reduce((a, b) => a + b, 0) / kbs.length, max: Math.max(...kbs) },
      resets: report.resets,
    };
  } finally {
    presenter.disconnect();
    swarm?.kill();
    await server?.close();
  }
}
