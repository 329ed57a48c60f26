// A failed call is shown for what the kernel said: the 'failed' event (the node's "read() = -1
// EAGAIN · line 4") names the latest failure of each process, counts them, and leaves out
// pause and sigsuspend, which always return -1 EINTR.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { RunEvent } from '../lib/events';
import { runIt } from './helpers';

const example = (name: string) => JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '..', 'examples', `${name}.json`), 'utf8'));
const failed = (events: RunEvent[], proc: string) => events.filter((e): e is Extract<RunEvent, { type: 'failed' }> => e.type === 'failed' && e.proc === proc);

describe('failed calls', { concurrency: 2 }, () => {
  it('a try read of an empty non-blocking pipe: read() = -1 EAGAIN on its line, counted', async () => {
    const r = await runIt(example('nonblocking-eagain'));
    const f = failed(r.events, 'consumer');
    assert.ok(f.length > 0, 'a failed event');
    const last = f[f.length - 1];
    assert.deepEqual({ call: last.call, errno: last.errno, line: last.line }, { call: 'read', errno: 'EAGAIN', line: 4 });
    assert.ok(last.count >= 4, `every EAGAIN counted (${last.count})`);
    assert.deepEqual(failed(r.events, 'producer'), []);
  });

  it('pause and sigsuspend are no failure; an alarm that interrupts a read is (EINTR)', async () => {
    const r = await runIt(example('alarm-timeout'));
    const f = failed(r.events, 'client');
    assert.deepEqual(f.map((e) => `${e.call} ${e.errno} ${e.line}`), ['read EINTR 7']);
    assert.deepEqual(failed(r.events, 'server'), []);
  });
});
