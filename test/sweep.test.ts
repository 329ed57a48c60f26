// Crash recovery: a server killed with SIGKILL while its processes are blocked leaves
// objects behind; the next server's start-up sweep removes all of them and nothing else.
// Both ways a run is isolated: its own IPC namespace (the default as root) and naming alone.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { PARENT, hierarchies, readdirOr, supportedLayout } from '../server/run/cgroupfs';
import path from 'node:path';
import { it, type TestContext } from 'node:test';
import { sweepDeadInstances } from '../server/run/instance';
import { hostLeftovers, nsOf, processesInIpcNs, sysvIds } from './helpers';

const root = path.resolve(import.meta.dirname, '..');

interface Crashed {
  runId: string;
  dir: string;
  sysvPrefix: number;
  hostPid: number;
}

/** Starts the crashing server and resolves once its run's processes are all blocked. */
async function crashingServer(t: TestContext, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/crashing-server.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const info = await new Promise<Crashed>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += d;
      if (buf.includes('\n')) resolve(JSON.parse(buf.split('\n')[0]));
    });
    child.on('exit', () => reject(new Error('server exited early')));
  });
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  };
  // a failed assertion must not leave the server and its run behind
  t.after(async () => {
    await kill();
    sweepDeadInstances();
  });
  return { info, kill };
}

/** Sweeps (a test process starting meanwhile may have swept first: either way all must be gone). */
function sweepAndCheck(info: Crashed, bystander: string): void {
  sweepDeadInstances();
  assert.ok(!fs.existsSync(info.dir), `${info.dir} is still there`);
  // nor the cgroups of its runs (named ipcpg-<instance>-<run>)
  const instance = path.basename(info.dir).replace(/^[^-]+-/, '');
  const l = supportedLayout();
  const left = l ? hierarchies(l).flatMap(({ mount }) => readdirOr(path.join(mount, PARENT)).filter((d) => d.startsWith(`ipcpg-${instance}-`))) : [];
  assert.deepEqual(left, [], 'the dead server\'s run cgroups are removed');
  assert.deepEqual(hostLeftovers(info.runId), []);
  assert.ok(fs.existsSync(bystander), 'the sweep touched a directory that is not an instance');
}

/** A directory that merely looks like an instance's (no lock): it must survive the sweep. */
function withBystander(t: TestContext): string {
  const bystander = path.join(fs.mkdtempSync('/tmp/ipcpg-'), 'keep');
  fs.writeFileSync(bystander, '');
  t.after(() => fs.rmSync(path.dirname(bystander), { recursive: true, force: true }));
  return bystander;
}

it('the sweep removes everything of a server killed with SIGKILL, and nothing else (run-id naming)', async (t) => {
  const bystander = withBystander(t);
  const { info, kill } = await crashingServer(t, { IPCPG_NAMESPACES: '0' });
  const created = sysvIds(info.sysvPrefix);
  assert.equal(created.length, 2, 'a SysV queue and a SysV segment exist');
  assert.ok(fs.readdirSync('/dev/shm').some((f) => f.includes(info.runId)), 'POSIX objects exist');
  await kill();
  sweepAndCheck(info, bystander);
  const after = new Set(sysvIds(info.sysvPrefix));
  for (const id of created) assert.ok(!after.has(id), `SysV object ${id} is still there`);
});

it('the sweep removes everything of a server killed with SIGKILL, its namespace too (own IPC namespace)', async (t) => {
  const probe = await crashingServer(t, {});
  const ns = nsOf(probe.info.hostPid, 'ipc');
  if (ns === nsOf('self', 'ipc')) {
    await probe.kill();
    sweepDeadInstances();
    return t.skip('this host does not allow new IPC namespaces');
  }
  const { info, kill } = probe;
  const bystander = withBystander(t);
  // inside the run's namespace: its SysV queue and segment; outside: nothing of them
  assert.equal(sysvIds(info.sysvPrefix, info.hostPid).length, 2, 'a SysV queue and a SysV segment exist in the namespace');
  assert.deepEqual(sysvIds(info.sysvPrefix), []);
  assert.ok(fs.readdirSync('/dev/shm').some((f) => f.includes(info.runId)), 'POSIX objects exist');
  await kill();
  sweepAndCheck(info, bystander);
  // no process is left in the namespace, so the kernel has freed it and every object in it
  // (a killed process drops its namespaces a moment after its command line: poll briefly)
  for (const until = Date.now() + 10_000; processesInIpcNs(ns).length && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(processesInIpcNs(ns), []);
});
