// npm run bench [-- --json] [-- --only start,stream,pingpong,flood,line,followers,cluster] [-- --quick] [-- --out FILE]
// (npm prints its own "> ipc-playground bench" banner on stdout: for a clean JSON stdout use
// `npm run -s bench -- --json` or `node --import tsx bench/run.ts --json`; --out FILE also
// writes the JSON array to FILE.)
//
// Runs scenarios through the real engine, in this process (the Run API, as the server does:
// each scenario compiled to C and run as real processes), full speed, trace off, and beside
// each figure the same work in a small C program compiled on the spot with `cc -O2`.
// Prints a table; with --json, ONE JSON array of rows on stdout and nothing else (progress
// goes to stderr). A failed or timed-out measurement is an error row, never a crash.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { generateC } from '../lib/cgen/index';
import { validateScenario } from '../lib/validate';
import { runtimeObjects } from '../server/run/compile';
import { STICKY_COOKIE, startCluster } from '../scripts/cluster';
import { FLOOD, SLOW, benchFollowers } from './followers';
import { benchLine } from './line';
import { adaptive, buildC, firstLineOf, median, percentile, runC, runEngine, scenario, type CBuild, type Chan, type EngineResult } from './lib';

interface Row {
  metric: string;
  value: number | null;
  unit: string;
  /** The same work in C, measured in this run (null: no C column or not applicable). */
  c: number | null;
  /** value ÷ c. */
  ratio: number | null;
  /** Human-readable target, or null for an informative row. */
  target: string | null;
  /** The target for machines: `of` (value or ratio) `op` value. */
  goal?: { of: 'value' | 'ratio'; op: '<=' | '>='; value: number };
  met: boolean | null;
  /** Runs behind the figure. */
  runs?: number;
  /** Every run's figure (engine), for the curious. */
  samples?: number[];
  cSamples?: number[];
  error?: string;
  note?: string;
}

const { values: opt } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    only: { type: 'string' }, // start,stream,pingpong,contention,gate,flood,line,followers,cluster
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const only = opt.only ? new Set(opt.only.split(',')) : null;
const want = (s: string) => !only || only.has(s);
const quick = !!opt.quick;
const START_RUNS = quick ? 5 : 15;
const REPS = quick ? 1 : 5; // engine runs per figure (after one calibration run)
const C_REPS = quick ? 1 : 3;
const ENGINE_MS = quick ? 600 : 1500;
const C_MS = quick ? 200 : 500;
const FLOOD_SENDS = 1_000_000;

const log = (s: string) => process.stderr.write(s + '\n');
const rows: Row[] = [];
const benchT0 = performance.now();
const loadBefore = os.loadavg();

/** min–max of the runs, as the table formats numbers. */
function range(v: number[]): string {
  return v.length ? `${fmt(Math.min(...v))}–${fmt(Math.max(...v))}` : '—';
}

function errMsg(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0].slice(0, 300);
}

function errorRow(metric: string, unit: string, target: string | null, e: unknown): Row {
  return { metric, value: null, unit, c: null, ratio: null, target, met: false, error: errMsg(e) };
}

const LINE_TABS = 60;

// ---- C build -----------------------------------------------------------------------------

const cbuild: CBuild | string = buildC();
const cNote = typeof cbuild === 'string' ? cbuild : null;
if (cNote) log(`! ${cNote}`);
const cbin = (name: string) => (typeof cbuild === 'string' ? null : cbuild.bins[name] ?? null);

// ---- 1. start latency ----------------------------------------------------------------------

function startScenario(n: number) {
  const procs: Record<string, string> = {};
  const chans: Chan[] = [];
  for (let i = 1; i <= n; i++) {
    const lines: string[] = [];
    if (i > 1) lines.push(`recv c${i - 1}`);
    if (i < n) lines.push(`send c${i} "x"`);
    procs[`p${i}`] = lines.join('\n');
    if (i < n) chans.push([`c${i}`, `p${i}`, `p${i + 1}`, 'pipe']);
  }
  return scenario(procs, chans);
}

/** Run request → every process at its first statement: the latest first `line` t. */
function startMs(r: EngineResult, n: number): number {
  let last = 0;
  for (let i = 1; i <= n; i++) last = Math.max(last, firstLineOf(r, `p${i}`));
  return last;
}

async function benchStart(): Promise<void> {
  // A scenario never run before (a comment makes it new): compiled to C before it starts.
  // The runtime's own object is built first, once per version of the runtime (shown apart).
  try {
    const t = performance.now();
    await runtimeObjects();
    log(`runtime objects ready in ${(performance.now() - t).toFixed(0)} ms`);
    const first = startScenario(2);
    first.processes[0].program += `\n# new ${Date.now()} ${Math.random()}`;
    const r = await runEngine(first);
    const v = startMs(r, 2);
    rows.push({ metric: 'start latency, 2 processes, first run of a new scenario (compile included)', value: v, unit: 'ms', c: null, ratio: null, target: '≤ 500', goal: { of: 'value', op: '<=', value: 500 }, met: v <= 500, runs: 1 });
  } catch (e) {
    rows.push(errorRow('start latency, first run of a new scenario', 'ms', '≤ 500', e));
  }
  for (const [n, target] of [[2, 30], [8, 80]] as const) {
    log(`start latency, ${n} processes: ${START_RUNS} runs`);
    const samples: number[] = [];
    let error: unknown = null;
    for (let i = 0; i < START_RUNS; i++) {
      try {
        samples.push(startMs(await runEngine(startScenario(n), { timeoutMs: 15_000 }), n));
      } catch (e) {
        error = e;
        break;
      }
    }
    let cs: number[] = [];
    const bin = cbin('start');
    if (bin) {
      try {
        cs = runC(bin, [n, START_RUNS]).map((l) => l[0]);
      } catch (e) {
        log(`! C start ${n}: ${errMsg(e)}`);
      }
    }
    for (const p of [50, 90]) {
      const metric = `start latency, ${n} processes, p${p}`;
      if (error || samples.length === 0) {
        rows.push(errorRow(metric, 'ms', p === 50 ? `≤ ${target}` : null, error ?? 'no runs'));
        continue;
      }
      const v = percentile(samples, p);
      const c = cs.length ? percentile(cs, p) : null;
      rows.push({
        metric, value: v, unit: 'ms', c, ratio: c ? v / c : null,
        target: p === 50 ? `≤ ${target}` : null, met: p === 50 ? v <= target : null,
        goal: p === 50 ? { of: 'value', op: '<=', value: target } : undefined,
        runs: samples.length, samples: p === 50 ? samples : undefined, cSamples: p === 50 && cs.length ? cs : undefined,
      });
    }
  }
}

// ---- 2. one-way stream throughput ------------------------------------------------------------

const KIB64 = 65536;

function streamScenario(mech: string, size: number, n: number) {
  const writer =
    size === KIB64
      ? `set s = "x"\nrepeat 16 { set s = s + s }\nrepeat ${n} { send c1 s }`
      : `repeat ${n} { send c1 "${'x'.repeat(size)}" }`;
  return scenario({ writer, reader: 'while recv c1 65536 { }' }, [['c1', 'writer', 'reader', mech]]);
}

async function benchStream(): Promise<void> {
  for (const [mech, cmode] of [['pipe', 'pipe'], ['unix-stream', 'unix']] as const) {
    for (const size of [100, KIB64]) {
      const label = size === KIB64 ? '64 KiB' : `${size} B`;
      const metric = `stream throughput, ${mech}, ${label} messages`;
      const minRatio = 0.95;
      const target = `≥ ${minRatio}× C`;
      log(`${metric}: ${REPS} engine runs of ~${ENGINE_MS} ms (after a calibration run)`);
      try {
        const eng = await adaptive(size === KIB64 ? 4000 : 100_000, REPS, ENGINE_MS, async (n) => {
          const r = await runEngine(streamScenario(mech, size, n));
          const sent = r.end.channels[0]?.bytes ?? 0;
          if (sent !== n * size) throw new Error(`sent ${sent} bytes, expected ${n * size}`);
          // from the writer's first statement to the last process exit
          return [n * size, r.lastExit - firstLineOf(r, 'writer')];
        });
        const v = median(eng.rates) / 1e6;
        let c: number | null = null;
        let cSamples: number[] | undefined;
        const bin = cbin('stream');
        if (bin) {
          try {
            const cr = await adaptive(size === KIB64 ? 20_000 : 1_000_000, C_REPS, C_MS, (n) => {
              const [[bytes, ms]] = runC(bin, [cmode, size, n]);
              return [bytes, ms];
            });
            c = median(cr.rates) / 1e6;
            cSamples = cr.rates.map((x) => x / 1e6);
          } catch (e) {
            log(`! C ${metric}: ${errMsg(e)}`);
          }
        }
        const ratio = c ? v / c : null;
        rows.push({
          metric, value: v, unit: 'MB/s', c, ratio, target, met: ratio === null ? null : ratio >= minRatio,
          goal: { of: 'ratio', op: '>=', value: minRatio },
          runs: eng.rates.length, samples: eng.rates.map((x) => x / 1e6), cSamples,
          note: `engine runs ${range(eng.rates.map((x) => x / 1e6))} MB/s${cSamples ? `, C runs ${range(cSamples)} MB/s` : ''} (messages per engine run: ${eng.ns.join(', ')})`,
        });
      } catch (e) {
        rows.push(errorRow(metric, 'MB/s', target, e));
      }
    }
  }
}

// ---- 3. ping-pong ----------------------------------------------------------------------------

function pingPongScenario(mech: string, n: number) {
  if (mech === 'unix-stream') {
    // a stream socket carries both ways: one channel
    return scenario(
      { a: `repeat ${n} {\n  send c1 "ping"\n  recv c1\n}`, b: `repeat ${n} {\n  recv c1\n  send c1 "pong"\n}` },
      [['c1', 'a', 'b', mech]],
    );
  }
  return scenario(
    { a: `repeat ${n} {\n  send c1 "ping"\n  recv c2\n}`, b: `repeat ${n} {\n  recv c1\n  send c2 "pong"\n}` },
    [['c1', 'a', 'b', mech], ['c2', 'b', 'a', mech]],
  );
}

/** Two busy loops beside a measurement (CPU contention on this 2-CPU machine); stop() ends them. */
function busyLoops(n = 2): { stop(): void } {
  const kids: ChildProcess[] = [];
  for (let i = 0; i < n; i++) kids.push(spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' }));
  return { stop: () => kids.forEach((k) => k.kill('SIGKILL')) };
}

async function benchPingPong(contended = false): Promise<void> {
  const minRatio = contended ? 0.7 : 0.9;
  for (const [mech, cmode] of [['pipe', 'pipe'], ['unix-stream', 'unix'], ['mq-sysv', 'mq']] as const) {
    const metric = `ping-pong round trips, ${mech}${contended ? ', two busy loops beside it' : ''}`;
    const target = `≥ ${minRatio}× C`;
    const busy = contended ? busyLoops() : null;
    log(`${metric}: ${REPS} engine runs of ~${ENGINE_MS} ms (after a calibration run)`);
    try {
      const eng = await adaptive(20_000, REPS, ENGINE_MS, async (n) => {
        const r = await runEngine(pingPongScenario(mech, n));
        const recvs = r.end.channels.reduce((a, c) => a + c.recvs, 0);
        if (recvs !== 2 * n) throw new Error(`${recvs} receives, expected ${2 * n}`);
        const first = Math.min(firstLineOf(r, 'a'), firstLineOf(r, 'b'));
        return [n, r.lastExit - first];
      });
      const v = median(eng.rates);
      let c: number | null = null;
      let cSamples: number[] | undefined;
      const bin = cbin('pingpong');
      if (bin) {
        try {
          const cr = await adaptive(50_000, C_REPS, C_MS, (n) => {
            const [[count, ms]] = runC(bin, [cmode, n]);
            return [count, ms];
          });
          c = median(cr.rates);
          cSamples = cr.rates;
        } catch (e) {
          log(`! C ${metric}: ${errMsg(e)}`);
        }
      }
      const ratio = c ? v / c : null;
      rows.push({
        metric, value: v, unit: 'round trips/s', c, ratio, target, met: ratio === null ? null : ratio >= minRatio, goal: { of: 'ratio', op: '>=', value: minRatio },
        runs: eng.rates.length, samples: eng.rates, cSamples,
        note: `engine runs ${range(eng.rates)}/s${cSamples ? `, C runs ${range(cSamples)}/s` : ''} (round trips per engine run: ${eng.ns.join(', ')})`,
      });
      // Reference: C with both processes on one CPU, where a blocking hand-off needs no
      // cross-CPU wake-up (on a VM that wake-up can cost tens of microseconds).
      if (bin && !contended) {
        try {
          const cr = await adaptive(50_000, C_REPS, C_MS, (n) => {
            const [[count, ms]] = runC(bin, [cmode, n, 'pin']);
            return [count, ms];
          });
          const cp = median(cr.rates);
          rows.push({
            metric: `ping-pong round trips, ${mech}: C with both processes on CPU 0 (reference)`, value: v, unit: 'round trips/s', c: cp, ratio: v / cp,
            target: null, met: null, runs: eng.rates.length, cSamples: cr.rates,
          });
        } catch (e) {
          log(`! C pinned ${metric}: ${errMsg(e)}`);
        }
      }
    } catch (e) {
      rows.push(errorRow(metric, 'round trips/s', target, e));
    } finally {
      busy?.stop();
    }
  }
}

// ---- 4. the gate -----------------------------------------------------------------------------

/**
 * What the gate before each statement costs at full speed: the same generated C, run by the
 * playground (AT_LINE is the gate) and built standalone (AT_LINE does nothing), over a loop of
 * cheap statements, each at two loop sizes: the slope (ms per extra statement) leaves out the
 * start and end of a process; the gate's cost is the difference of the slopes.
 */
async function benchGate(): Promise<void> {
  const metric = 'the gate before a statement, at full speed';
  const n = quick ? 50_000_000 : 200_000_000;
  const program = (k: number) => `set x = 1\nrepeat ${k} {\n  set x = x * 3 + 1\n}\nif x == 7 {\n  print "never"\n}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipcpg-gate-'));
  try {
    const playground = async (k: number) => {
      const ms: number[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await runEngine(scenario({ p: program(k) }), { timeoutMs: 60_000 });
        ms.push(r.lastExit - firstLineOf(r, 'p'));
      }
      return median(ms);
    };
    const standalone = (k: number) => {
      const v = validateScenario(scenario({ p: program(k) }));
      if (!v.ok) throw new Error('invalid');
      const gen = generateC(v.scenario, v.programs);
      fs.writeFileSync(path.join(dir, gen.fileName), gen.source);
      execFileSync(process.env.CC || 'cc', ['-O1', '-o', path.join(dir, 'prog'), path.join(dir, gen.fileName), '-lrt', '-pthread']);
      const ms: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        execFileSync(path.join(dir, 'prog'), { stdio: 'ignore' });
        ms.push(performance.now() - t);
      }
      return median(ms);
    };
    const [p1, p2] = [await playground(n), await playground(2 * n)];
    const [s1, s2] = [standalone(n), standalone(2 * n)];
    const nsPlayground = ((p2 - p1) * 1e6) / n;
    const nsStandalone = ((s2 - s1) * 1e6) / n;
    // (within noise the difference can come out below zero: the two builds lay the loop out differently)
    const ns = Math.max(0, nsPlayground - nsStandalone);
    rows.push({
      metric, value: ns, unit: 'ns/statement', c: nsStandalone, ratio: null, target: '≤ 5', goal: { of: 'value', op: '<=', value: 5 }, met: ns <= 5, runs: 3,
      note: `a statement with the gate ${nsPlayground.toFixed(2)} ns, without ${nsStandalone.toFixed(2)} ns (${n} and ${2 * n} statements: playground ${p1.toFixed(0)} / ${p2.toFixed(0)} ms, standalone ${s1.toFixed(0)} / ${s2.toFixed(0)} ms)`,
    });
  } catch (e) {
    rows.push(errorRow(metric, 'ns/statement', '≤ 5', e));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---- 5. flood --------------------------------------------------------------------------------

async function benchFlood(): Promise<void> {
  const n = quick ? FLOOD_SENDS / 4 : FLOOD_SENDS;
  log(`flood: ${n} sends of 10 bytes over a pipe`);
  const names = ['frames/s', 'frame bytes/s', 'run process RSS'] as const;
  try {
    const r = await runEngine(
      scenario({ writer: `repeat ${n} { send c1 "0123456789" }`, reader: 'while recv c1 65536 { }' }, [['c1', 'writer', 'reader', 'pipe']]),
      { timeoutMs: 60_000 },
    );
    const sent = r.end.channels[0]?.sends ?? 0;
    if (sent !== n) throw new Error(`${sent} sends, expected ${n}`);
    const secs = r.end.ms / 1000;
    // the busiest second, by frame arrival
    let peak = 0;
    for (let i = 0, j = 0; i < r.frames.length; i++) {
      while (r.frames[i].at - r.frames[j].at > 1000) j++;
      peak = Math.max(peak, i - j + 1);
    }
    const sps = n / ((r.lastExit - firstLineOf(r, 'writer')) / 1000);
    const note = `${n} sends in ${secs.toFixed(2)} s (${Math.round(sps)} sends/s); ${r.frames.length} frames, ${r.frameChars} JSON chars`;
    const le = (value: number) => ({ of: 'value' as const, op: '<=' as const, value });
    rows.push({ metric: `flood ${n / 1e6}M sends: event frames to the client`, value: r.frames.length / secs, unit: 'frames/s', c: null, ratio: null, target: '≤ 30', goal: le(30), met: r.frames.length / secs <= 30, runs: 1, note });
    rows.push({ metric: 'flood: frames in the busiest 1 s window', value: peak, unit: 'frames', c: null, ratio: null, target: '≤ 30', goal: le(30), met: peak <= 30, runs: 1 });
    const kbs = r.frameChars / secs / 1000;
    rows.push({ metric: 'flood: frame JSON bytes to the client', value: kbs, unit: 'kB/s', c: null, ratio: null, target: '≤ 256', goal: le(256), met: kbs <= 256, runs: 1 });
    const mib = r.rssMaxKb / 1024;
    rows.push({ metric: 'flood: max RSS of a run process (VmRSS, every 100 ms)', value: mib, unit: 'MiB', c: null, ratio: null, target: '≤ 4', goal: le(4), met: r.rssSamples > 0 && mib <= 4, runs: 1, note: `${r.rssSamples} samples` });
  } catch (e) {
    for (const [i, m] of names.entries()) rows.push(errorRow(`flood: ${m}`, ['frames/s', 'kB/s', 'MiB'][i], ['≤ 30', '≤ 256', '≤ 4'][i], e));
  }
}

// ---- output ----------------------------------------------------------------------------------

function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toPrecision(2);
}

function machine(): Record<string, string> {
  const sh = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n')[0];
    } catch {
      return '?';
    }
  };
  return {
    nproc: String(os.availableParallelism?.() ?? os.cpus().length),
    kernel: os.release(),
    node: process.version,
    cc: cNote ?? sh(process.env.CC || 'cc', ['--version']),
    cpu: os.cpus()[0]?.model ?? '?',
    load: `${loadBefore.map((x) => x.toFixed(2)).join(' ')} before, ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} after`,
    date: new Date().toISOString(),
  };
}

function table(): string {
  const head = ['metric', 'value', 'unit', 'C', 'ratio', 'target', 'met'];
  const body = rows.map((r) => [
    r.metric,
    r.error ? 'ERROR' : fmt(r.value),
    r.unit,
    fmt(r.c),
    r.ratio === null ? '—' : `${r.ratio >= 10 ? Math.round(r.ratio) : r.ratio.toFixed(2)}×`,
    r.target ?? '—',
    r.met === null ? '—' : r.met ? 'yes' : 'NO',
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (i === 0 || i >= 5 ? c.padEnd(w[i]) : c.padStart(w[i]))).join(' | ') + ' |';
  const out = [line(head), '|' + w.map((n, i) => (i === 0 || i >= 5 ? ':' + '-'.repeat(n + 1) : '-'.repeat(n + 1) + ':')).join('|') + '|', ...body.map(line)];
  return out.join('\n');
}

// ---- a class pressing Run at once (bench/line.ts) -------------------------------------------

async function benchClassRun(): Promise<void> {
  const le = (value: number) => ({ of: 'value' as const, op: '<=' as const, value });
  const ge = (value: number) => ({ of: 'value' as const, op: '>=' as const, value });
  const what = `${LINE_TABS} tabs press Run at once`;
  try {
    log(`line: ${what}…`);
    const f = await benchLine(LINE_TABS);
    const cores = os.availableParallelism();
    const perCore = f.runsPerSecond / cores;
    const eta = f.etaErrorMs ? `the first estimate told to each of the ${f.waited} that waited was off by ${fmt(f.etaErrorMs.p50)} ms (median), ${fmt(f.etaErrorMs.p95)} ms (p95); positive: they waited longer` : 'no estimate told';
    rows.push({ metric: `${what}: runs started`, value: f.started, unit: 'runs', c: null, ratio: null, target: `= ${LINE_TABS}`, goal: ge(LINE_TABS), met: f.started === LINE_TABS, runs: LINE_TABS });
    rows.push({ metric: `${what}: refused`, value: f.refused.length, unit: 'runs', c: null, ratio: null, target: '= 0', goal: le(0), met: f.refused.length === 0, note: f.refused.length ? f.refused.slice(0, 3).join(' | ') : undefined });
    rows.push({ metric: `${what}: time to start, median`, value: f.startMs.p50, unit: 'ms', c: null, ratio: null, target: null, met: null });
    rows.push({ metric: `${what}: time to start, p95`, value: f.startMs.p95, unit: 'ms', c: null, ratio: null, target: null, met: null, note: `max ${fmt(f.startMs.max)} ms; ${eta}` });
    rows.push({ metric: 'short runs per second per core (60 at once, 8 slots)', value: perCore, unit: 'runs/s/core', c: null, ratio: null, target: '≥ 10', goal: ge(10), met: perCore >= 10, note: `${fmt(f.runsPerSecond)} runs/s on ${cores} cores` });
  } catch (e) {
    rows.push(errorRow(`${what}`, 'runs', `= ${LINE_TABS}`, e));
  }
}

// ---- a class following one presenter (bench/followers.ts) -------------------------------------

async function benchFollowing(): Promise<void> {
  const le = (value: number) => ({ of: 'value' as const, op: '<=' as const, value });
  const seconds = quick ? 6 : 15;
  const cases = [
    { name: '300 followers of a slow-motion run (10 statements/s)', c: { followers: 300, sps: 10, trace: false, seconds, scenario: SLOW }, lag: 250, kbs: null },
    { name: '200 followers of a full-speed run, trace on', c: { followers: 200, sps: 0, trace: true, seconds, scenario: FLOOD }, lag: 1000, kbs: 64 },
  ];
  for (const { name, c, lag, kbs } of cases) {
    try {
      log(`followers: ${name}…`);
      const f = await benchFollowers(c);
      const note = `lag median ${fmt(f.lagMs.p50)} ms, max ${fmt(f.lagMs.max)} ms over ${f.markers} marker lines; ${(f.missing * 100).toFixed(1)} % of (marker, follower) never shown (skipped ahead or cut); ${f.resets} skips ahead; ${fmt(c.seconds)} s`;
      rows.push({ metric: `${name}: lag behind the presenter, p95`, value: f.lagMs.p95, unit: 'ms', c: null, ratio: null, target: `≤ ${lag}`, goal: le(lag), met: f.lagMs.p95 <= lag, runs: 1, note });
      rows.push({
        metric: `${name}: bytes to each follower (compressed)`,
        value: f.kbPerSecond.mean,
        unit: 'kB/s',
        c: null,
        ratio: null,
        target: kbs === null ? null : `≤ ${kbs}`,
        ...(kbs === null ? {} : { goal: le(kbs) }),
        met: kbs === null ? null : f.kbPerSecond.max <= kbs,
        runs: 1,
        note: `the most to one follower: ${fmt(f.kbPerSecond.max)} kB/s`,
      });
    } catch (e) {
      rows.push(errorRow(`${name}: lag behind the presenter, p95`, 'ms', `≤ ${lag}`, e));
    }
  }
}

// ---- the same class over two servers behind nginx, through Redis (scripts/cluster.ts) ---------------
// Needs the production build, redis-server and nginx; ports from IPCPG_BENCH_PORT (nginx, 8180)
// and IPCPG_BENCH_SERVER_PORT (the servers, the next ones by default).

async function benchCluster(): Promise<void> {
  const name = '300 followers of a slow-motion run over 2 servers behind nginx and Redis';
  const port = Number(process.env.IPCPG_BENCH_PORT ?? 8180);
  const serverPort = process.env.IPCPG_BENCH_SERVER_PORT ? Number(process.env.IPCPG_BENCH_SERVER_PORT) : undefined;
  try {
    log(`cluster: ${name}…`);
    const cluster = await startCluster({ port, serverPort, servers: 2, redisPort: Number(process.env.IPCPG_BENCH_REDIS_PORT ?? 0) });
    try {
      const cookies = cluster.servers.map((s) => `${STICKY_COOKIE}=${s.cookie}`);
      const f = await benchFollowers({ followers: 300, sps: 10, trace: false, seconds: quick ? 6 : 15, scenario: SLOW }, { url: cluster.url, presenterCookie: cookies[0], followerCookies: cookies });
      const note = `half the followers on the presenter's server, half on the other; lag median ${fmt(f.lagMs.p50)} ms, max ${fmt(f.lagMs.max)} ms; ${(f.missing * 100).toFixed(1)} % never shown; ${fmt(f.kbPerSecond.mean)} kB/s each`;
      rows.push({ metric: `${name}: lag behind the presenter, p95`, value: f.lagMs.p95, unit: 'ms', c: null, ratio: null, target: '≤ 500', goal: { of: 'value', op: '<=', value: 500 }, met: f.lagMs.p95 <= 500, runs: 1, note });
    } finally {
      await cluster.stop();
    }
  } catch (e) {
    rows.push(errorRow(`${name}: lag behind the presenter, p95`, 'ms', '≤ 500', e));
  }
}

async function main(): Promise<void> {
  const steps: [string, () => Promise<void>][] = [
    ['start', benchStart], ['stream', benchStream], ['pingpong', () => benchPingPong(false)], ['contention', () => benchPingPong(true)],
    ['gate', benchGate], ['flood', benchFlood], ['line', benchClassRun], ['followers', benchFollowing], ['cluster', benchCluster],
  ];
  for (const [name, step] of steps) {
    if (!want(name)) continue;
    try {
      await step();
    } catch (e) {
      rows.push(errorRow(name, '', null, e));
    }
  }
  if (typeof cbuild !== 'string') fs.rmSync(cbuild.dir, { recursive: true, force: true });
  const secs = (performance.now() - benchT0) / 1000;
  if (opt.out) fs.writeFileSync(opt.out, JSON.stringify(rows, null, 1) + '\n');
  if (opt.json) {
    process.stdout.write(JSON.stringify(rows) + '\n');
  } else {
    const m = machine();
    const out = [
      `IPC Playground bench — ${m.date}`,
      `machine: ${m.nproc} CPUs (${m.cpu}), Linux ${m.kernel}, node ${m.node}; C: ${m.cc}`,
      `load average (1, 5, 15 min): ${m.load}${loadBefore[0] > Number(m.nproc) / 2 ? ' — the machine was busy: figures are noisy' : ''}`,
      'engine: Run API in this process (node --import tsx), each scenario compiled to C and run as real processes, full speed, trace off',
      cNote ? `C: skipped — ${cNote}` : 'C: the same work in bench/c/*.c compiled now with cc -O2 (fork()ed processes); ratio = engine ÷ C',
      '',
      table(),
      '',
    ];
    for (const r of rows) {
      if (r.error) out.push(`error: ${r.metric}: ${r.error}`);
    }
    for (const r of rows) {
      if (r.note) out.push(`note: ${r.metric}: ${r.note}`);
    }
    out.push(`bench took ${secs.toFixed(0)} s`);
    process.stdout.write(out.join('\n') + '\n');
  }
  log(`bench took ${secs.toFixed(0)} s`);
}

await main();
// Active handles (e.g. a stuck run's timers) must not keep the bench alive.
process.exit(0);
