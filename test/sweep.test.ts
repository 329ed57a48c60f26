// Crash recovery: a server killed with SIGKILL while its processes are blocked leaves
// objects behind; the next server's start-up sweep removes all of them and nothing else.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { sweepDeadInstances } from '../server/run/instance';
import { hostLeftovers, sysvIds } from './helpers';

const root = path.resolve(import.meta.dirname, '..');

it('the sweep removes everything of a server killed with SIGKILL, and nothing else', async () => {
  // a live server's objects must survive the sweep
  const bystander = path.join(fs.mkdtempSync('/tmp/ipcpg-'), 'keep');
  fs.writeFileSync(bystander, '');
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/crashing-server.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const info = await new Promise<{ runId: string; dir: string; sysvPrefix: number }>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += d;
      if (buf.includes('\n')) resolve(JSON.parse(buf.split('\n')[0]));
    });
    child.on('exit', () => reject(new Error('server exited early')));
  });
  const created = sysvIds(info.sysvPrefix);
  assert.equal(created.length, 2, 'a SysV queue and a SysV segment exist');
  assert.ok(fs.readdirSync('/dev/shm').some((f) => f.includes(info.runId)), 'POSIX objects exist');
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));

  // (a test process starting meanwhile may have swept it first: either way it must be gone)
  sweepDeadInstances();
  assert.ok(!fs.existsSync(info.dir), `${info.dir} is still there`);
  assert.deepEqual(hostLeftovers(info.runId), []);
  const after = new Set(sysvIds(info.sysvPrefix));
  for (const id of created) assert.ok(!after.has(id), `SysV object ${id} is still there`);
  assert.ok(fs.existsSync(bystander), 'the sweep touched a directory that is not an instance');
  fs.rmSync(path.dirname(bystander), { recursive: true });
});
