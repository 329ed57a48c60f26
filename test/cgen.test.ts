// "The C behind it" (lib/cgen): the C of every gallery scenario, of the cgen fixtures and of a
// matrix of every verb on every mechanism compiles with cc -Wall -Werror; the gallery and the
// fixtures run, do what the playground does with the same scenario, and leave nothing behind.
//
// How outputs are compared. The generated C stays natural: each child prints with plain
// printf, so its lines carry no process name, and main() prints `name: exited 0` summaries
// exactly as the CLI does. The test therefore compares
//   - the summaries, exactly (one per process, in process order);
//   - the multiset of all other lines with the playground's lines of all processes;
//   - per process, the order of its lines that no other process prints (those lines can be
//     told apart in the C output; identical lines of two processes are covered by the multiset).
// Each print is one write(2) of a whole line (fflush after each printf), so lines never mix.
//
// Leftovers: each C binary runs in its own IPC and mount namespaces (unshare) with a fresh
// tmpfs on /dev/shm and the namespace's mqueue filesystem mounted, so after it ends `ls` and
// `ipcs` show exactly what this run left, whatever else runs on the host; TMPDIR is a fresh
// directory that must be empty afterwards. Without unshare (not root), the binary runs
// directly and only TMPDIR is checked.

import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateC, type GeneratedC } from '../lib/cgen/index';
import { WRAPPED } from '../lib/wire';
import { runtimeObjects } from '../server/run/compile';
import { MECHANISMS, MECHANISM_IDS, type MechanismId } from '../lib/mechanisms';
import { validateScenario } from '../lib/validate';
import { runIt } from './helpers';

const root = path.resolve(import.meta.dirname, '..');

interface Case {
  slug: string;
  file: string;
  json: unknown;
  gen: GeneratedC;
  bin: string;
  compiled?: Promise<{ ok: boolean; log: string }>;
}

/** Scenarios whose run is compared, with the time limit to give both sides (seconds). */
/**
 * Scenarios run beside their standalone C. `same`: the line as far as it does not depend on
 * timing, for the examples where who takes which job, slot or version is the scheduler's
 * choice (compared: every job, item and write, each once, and every process's end).
 */
const RUN: Record<string, { limit?: number; same?: (line: string) => string }> = {
  'pipe-hello': {}, 'fifo-server-client': {}, pipeline: {}, 'mq-sysv-hello': {}, 'mq-posix-priority': {}, 'unix-socket': {}, 'unix-dgram': {},
  'tcp-client-server': {}, 'udp-datagrams': {}, 'sem-log': {}, 'sem-unnamed': {}, 'bounded-buffer': {}, 'shm-posix-sem': {}, 'shm-sysv': {},
  'shm-file-mmap': {}, 'shm-anon': {}, 'signal-ping-pong': {}, 'signal-sigint': {}, 'file-lock': {}, deadlock: { limit: 2 },
  'poll-two-pipes': {}, 'nonblocking-eagain': {}, 'alarm-timeout': {}, 'stdin-echo': {}, 'dining-philosophers': {},
  'work-queue': { same: (l) => l.replace(/^\w+ does job/, 'a worker does job') },
  'bounded-buffer-multi': { same: (l) => l.replace(/ (in|from) slot \d+$/, '').replace(/^c\d takes/, 'a consumer takes') },
  'readers-writers': { same: (l) => l.replace(/ reads version \d+ \(\d+ reading\)$/, ' reads a version') },
  'counter-race': { same: (l) => l.replace(/^without a lock: \d+ of 200000 \(\d+ updates lost\)$/, 'without a lock: some updates lost') },
  barrier: {}, 'sleeping-barber': {}, 'fifo-log-server': {}, 'cgen-shared': {}, 'fork-wait': {}, 'fork-forgot-close': {},
  'tcp-echo-3-clients': {}, 'shell-pipeline': {}, 'cgen-descriptors': {}, 'cgen-poll-accept': {}, 'cgen-fork-server': {}, 'cgen-try-open': {}, 'cgen-nonblocking-accept': {}, 'cgen-try-poll': {},
  'cgen-language': {}, 'cgen-handlers': {}, 'cgen-names': {}, 'matrix-unused': {}, 'cgen-streams': {}, 'cgen-queues-files': {}, 'cgen-sigpipe': {},
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cgen-test-'));
const cases: Case[] = [];

function load(dir: string, filter: (f: string) => boolean): void {
  for (const f of fs.readdirSync(path.join(root, dir)).filter(filter).sort()) {
    const file = path.join(root, dir, f);
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    const v = validateScenario(json);
    if (!v.ok) throw new Error(`${f}: ${JSON.stringify(v.errors)}`);
    const slug = f.replace(/\.json$/, '');
    cases.push({ slug, file, json, gen: generateC(v.scenario, v.programs), bin: path.join(tmp, slug, slug) });
  }
}
load('examples', (f) => f.endsWith('.json'));
const GALLERY = cases.length;
load('test/fixtures', (f) => f.startsWith('cgen-') && f.endsWith('.json'));

/** The forms of a verb on a mechanism, for the compile-only matrix. */
function forms(m: MechanismId, verb: string): string[] {
  const fam = MECHANISMS[m].family;
  const data = fam !== 'signal' && fam !== 'semaphore';
  switch (verb) {
    case 'send':
      if (!data) return ['send c'];
      return ['send c "text {n} {s}"', 'send c s', 'send c n', ...(m === 'mq-sysv' ? ['send c "t" type 2', 'send c "t" type n'] : []), ...(m === 'mq-posix' ? ['send c "p" priority 3', 'send c s priority n'] : [])];
    case 'recv':
      if (!data) return ['recv c'];
      return ['recv c as m1', 'recv c', ...(m !== 'mq-posix' ? ['recv c 5 as m2', 'recv c n as m3'] : []), ...(m === 'mq-sysv' ? ['recv c type 0 as m4'] : []), 'while recv c as w {\n  if w == "x" {\n    break\n  }\n}'];
    case 'close':
      return ['if n > 100 {\n  close c\n}'];
    case 'write':
      return ['write c "abc" at 3', 'write c s at n', 'write c "{n}"'];
    case 'read':
      return ['read c 8 as r1', 'read c n at n as r2', 'print "{r1}{r2}"'];
    case 'trywait':
      return ['trywait c as got', 'trywait c'];
    default:
      return [`${verb} c`];
  }
}

/** Every verb of each mechanism, from both ends, in a loop, at top level and in a signal handler: compiled, not run. */
for (const m of MECHANISM_IDS) {
  const prog = (end: 'from' | 'to', other: string) => {
    const verbs = MECHANISMS[m].verbs[end];
    const lines = ['set n = 3', 'set s = "hey"', `on SIGUSR2 {\n  ${forms(m, verbs[0])[0].split('\n').join('\n  ')}\n}`, 'repeat 2 {'];
    for (const v of verbs) for (const f of forms(m, v)) lines.push(...f.split('\n').map((l) => '  ' + l));
    lines.push('}');
    for (const v of verbs) for (const f of forms(m, v)) lines.push(...f.split('\n'));
    lines.push(`signal ${other} SIGUSR2`, 'pause', 'exit n');
    return lines.join('\n') + '\n';
  };
  const json = {
    version: 1,
    title: `every verb on ${m}`,
    processes: [{ id: 'p', name: 'p', program: prog('from', 'q') }, { id: 'q', name: 'q', program: prog('to', 'p') }],
    channels: [{ id: 'c', from: 'p', to: 'q', mechanism: m }],
  };
  const v = validateScenario(json);
  if (!v.ok) throw new Error(`matrix ${m}: ${JSON.stringify(v.errors)}`);
  cases.push({ slug: `matrix-${m}`, file: '', json, gen: generateC(v.scenario, v.programs), bin: path.join(tmp, `matrix-${m}`, `matrix-${m}`) });
}
{
  // a channel of every mechanism that neither program uses
  const json = {
    version: 1,
    title: 'unused channels',
    processes: [{ id: 'a', name: 'a', program: 'print "a"\n' }, { id: 'b', name: 'b', program: '' }],
    channels: MECHANISM_IDS.map((m, i) => ({ id: `c${i}`, from: 'a', to: 'b', mechanism: m })),
  };
  const v = validateScenario(json);
  if (!v.ok) throw new Error(`unused: ${JSON.stringify(v.errors)}`);
  cases.push({ slug: 'matrix-unused', file: '', json, gen: generateC(v.scenario, v.programs), bin: path.join(tmp, 'matrix-unused', 'matrix-unused') });
}

function sh(file: string, args: string[], opts: { env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { env: opts.env ?? process.env, timeout: opts.timeout ?? 30_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number | string; signal?: string }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr });
    });
    child.stdin?.end(); // stdin at end of file, as the playground gives a process by default
  });
}

/** Runs f over items, at most n at a time. */
async function pool<T, R>(items: T[], n: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]);
    }
  }));
  return out;
}

function compileAll(): void {
  const jobs = cases.map((c) => {
    const dir = path.dirname(c.bin);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(`${c.bin}.c`, c.gen.source);
    return c;
  });
  const objects = runtimeObjects();
  const results = pool(jobs, Math.max(2, os.availableParallelism()), async (c) => {
    const r = await sh('cc', ['-Wall', '-Werror', '-O1', '-o', c.bin, `${c.bin}.c`, '-lrt', '-pthread'], { timeout: 60_000 });
    if (r.code !== 0) return { ok: false, log: r.stderr + r.stdout };
    // and as the playground builds it: the hosted main including the file, linked with the runtime
    const dir = path.dirname(c.bin);
    fs.writeFileSync(path.join(dir, c.gen.fileName), c.gen.source);
    fs.writeFileSync(path.join(dir, 'hosted.c'), c.gen.hosted);
    const wrap = `-Wl,${WRAPPED.map((w) => `--wrap=${w}`).join(',')}`;
    const h = await sh('cc', ['-Wall', '-Werror', '-O1', `-I${path.join(root, 'runtime')}`, '-o', `${c.bin}-hosted`, path.join(dir, 'hosted.c'), ...(await objects), wrap, '-lrt', '-pthread'], { timeout: 60_000 });
    return { ok: h.code === 0, log: h.stderr + h.stdout };
  });
  jobs.forEach((c, i) => (c.compiled = results.then((all) => all[i])));
}

let isolated = false;

before(() => {
  try {
    execFileSync('unshare', ['--ipc', '--mount', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs tmpfs /dev/shm'], { stdio: 'ignore' });
    isolated = true;
  } catch {
    isolated = false;
  }
  compileAll();
});

after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const MARK = '@@cgen-leftovers@@';

interface CRun {
  lines: string[];
  summaries: string[];
  stderr: string;
  leftovers: string[];
}

/** Runs a compiled scenario in its own IPC + mount namespace; returns its output and what it left. */
async function runC(c: Case, nproc: number, limit: number): Promise<CRun> {
  const runTmp = path.join(path.dirname(c.bin), 'tmpdir');
  const mq = path.join(path.dirname(c.bin), 'mqueue');
  fs.mkdirSync(runTmp, { recursive: true });
  fs.mkdirSync(mq, { recursive: true });
  const env = { ...process.env, TMPDIR: runTmp };
  let r;
  if (isolated) {
    const script = [
      'mount -t tmpfs tmpfs /dev/shm || exit 90',
      'mount -t mqueue mqueue "$2" || exit 91',
      '"$1" "$3"; rc=$?',
      `echo "${MARK}"`,
      'ls -A /dev/shm "$2" | grep -v -e "^/" -e "^$" | sed "s/^/file: /"',
      'ipcs -q -m | grep "^0x" | sed "s/^/sysv: /"',
      'exit $rc',
    ].join('\n');
    r = await sh('unshare', ['--ipc', '--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', c.bin, mq, String(limit)], { env, timeout: (limit + 15) * 1000 });
  } else {
    r = await sh(c.bin, [String(limit)], { env, timeout: (limit + 15) * 1000 });
  }
  const [out, left = ''] = r.stdout.split(`${MARK}\n`);
  const all = out.split('\n');
  if (all[all.length - 1] === '') all.pop();
  const leftovers = left.split('\n').filter(Boolean);
  for (const f of fs.readdirSync(runTmp)) leftovers.push(`TMPDIR entry: ${f}`);
  assert.ok(r.code !== 90 && r.code !== 91, `could not set up the namespace: ${r.stderr}`);
  return { lines: all.slice(0, Math.max(0, all.length - nproc)), summaries: all.slice(-nproc), stderr: r.stderr, leftovers };
}

function multiset(lines: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) m.set(l, (m.get(l) ?? 0) + 1);
  return m;
}

describe('cgen: the C behind a scenario', { concurrency: 4 }, () => {
  it('every gallery scenario is there, and each process has its function and line map', () => {
    assert.equal(GALLERY, fs.readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.json')).length);
    for (const c of cases) {
      const lines = c.gen.source.split('\n');
      const scenario = validateScenario(c.json);
      assert.ok(scenario.ok);
      for (const p of scenario.scenario.processes) {
        const range = c.gen.perProcess[p.id];
        assert.ok(range, `${c.slug}: no range for ${p.id}`);
        const inside = lines.slice(range.start - 1, range.end);
        assert.match(inside[0], new RegExp(`process "${p.name}"`), `${c.slug}: the range of ${p.id} starts at its banner`);
        assert.ok(inside.some((l) => /^static int process_\w+\(void\)$/.test(l)), `${c.slug}: ${p.id}'s function is in its range`);
        assert.equal(inside[inside.length - 1], '}', `${c.slug}: the range of ${p.id} ends with its function`);
        // every statement line of the program has its comment, inside the range
        const statementLines = new Set<number>();
        const prog = scenario.programs[p.id];
        const visit = (list: typeof prog.body) => {
          for (const s of list) {
            statementLines.add(s.pos.line);
            if ('body' in s) visit(s.body);
            if (s.kind === 'if') {
              visit(s.then);
              if (s.else) visit(s.else);
            }
          }
        };
        visit(prog.body);
        for (const h of prog.handlers) {
          statementLines.add(h.pos.line);
          visit(h.body);
        }
        for (const n of statementLines) {
          const at = range.lines[n];
          assert.ok(at >= range.start && at <= range.end, `${c.slug}: ${p.id} line ${n} maps to ${at}, outside ${range.start}..${range.end}`);
          assert.match(lines[at - 1], new RegExp(`line ${n}\\b`), `${c.slug}: C line ${at} is not the comment of program line ${n}`);
        }
      }
      assert.match(c.gen.fileName, /^[a-z0-9-]+\.c$/);
    }
  });

  it('generates the same C twice (nothing of the host in it: test/cgen-registry.test.ts)', () => {
    const c = cases[0];
    const v = validateScenario(c.json);
    assert.ok(v.ok);
    assert.equal(generateC(v.scenario, v.programs).source, c.gen.source);
  });

  it('the leftover check sees what a program that skips remove_objects() leaves', async (t) => {
    if (!isolated) return t.skip('unshare unavailable');
    const json = {
      version: 1,
      title: 'leaks',
      processes: [
        { id: 'a', name: 'a', program: 'post s1\npost s2\nsend q "x"\nsend pq "y"\nwrite m1 "z"\nwrite m2 "w"\nsend f "v"\nclose f\n' },
        { id: 'b', name: 'b', program: 'wait s1\nrecv f as v\n' },
      ],
      channels: [
        { id: 's1', from: 'a', to: 'b', mechanism: 'sem-named' },
        { id: 's2', from: 'a', to: 'b', mechanism: 'sem-unnamed' },
        { id: 'q', from: 'a', to: 'b', mechanism: 'mq-sysv' },
        { id: 'pq', from: 'a', to: 'b', mechanism: 'mq-posix' },
        { id: 'm1', from: 'a', to: 'b', mechanism: 'shm-posix' },
        { id: 'm2', from: 'a', to: 'b', mechanism: 'shm-sysv' },
        { id: 'f', from: 'a', to: 'b', mechanism: 'fifo' },
      ],
    };
    const v = validateScenario(json);
    assert.ok(v.ok);
    const gen = generateC(v.scenario, v.programs);
    assert.match(gen.source, /\n {4}remove_objects\(\);\n/);
    const c: Case = { slug: 'leaks', file: '', json, gen: { ...gen, source: gen.source.replace(/\n {4}remove_objects\(\);\n/, '\n') }, bin: path.join(tmp, 'leaks', 'leaks') };
    fs.mkdirSync(path.dirname(c.bin), { recursive: true });
    fs.writeFileSync(`${c.bin}.c`, c.gen.source);
    const cc = await sh('cc', ['-Wall', '-O1', '-o', c.bin, `${c.bin}.c`, '-lrt', '-pthread']);
    assert.equal(cc.code, 0, cc.stderr);
    const r = await runC(c, 2, 10);
    assert.deepEqual(r.summaries, ['a: exited 0', 'b: exited 0'], r.stderr);
    const left = r.leftovers.join('\n');
    assert.match(left, /file: sem\.s1-\d+/);
    assert.match(left, /file: m1-\d+/);
    assert.match(left, /file: pq-\d+/);
    assert.match(left, /sysv: 0x0+ +\d+ /); // IPC_PRIVATE queue and segment: key 0
    assert.equal(r.leftovers.filter((l) => l.startsWith('sysv:')).length, 2, left);
    assert.match(left, /TMPDIR entry: ipc-/);
  });

  for (const c of cases) {
    it(`${c.slug}: compiles with cc -Wall -Werror -O1, standalone and hosted`, async () => {
      const r = await c.compiled!;
      assert.ok(r.ok, `cc failed for ${c.slug}:\n${r.log}`);
    });
  }

  for (const c of cases.filter((x) => RUN[x.slug])) {
    it(`${c.slug}: runs as the playground runs it, and leaves nothing behind`, async (t) => {
      const compiled = await c.compiled!;
      if (!compiled.ok) return assert.fail(`did not compile:\n${compiled.log}`);
      const limit = RUN[c.slug].limit;
      const v = validateScenario(c.json);
      assert.ok(v.ok);
      const procs = v.scenario.processes;
      const [engine, crun] = await Promise.all([
        runIt(c.json, limit ? { timeoutMs: limit * 1000 } : {}),
        runC(c, procs.length, limit ?? 20),
      ]);
      const same = RUN[c.slug].same ?? ((l: string) => l);
      crun.lines = crun.lines.map(same);
      const show = () => `--- C stdout ---\n${[...crun.lines, ...crun.summaries].join('\n')}\n--- C stderr ---\n${crun.stderr}\n--- playground ---\n${procs.map((p) => `[${p.name}]\n${engine.stdout(p.id)}`).join('')}`;

      // how each drawn process ended (the C's main() reports those; a forked child is its parent's business)
      const drawn = engine.end.processes.filter((p) => procs.some((q) => q.id === p.id));
      assert.deepEqual(crun.summaries, drawn.map((p) => `${p.name}: ${p.outcome}`), show());

      // the lines, per process
      const per = new Map(procs.map((p) => [p.id, engine.stdout(p.id).split('\n').filter((l, i, a) => i < a.length - 1 || l !== '').map(same)]));
      const cLines = crun.lines;
      const allEngine = [...per.values()].flat();
      assert.deepEqual(multiset(cLines), multiset(allEngine), show());
      for (const [proc, mine] of per) {
        const others = new Set([...per].filter(([q]) => q !== proc).flatMap(([, ls]) => ls));
        const own = new Set(mine.filter((l) => !others.has(l)));
        assert.deepEqual(cLines.filter((l) => own.has(l)), mine.filter((l) => own.has(l)), `order of ${proc}'s lines\n${show()}`);
      }

      assert.deepEqual(crun.leftovers, [], `left behind\n${show()}`);
      if (!isolated) t.diagnostic('unshare unavailable: /dev/shm, SysV and mqueue leftovers not checked');
    });
  }
});
