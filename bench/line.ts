// A class pressing Run at once: N tabs (each its own student: identity and address, as class
// mode counts them) start short scenarios together on one server (socket.io and the session
// layer in this process, real runs). Every start must run (the line, not refusals); measured:
// time from pressing Run to the run started (the answer), and runs finished per second.

import type { IncomingMessage } from 'node:http';
import { io as connect } from 'socket.io-client';
import type { Frame } from '../lib/events';
import type { StartReply } from '../lib/protocol';
import { DEFAULT_LIMITS } from '../lib/scenario';
import { listenLoopback, type Tab } from '../test/harness/loopback';
import { percentile, scenario } from './lib';

/** The exercises of the class: short, two processes talking (a few variants, as students change things). */
const EXERCISES = [
  scenario({ a: 'send c "ping"', b: 'recv c as m\nprint "got {m}"' }, [['c', 'a', 'b', 'pipe']]),
  scenario({ a: 'repeat 3 {\n  send q "m{i}"\n}', b: 'repeat 3 {\n  recv q as m\n  print "{m}"\n}' }, [['q', 'a', 'b', 'mq-posix']]),
  scenario({ a: 'post s', b: 'wait s\nprint "after"' }, [['s', 'a', 'b', 'sem-named']]),
];

export interface LineFigures {
  tabs: number;
  started: number;
  refused: string[];
  startMs: { p50: number; p95: number; max: number };
  /** Runs ended per second over the whole burst (first Run to last end). */
  runsPerSecond: number;
  /** The first estimate each waiter was told against the wait it had (ms; positive: it waited longer). */
  etaErrorMs: { p50: number; p95: number } | null;
  waited: number;
}

const ended = (f: Frame) => f.events.some((e) => e.type === 'end');

export async function benchLine(tabs: number): Promise<LineFigures> {
  const server = await listenLoopback({
    limits: DEFAULT_LIMITS,
    awayMs: 60_000,
    // every tab its own student, on its own machine
    who: (req: IncomingMessage) => {
      const n = String(req.headers['x-student']);
      return { identity: `student-${n}`, ip: `10.0.${Math.floor(Number(n) / 250)}.${Number(n) % 250}`, presenter: false };
    },
  });
  const open = (n: number): Tab => connect(server.url, { transports: ['websocket'], extraHeaders: { origin: server.url, 'x-student': String(n) }, reconnection: false });
  const start = (t: Tab, i: number) => t.timeout(120_000).emitWithAck('run:start', { scenario: EXERCISES[i % EXERCISES.length], options: {} }) as Promise<StartReply>;
  const all: Tab[] = [];
  try {
    // the teacher ran each exercise once before class: compiled, cached, and the line has run lengths to go by
    const warm = open(100_000);
    all.push(warm);
    for (const [i] of EXERCISES.entries()) {
      const done = new Promise<void>((res) => warm.on('run:frame', (f) => ended(f) && res()));
      const r = await start(warm, i);
      if (!r.ok) throw new Error(`warm-up run refused: ${JSON.stringify(r.errors)}`);
      await done;
      warm.off('run:frame');
    }
    const class_ = Array.from({ length: tabs }, (_, i) => open(i));
    all.push(...class_);
    await Promise.all(class_.map((t) => new Promise<void>((res, rej) => (t.connected ? res() : (t.once('connect', () => res()), t.once('connect_error', rej))))));

    const eta = new Map<Tab, { toldAt: number; etaMs: number }>();
    const ends: Promise<number>[] = [];
    for (const t of class_) {
      t.on('run:queue', (info) => {
        if (!eta.has(t) && typeof info.etaMs === 'number') eta.set(t, { toldAt: performance.now(), etaMs: info.etaMs });
      });
      ends.push(new Promise((res) => t.on('run:frame', (f) => ended(f) && res(performance.now()))));
    }
    const t0 = performance.now();
    const replies = await Promise.all(
      class_.map(async (t, i) => {
        const r = await start(t, i);
        return { r, at: performance.now(), t };
      }),
    );
    const refused = replies.filter((x) => !x.r.ok).map((x) => (x.r.ok ? '' : x.r.errors[0]?.message ?? '?'));
    const startedOk = replies.filter((x) => x.r.ok);
    // the end of every run that started (a run ends by its wall limit at the latest)
    const lastEnd = Math.max(t0, ...(await Promise.all(replies.map((x, i) => (x.r.ok ? ends[i] : t0)))));
    const startMs = replies.map((x) => x.at - t0);
    const errors = [...eta.entries()].map(([t, e]) => replies.find((x) => x.t === t)!.at - e.toldAt - e.etaMs);
    return {
      tabs,
      started: startedOk.length,
      refused,
      startMs: { p50: percentile(startMs, 50), p95: percentile(startMs, 95), max: Math.max(...startMs) },
      runsPerSecond: startedOk.length / ((lastEnd - t0) / 1000),
      etaErrorMs: errors.length ? { p50: percentile(errors, 50), p95: percentile(errors, 95) } : null,
      waited: eta.size,
    };
  } finally {
    for (const t of all) t.disconnect();
    await server.close();
  }
}
