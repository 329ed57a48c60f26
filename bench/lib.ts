// Helpers for `npm run bench`: build scenarios, run them in-process through the Run API and
// measure what the events say, sample the hosts' RSS, compile and run the C comparisons.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Frame, RunEvent } from '../lib/events';
import { Run } from '../server/run/run';

export type End = Extract<RunEvent, { type: 'end' }>;

const here = path.dirname(fileURLToPath(import.meta.url));

// ---- scenarios -------------------------------------------------------------------------------

export type Chan = [id: string, from: string, to: string, mechanism: string];

export function scenario(procs: Record<string, string>, channels: Chan[] = []) {
  return {
    version: 1,
    title: 'bench',
    processes: Object.entries(procs).map(([id, program]) => ({ id, name: id, program })),
    channels: channels.map(([id, from, to, mechanism]) => ({ id, from, to, mechanism })),
  };
}

// ---- engine runs -----------------------------------------------------------------------------

export interface EngineResult {
  end: End;
  events: RunEvent[];
  /** Frames as the sink got them, with their arrival time in ms since Run.start was called. */
  frames: { at: number; json: number; events: number }[];
  /** Sum of JSON.stringify(frame).length: what socket.io would carry. */
  frameChars: number;
  /** proc id -> t of its first `line` event. */
  firstLine: Record<string, number>;
  /** t of the last process exit (exit events, else end.processes[].ms). */
  lastExit: number;
  /** Max VmRSS of any host, sampled every 100 ms, in kB (KiB, as /proc says). */
  rssMaxKb: number;
  rssSamples: number;
}

function vmRssKb(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null; // gone
  }
}

/**
 * One run through the real engine, in this process (as the server does). Throws with a
 * short message when the scenario is invalid, the run does not finish, a process fails or
 * the run leaves something behind.
 */
export async function runEngine(sc: unknown, { timeoutMs = 30_000 }: { timeoutMs?: number } = {}): Promise<EngineResult> {
  const events: RunEvent[] = [];
  const frames: EngineResult['frames'] = [];
  let frameChars = 0;
  let rssMaxKb = 0;
  let rssSamples = 0;
  let pids: number[] = [];
  const t0 = performance.now();
  const sink = (f: Frame) => {
    const json = JSON.stringify(f).length;
    frameChars += json;
    frames.push({ at: performance.now() - t0, json, events: f.events.length });
    for (const e of f.events) {
      events.push(e);
      if (e.type === 'run') pids = e.processes.map((p) => p.pid).filter((p) => p > 0);
    }
  };
  const sampler = setInterval(() => {
    for (const pid of pids) {
      const kb = vmRssKb(pid);
      if (kb !== null) {
        rssSamples++;
        if (kb > rssMaxKb) rssMaxKb = kb;
      }
    }
  }, 100);
  try {
    const started = await Run.start(sc, { trace: false, sps: 0, timeoutMs }, sink);
    if (!started.ok) throw new Error(`invalid scenario: ${started.errors.map((e) => `${e.place}: ${e.message}`).join('; ')}`);
    const { run } = started;
    let guard: NodeJS.Timeout | undefined;
    const end = await Promise.race([
      run.done,
      new Promise<never>((_, rej) => {
        guard = setTimeout(() => rej(new Error(`no end event ${timeoutMs + 10_000} ms after the start`)), timeoutMs + 10_000);
      }),
    ]).finally(() => clearTimeout(guard));
    if (end.reason !== 'finished') {
      const notes = events.filter((e) => e.type === 'notice').map((e) => (e as { message: string }).message);
      throw new Error(`run ended: ${end.reason}${notes.length ? ` (${notes.join('; ')})` : ''}`);
    }
    const bad = end.processes.filter((p) => p.code !== 0);
    if (bad.length) {
      const err = events.filter((e) => e.type === 'stderr').map((e) => (e as { text: string }).text.trim()).join(' | ');
      throw new Error(`${bad.map((p) => `${p.id} ${p.outcome}`).join(', ')}${err ? `: ${err}` : ''}`);
    }
    if (end.leftovers.length) throw new Error(`left behind: ${end.leftovers.join(', ')}`);
    const firstLine: Record<string, number> = {};
    let lastExit = 0;
    for (const e of events) {
      if (e.type === 'line' && firstLine[e.proc] === undefined) firstLine[e.proc] = e.t;
      if (e.type === 'exit' && e.t > lastExit) lastExit = e.t;
    }
    if (lastExit === 0) for (const p of end.processes) lastExit = Math.max(lastExit, p.ms);
    return { end, events, frames, frameChars, firstLine, lastExit, rssMaxKb, rssSamples };
  } finally {
    clearInterval(sampler);
  }
}

/** t of the first statement of proc, or an error naming it. */
export function firstLineOf(r: EngineResult, proc: string): number {
  const t = r.firstLine[proc];
  if (t === undefined) throw new Error(`no line event from ${proc}`);
  return t;
}

// ---- C comparisons -------------------------------------------------------------------------

export interface CBuild {
  dir: string;
  bins: Record<string, string>;
}

/** Compiles bench/c/*.c with `cc -O2` into a temp dir; a string says why there is no C column. */
export function buildC(): CBuild | string {
  const cc = process.env.CC || 'cc';
  try {
    execFileSync(cc, ['--version'], { stdio: 'ignore' });
  } catch {
    return `${cc} not found: no C column`;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipcpg-bench-'));
  const bins: Record<string, string> = {};
  try {
    for (const f of fs.readdirSync(path.join(here, 'c'))) {
      if (!f.endsWith('.c')) continue;
      const out = path.join(dir, f.slice(0, -2));
      execFileSync(cc, ['-O2', '-Wall', '-o', out, path.join(here, 'c', f)], { stdio: ['ignore', 'ignore', 'pipe'] });
      bins[f.slice(0, -2)] = out;
    }
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    const err = (e as { stderr?: Buffer }).stderr?.toString().trim().split('\n')[0] ?? (e as Error).message;
    return `${cc} failed (${err}): no C column`;
  }
  return { dir, bins };
}

/** Runs a C program; its stdout, split in lines of numbers. */
export function runC(bin: string, args: (string | number)[], timeoutMs = 60_000): number[][] {
  const out = execFileSync(bin, args.map(String), { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  return out.trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
}

// ---- statistics and timing ------------------------------------------------------------------

/** Nearest-rank percentile (p in 0..100) of the values. */
export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const k = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[k];
}

export const median = (v: number[]) => percentile(v, 50);

/**
 * Runs `once(n)` (which returns [work done, ms taken]) once to calibrate (not counted: it also
 * warms up), then `reps` times, resizing n after each run so that a run lasts about targetMs;
 * resolves to the rates (work per second) of the counted runs.
 */
export async function adaptive(
  n0: number,
  reps: number,
  targetMs: number,
  once: (n: number) => Promise<[number, number]> | [number, number],
  { min = 1, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number } = {},
): Promise<{ rates: number[]; ns: number[]; ms: number[] }> {
  const rates: number[] = [];
  const ns: number[] = [];
  const mss: number[] = [];
  let n = n0;
  for (let i = 0; i <= reps; i++) {
    const [work, ms] = await once(n);
    if (!(ms > 0)) throw new Error(`bad duration ${ms} ms`);
    if (i > 0) {
      rates.push((work / ms) * 1000);
      ns.push(n);
      mss.push(ms);
    }
    const scale = Math.min(8, Math.max(0.125, targetMs / ms));
    n = Math.round(Math.min(max, Math.max(min, n * scale)));
  }
  return { rates, ns, ms: mss };
}
