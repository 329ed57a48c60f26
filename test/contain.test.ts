// Containment of run processes, checked from outside on the real kernel: a probe compiled
// with runtime/contain.c joins a real RunCgroup and drops to a uid from the IdentityPool;
// the test reads /proc and the cgroup files. Skips (saying why) without gcc, root or cgroups.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { RunCgroup, cgroupSupport, runLimitsFromEnv, sweepCgroups } from '../server/run/cgroup';
import { IdentityPool, identitySupport, type RunIdentity } from '../server/run/identity';

const root = path.resolve(import.meta.dirname, '..');
const MiB = 1024 * 1024;

const support = cgroupSupport();
const noCgroups = typeof support === 'object' ? `cgroups unavailable: ${support.none}` : false;
const ids = identitySupport();
const noIds = ids === true ? false : `no run identities: ${ids.none}`;
const noGcc = spawnSync('gcc', ['--version']).status === 0 ? false : 'gcc not found';
const noProbe = noGcc || noIds;
const noFull = noProbe || noCgroups;

// Run ids of this test process only: the sweep test must not touch anyone else's cgroups.
const tag = `test${process.pid}`;
let seq = 0;
const runId = (what: string) => `${tag}-${what}${++seq}`;

let dir = '';
let probe = '';
const pool = new IdentityPool();
const made: RunCgroup[] = [];

before(() => {
  if (noProbe) return;
  // Not in the checkout: it may be a 0700 directory the run's uid cannot enter.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contain-probe-'));
  fs.chmodSync(dir, 0o755);
  probe = path.join(dir, 'contain-probe');
  const cc = spawnSync('gcc', ['-std=gnu11', '-Wall', '-Wextra', '-Werror', '-O2', '-I', path.join(root, 'runtime'), '-o', probe,
    path.join(root, 'test/fixtures/contain-probe.c'), path.join(root, 'runtime/contain.c')], { encoding: 'utf8' });
  assert.equal(cc.status, 0, cc.stderr);
  fs.chmodSync(probe, 0o755);
});

after(async () => {
  for (const cg of made) await cg.destroy();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function cgroup(what: string, limits: Parameters<typeof RunCgroup.create>[1]): RunCgroup {
  const cg = RunCgroup.create(runId(what), limits);
  assert.ok(cg, 'cgroupSupport() said yes, so create() must give a cgroup');
  made.push(cg);
  return cg;
}

function identity(): RunIdentity {
  const id = pool.allocate();
  assert.ok(id, 'the pool gave no identity');
  return id;
}

interface Probe {
  pid: number;
  lines: string[];
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdin: NodeJS.WritableStream;
}

/** Starts the probe and resolves once it says "ok" (contained), or rejects with its stderr. */
async function start(t: TestContext, mode: string, arg: number, id: RunIdentity | 'keep', cg: RunCgroup | null, via: string[] = []): Promise<Probe> {
  const [u, g] = id === 'keep' ? ['keep', 'keep'] : [String(id.uid), String(id.gid)];
  const argv = [probe, mode, String(arg), u, g, ...(cg?.procsFiles() ?? [])];
  const [cmd, ...args] = [...via, ...argv]; // via execs the probe: same pid
  const child = spawn(cmd, args, { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const lines: string[] = [];
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  let buf = '';
  const ok = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      buf += d;
      const parts = buf.split('\n');
      buf = parts.pop()!;
      lines.push(...parts);
      if (lines[0]?.startsWith('ok ')) resolve();
    });
    void exit.then((e) => reject(new Error(`probe exited ${JSON.stringify(e)} before ok: ${err}`)));
  });
  await ok;
  return { pid: child.pid!, lines, stderr: () => err, exit, stdin: child.stdin };
}

const status = (pid: number) => fs.readFileSync(`/proc/${pid}/status`, 'utf8');
const field = (s: string, name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'm').exec(s)?.[1].trim().split(/\s+/).join(' ');

describe('run identities (IdentityPool)', () => {
  it('hands out distinct nonzero ids, none twice, and gives up when all are taken', () => {
    const p = new IdentityPool({ base: 250000, count: 3, euid: 0 });
    const got = [p.allocate(), p.allocate(), p.allocate()];
    assert.ok(got.every((x) => x && x.uid > 0 && x.gid === x.uid));
    assert.equal(new Set(got.map((x) => x!.uid)).size, 3);
    assert.equal(p.allocate(), null, 'a fourth run at once must not get an id');
    p.release(got[1]!);
    assert.equal(p.allocate()?.uid, got[1]!.uid);
  });

  it('falls back to none, saying why, when the server is not root', () => {
    const p = new IdentityPool({ euid: 1000 });
    assert.match(JSON.stringify(p.support), /not root/);
    assert.equal(p.allocate(), null);
  });

  it('reads the cgroup limits from the environment and rejects nonsense', () => {
    assert.deepEqual(runLimitsFromEnv({}), { memoryBytes: 256 * MiB, pids: 64, cpuWeight: 80 });
    assert.deepEqual(runLimitsFromEnv({ IPCPG_RUN_MEMORY_MB: '64', IPCPG_RUN_PIDS: '16' }), { memoryBytes: 64 * MiB, pids: 16, cpuWeight: 80 });
    assert.throws(() => runLimitsFromEnv({ IPCPG_RUN_PIDS: 'lots' }), /IPCPG_RUN_PIDS/);
  });
});

describe('contained run processes', { skip: noFull }, () => {
  it('run with the run ids, no capabilities, no_new_privs, in the run cgroup, no extra fd', async (t) => {
    const cg = cgroup('hold', { memoryBytes: 64 * MiB, pids: 16 });
    const id = identity();
    // Where setpriv is at hand, start with what a careless server might pass on: supplementary
    // groups, inheritable and ambient capabilities. contain must clear them all.
    const setpriv = spawnSync('setpriv', ['--version']).status === 0;
    const via = setpriv ? ['setpriv', '--groups', '27,100', '--inh-caps', '+net_raw', '--ambient-caps', '+net_raw', '--'] : [];
    if (!setpriv) t.diagnostic('setpriv not found: starting without groups or inherited capabilities');
    const p = await start(t, 'hold', 0, id, cg, via);
    const s = status(p.pid);
    assert.equal(field(s, 'Uid'), `${id.uid} ${id.uid} ${id.uid} ${id.uid}`);
    assert.equal(field(s, 'Gid'), `${id.gid} ${id.gid} ${id.gid} ${id.gid}`);
    assert.equal(field(s, 'Groups'), '');
    for (const c of ['CapInh', 'CapPrm', 'CapEff', 'CapAmb']) assert.equal(field(s, c), '0000000000000000', c);
    assert.equal(field(s, 'NoNewPrivs'), '1');
    // dumpable again: the files in /proc/PID belong to the process's uid, not to root
    assert.equal(fs.statSync(`/proc/${p.pid}/status`).uid, id.uid);
    assert.ok(cg.pids().includes(p.pid), `${p.pid} not in ${cg.pids()}`);
    const own = fs.readFileSync(`/proc/${p.pid}/cgroup`, 'utf8');
    assert.equal(own.split('\n').filter((l) => l.endsWith(`/ipcpg/ipcpg-${cg.runId}`)).length, cg.dirs.length, own);
    // no fd left by contain (the test runner may pass on fds of its own: compare before/after)
    const [, , , fdsBefore, fdsAfter] = p.lines[0].split(' ');
    assert.equal(fdsAfter, fdsBefore);
    for (const fd of fs.readdirSync(`/proc/${p.pid}/fd`)) assert.doesNotMatch(fs.readlinkSync(`/proc/${p.pid}/fd/${fd}`), /cgroup|^\/proc/);
    p.stdin.end();
    assert.deepEqual(await p.exit, { code: 0, signal: null });
    assert.deepEqual(await cg.destroy(), []);
    pool.release(id);
  });

  it('cannot signal another run nor the server, but can signal its own run', async (t) => {
    const a = identity();
    const b = identity();
    const target = await start(t, 'hold', 0, a, null);
    const other = await start(t, 'signal', target.pid, b, null);
    await other.exit;
    assert.equal(other.lines[1], 'EPERM');
    const server = await start(t, 'signal', process.pid, b, null);
    await server.exit;
    assert.equal(server.lines[1], 'EPERM');
    const same = await start(t, 'signal', target.pid, a, null);
    await same.exit;
    assert.equal(same.lines[1], '0');
    target.stdin.end();
    await target.exit;
    pool.release(a);
    pool.release(b);
  });

  it('refuses to leave a process with uid or gid 0', async (t) => {
    await assert.rejects(start(t, 'hold', 0, { uid: 0, gid: 0 }, null), /contain: refusing uid or gid 0/);
    await assert.rejects(start(t, 'hold', 0, 'keep', null), /contain: refusing to run with uid or gid 0/);
    await assert.rejects(start(t, 'hold', 0, { uid: 200123, gid: 0 }, null), /refusing/);
  });

  it('enforces the memory limit: 400 MiB touched under 64 MiB is OOM-killed (SIGKILL)', async (t) => {
    const cg = cgroup('oom', { memoryBytes: 64 * MiB, pids: 16 });
    const id = identity();
    const t0 = performance.now();
    const p = await start(t, 'alloc', 400, id, cg);
    const end = await p.exit;
    const ms = performance.now() - t0;
    assert.deepEqual(end, { code: null, signal: 'SIGKILL' });
    assert.ok(!p.lines.includes('survived'));
    assert.ok((cg.oomKills() ?? 0) >= 1, `oom_kill count ${cg.oomKills()}`);
    const peak = cg.memoryPeak();
    if (peak !== null) assert.ok(peak <= 64 * MiB, `peak ${peak}`);
    t.diagnostic(`OOM kill after ${ms.toFixed(0)} ms; peak ${peak === null ? '?' : (peak / MiB).toFixed(1)} MiB; oom_kill ${cg.oomKills()}`);
    assert.deepEqual(await cg.destroy(), []);
    pool.release(id);
  });

  it('enforces the pids limit: a fork bomb gets EAGAIN after pids.max - 1 children', async (t) => {
    const cg = cgroup('fork', { memoryBytes: 64 * MiB, pids: 16 });
    const id = identity();
    const t0 = performance.now();
    const p = await start(t, 'forkbomb', 0, id, cg);
    assert.deepEqual(await p.exit, { code: 0, signal: null });
    assert.equal(p.lines[1], 'forked 15 EAGAIN');
    t.diagnostic(`fork bomb stopped in ${(performance.now() - t0).toFixed(0)} ms`);
    assert.deepEqual(await cg.destroy(), []);
    pool.release(id);
  });

  it('destroy() kills live members, removes every directory, and is idempotent', async (t) => {
    const cg = cgroup('destroy', { memoryBytes: 64 * MiB, pids: 16 });
    const id = identity();
    const p = await start(t, 'hold', 0, id, cg);
    const t0 = performance.now();
    assert.deepEqual(await cg.destroy(), []);
    t.diagnostic(`destroy with a live member: ${(performance.now() - t0).toFixed(1)} ms`);
    assert.equal((await p.exit).signal, 'SIGKILL');
    for (const d of cg.dirs) assert.ok(!fs.existsSync(d), `${d} is still there`);
    assert.deepEqual(await cg.destroy(), []);
    pool.release(id);
  });

  it('destroy() ends a fork bomb that keeps forking (the kill loop converges)', async (t) => {
    const cg = cgroup('swarm', { memoryBytes: 64 * MiB, pids: 32 });
    const id = identity();
    const p = await start(t, 'swarm', 0, id, cg);
    await new Promise((r) => setTimeout(r, 200)); // let it fill pids.max
    const members = cg.pids().length;
    const t0 = performance.now();
    assert.deepEqual(await cg.destroy(), []);
    t.diagnostic(`fork bomb of ${members} processes destroyed in ${(performance.now() - t0).toFixed(1)} ms`);
    assert.ok(members > 16, `only ${members} members`);
    assert.equal((await p.exit).signal, 'SIGKILL');
    pool.release(id);
  });

  it("sweepCgroups removes a dead run's cgroup (killing its processes) and keeps live ones", async (t) => {
    const dead = cgroup('crashed', { pids: 16 });
    const live = cgroup('live', { pids: 16 });
    const id = identity();
    const p = await start(t, 'hold', 0, id, dead);
    // everything but the 'crashed' run is live (other tests' and other servers' runs included)
    const swept = await sweepCgroups((r) => r !== dead.runId);
    assert.deepEqual(swept.left, []);
    assert.deepEqual(swept.removed.sort(), [...dead.dirs].sort());
    assert.equal((await p.exit).signal, 'SIGKILL');
    for (const d of dead.dirs) assert.ok(!fs.existsSync(d));
    for (const d of live.dirs) assert.ok(fs.existsSync(d));
    assert.deepEqual(await live.destroy(), []);
    pool.release(id);
  });

  it('refuses a run id that is not a plain name, and addPid refuses pids 0, -1 and 1', () => {
    assert.throws(() => RunCgroup.create('../x'), /bad run id/);
    const cg = cgroup('addpid', {});
    for (const pid of [0, -1, 1, process.pid]) assert.throws(() => cg.addPid(pid), /refusing/);
    assert.throws(() => RunCgroup.create(cg.runId), /EEXIST/, 'a run id used twice');
    for (const d of cg.dirs) assert.ok(fs.existsSync(d), 'the failed create removed the first one');
  });

  it('a create that fails half-way (a limit the kernel rejects) leaves no directory', () => {
    const id = runId('bad');
    assert.throws(() => RunCgroup.create(id, { pids: -5 }), /pids\.max|EINVAL/);
    const parents = cgroup('parents', {}).dirs.map((d) => path.dirname(d));
    for (const parent of parents) assert.ok(!fs.existsSync(path.join(parent, `ipcpg-${id}`)), `ipcpg-${id} left in ${parent}`);
  });
});

describe('cgroup support', () => {
  it('says which version, or why none', (t) => {
    t.diagnostic(`cgroupSupport(): ${JSON.stringify(support)}; identities: ${JSON.stringify(ids)}`);
    assert.ok(support === 'v1' || support === 'v2' || (typeof support === 'object' && support.none.length > 0));
  });
});
