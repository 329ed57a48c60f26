// The line's estimate (server/estimate.ts): from recent run lengths and the runs going, when
// the waiter at each place starts; nothing said before a run has ended.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunClock } from '../server/estimate';

describe('run clock', () => {
  it('says nothing until a run has ended', () => {
    const clock = new RunClock(() => 0);
    clock.start('a');
    assert.equal(clock.average(), null);
    assert.equal(clock.waitFor(1, 1), null);
  });

  it('one slot: each place waits one more average run, less what the run going has done', () => {
    let now = 0;
    const clock = new RunClock(() => now);
    clock.start('a');
    now = 4000;
    clock.end('a');
    clock.start('b');
    now = 5000; // b has run 1 s of its about 4
    assert.deepEqual([1, 2, 3].map((p) => clock.waitFor(p, 1)), [3000, 7000, 11000]);
  });

  it('several slots free in turn; a run past the average is taken to end now', () => {
    let now = 0;
    const clock = new RunClock(() => now);
    for (const [id, len] of [['a', 2000], ['b', 2000]] as const) {
      clock.start(id);
      now += len;
      clock.end(id);
    }
    // average 2 s; two slots: c has run 3 s (overdue), d 0.5 s
    clock.start('c');
    now += 2500;
    clock.start('d');
    now += 500;
    assert.deepEqual([1, 2, 3, 4].map((p) => clock.waitFor(p, 2)), [0, 1500, 2000, 3500]);
  });

  it("a shared line counts the runs going on the pool's other servers too", () => {
    let now = 0;
    const clock = new RunClock(() => now);
    clock.start('a');
    now = 4000;
    clock.end('a');
    // none going here; the other server's run started 1 s ago holds the one slot
    assert.equal(clock.waitFor(1, 1), 0);
    assert.equal(clock.waitFor(1, 1, [3000]), 3000);
  });

  it('keeps the recent lengths only', () => {
    let now = 0;
    const clock = new RunClock(() => now);
    for (let i = 0; i < 30; i++) {
      clock.start(`r${i}`);
      now += i < 10 ? 10_000 : 1000;
      clock.end(`r${i}`);
    }
    assert.equal(clock.average(), 1000);
  });
});
