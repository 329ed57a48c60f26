// The framer: frames at most ~30 a second; samples coalesce without losing what they carry.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Frame, RunEvent } from '../lib/events';
import { Framer } from '../server/run/framer';

it('object samples of one channel merge: later fields win, shared-memory changes add up', async () => {
  const frames: Frame[] = [];
  const f = new Framer('r', (x) => frames.push(x));
  const obj = (state: object): RunEvent => ({ type: 'object', t: 1, channel: 'c1', mechanism: 'shm-sysv', state });
  f.push(obj({ size: 64, changes: [{ offset: 0, hex: '41' }] }));
  f.push(obj({ readers: 2 }));
  f.push(obj({ size: 64, changes: [{ offset: 1, hex: '42' }], readers: 1 }));
  f.flush();
  assert.equal(frames.length, 1);
  assert.deepEqual(frames[0].events, [obj({ size: 64, readers: 1, changes: [{ offset: 0, hex: '41' }, { offset: 1, hex: '42' }] })]);
});

it('counters keep the last sample per process; trace events past the budget become one notice', () => {
  const frames: Frame[] = [];
  const f = new Framer('r', (x) => frames.push(x));
  for (let i = 0; i < 3; i++) f.push({ type: 'counters', t: i, proc: 'a', statements: i, line: 1, syscalls: {}, sends: i, recvs: 0, bytes: 0 });
  for (let i = 0; i < 150; i++) f.push({ type: 'syscall', t: i, proc: 'a', name: 'write', args: '', ret: '1', errno: null, ms: 0 });
  f.flush();
  const evs = frames[0].events;
  assert.deepEqual(evs.filter((e) => e.type === 'counters').map((e) => (e as { statements: number }).statements), [2]);
  assert.equal(evs.filter((e) => e.type === 'syscall').length, 100);
  assert.match((evs.find((e) => e.type === 'notice') as { message: string }).message, /^50 trace events left out/);
});
