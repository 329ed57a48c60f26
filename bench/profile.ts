// A minimal orchestrator for profiling hosts: the same host bundle, init and start messages as
// server/run/run.ts, but the host's node gets extra flags (e.g. --cpu-prof) and nothing else
// runs in between. Not part of `npm run bench`.
//
//   node --import tsx bench/profile.ts CASE [N] [--node-arg=--cpu-prof --node-arg=--cpu-prof-dir=/tmp/prof]
//   CASE: stream-pipe-100 | stream-pipe-64k | stream-unix-100 | stream-unix-64k | pp-pipe | pp-unix | pp-mq | flood
//   --trace: as the Run option.  --events: print the event counts per type.
//   --bundle=FILE: another host bundle.  --pin=spread | --pin=CPU: taskset the hosts.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { optionsWithDefaults } from '../lib/mechanisms';
import { validateScenario } from '../lib/validate';
import { sys } from '../native/index';
import { registry } from '../server/mechanisms/registry';
import type { RunChannel } from '../server/mechanisms/types';
import type { HostInit } from '../server/host/main';
import { onJsonLines } from '../server/ndjson';
import { hostBundle } from '../server/run/hostBundle';
import { scenario, type Chan } from './lib';

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'node-arg': { type: 'string', multiple: true }, trace: { type: 'boolean' }, events: { type: 'boolean' },
    /** A host bundle to run instead of .cache/host.mjs (e.g. a patched copy of the engine). */
    bundle: { type: 'string' },
    /** Pin host i to CPU i % nproc (taskset), or all hosts to one CPU: --pin=0. */
    pin: { type: 'string' },
  },
});
const [name, nArg] = positionals;

function cases(n: number): Record<string, ReturnType<typeof scenario>> {
  const big = (k: number) => `set s = "x"\nrepeat 16 { set s = s + s }\nrepeat ${k} { send c1 s }`;
  const small = (k: number, size: number) => `repeat ${k} { send c1 "${'x'.repeat(size)}" }`;
  const rd = 'while recv c1 65536 { }';
  const pp = (mech: string, two: boolean) =>
    scenario(
      { a: `repeat ${n} {\n  send c1 "ping"\n  recv ${two ? 'c2' : 'c1'}\n}`, b: `repeat ${n} {\n  recv c1\n  send ${two ? 'c2' : 'c1'} "pong"\n}` },
      [['c1', 'a', 'b', mech] as Chan, ...(two ? [['c2', 'b', 'a', mech] as Chan] : [])],
    );
  return {
    'stream-pipe-100': scenario({ writer: small(n, 100), reader: rd }, [['c1', 'writer', 'reader', 'pipe']]),
    'stream-unix-100': scenario({ writer: small(n, 100), reader: rd }, [['c1', 'writer', 'reader', 'unix-stream']]),
    'stream-pipe-64k': scenario({ writer: big(n), reader: rd }, [['c1', 'writer', 'reader', 'pipe']]),
    'stream-unix-64k': scenario({ writer: big(n), reader: rd }, [['c1', 'writer', 'reader', 'unix-stream']]),
    flood: scenario({ writer: small(n, 10), reader: rd }, [['c1', 'writer', 'reader', 'pipe']]),
    'pp-pipe': pp('pipe', true),
    'pp-unix': pp('unix-stream', false),
    'pp-mq': pp('mq-sysv', true),
  };
}

const all = cases(Number(nArg ?? 100000));
const sc = all[name];
if (!sc) {
  process.stderr.write(`cases: ${Object.keys(all).join(', ')}\n`);
  process.exit(2);
}
const v = validateScenario(sc);
if (!v.ok) throw new Error(JSON.stringify(v.errors));
const bundle = opt.bundle ?? (await hostBundle());
const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipcpg-prof-'));
const t0 = process.hrtime.bigint();
const now = () => Number(process.hrtime.bigint() - t0) / 1e6;

const chans = v.scenario.channels.map((c, index) => {
  const channel: RunChannel = { id: c.id, label: c.label ?? c.id, mechanism: c.mechanism, from: c.from, to: c.to, index, options: optionsWithDefaults(c.mechanism, c.options) };
  const created = registry[c.mechanism].create({ channel, runDir, objectName: `/ipcpg-prof.${process.pid}.c${index}`, journal: () => {} });
  return { channel, created };
});

const counts: Record<string, number> = {};
const firstLine: Record<string, number> = {};
const passed = new Set<number>();
const hosts = v.scenario.processes.map((p, index) => {
  const extra: number[] = [];
  const ends: HostInit['channels'] = [];
  for (const ch of chans) {
    for (const role of ['from', 'to'] as const) {
      if (ch.channel[role] !== p.id) continue;
      const fds = ch.created.fds?.[role] ?? [];
      ends.push({ channel: ch.channel, role, spec: ch.created.spec, fds: fds.map((fd) => (passed.add(fd), extra.push(fd), 3 + extra.length)) });
    }
  }
  const argv = [...(opt['node-arg'] ?? []), '--no-warnings', bundle, 'prof', String(index)];
  const cpu = opt.pin === undefined ? null : opt.pin === 'spread' ? index % os.availableParallelism() : Number(opt.pin);
  const child = spawn(cpu === null ? process.execPath : 'taskset', cpu === null ? argv : ['-c', String(cpu), process.execPath, ...argv], {
    detached: true,
    stdio: ['pipe', 'inherit', 'inherit', 'pipe', ...extra],
    // as run.ts, plus any IPCPG_* of ours (knobs of a patched engine under test)
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('IPCPG_'))),
      NODE_ENV: 'production', PATH: process.env.PATH ?? '/usr/bin:/bin', UV_THREADPOOL_SIZE: String(4 + ends.length), IPCPG_RUN: 'prof',
    },
  });
  let ready: Record<string, Record<string, unknown>> | null = null;
  let onReady: () => void = () => {};
  const readyP = new Promise<void>((r) => (onReady = r));
  onJsonLines(child.stdio[3] as NodeJS.ReadableStream, (m) => {
    counts[m.type] = (counts[m.type] ?? 0) + 1;
    if (m.type === 'ready') {
      ready = m.ready;
      onReady();
    } else if (m.type === 'line' && firstLine[p.id] === undefined) firstLine[p.id] = m.t;
    else if (m.type === 'fatal') process.stderr.write(`${p.id}: ${m.message}\n`);
  });
  const exited = new Promise<number>((r) => child.on('close', () => r(now())));
  const init: HostInit = {
    type: 'init', proc: p.id, t0: t0.toString(), trace: !!opt.trace, sps: 0, paused: false,
    messageBytes: 65536, program: v.programs[p.id], channels: ends,
  };
  child.stdin!.write(JSON.stringify(init) + '\n');
  return { p, child, readyP, exited, get ready() { return ready; } };
});
for (const fd of passed) sys.close(fd);
await Promise.all(hosts.map((h) => h.readyP));
const pids = Object.fromEntries(hosts.map((h) => [h.p.id, h.child.pid ?? 0]));
const tStart = now();
for (const h of hosts) {
  const peers: Record<string, Record<string, unknown>> = {};
  for (const { channel: c } of chans) {
    const other = c.from === h.p.id ? c.to : c.to === h.p.id ? c.from : null;
    if (other) peers[c.id] = hosts.find((q) => q.p.id === other)?.ready?.[c.id] ?? {};
  }
  h.child.stdin!.write(JSON.stringify({ type: 'start', pids, peers }) + '\n');
}
const ends = await Promise.all(hosts.map((h) => h.exited));
const first = Math.min(...Object.values(firstLine));
const last = Math.max(...ends);
for (const h of hosts) h.child.stdin!.end();
for (const { channel, created } of chans) registry[channel.mechanism].destroy(created.handle as never);
fs.rmSync(runDir, { recursive: true, force: true });
process.stdout.write(`${name} N=${nArg ?? 100000}: start sent at ${tStart.toFixed(1)} ms, first statement ${first.toFixed(1)} ms, last exit ${last.toFixed(1)} ms: ${(last - first).toFixed(1)} ms of work\n`);
if (opt.events) process.stdout.write(JSON.stringify(counts) + '\n');
