// Token buckets (server/ratelimit.ts): a burst, then a steady rate, and the time to wait.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RateLimiter, waitMessage } from '../server/ratelimit';

describe('rate limiter', () => {
  it('a burst, then refusals that say how long to wait, then tokens come back with time', () => {
    let now = 0;
    const r = new RateLimiter({ burst: 3, perSecond: 2 }, () => now);
    assert.deepEqual([r.take('a'), r.take('a'), r.take('a')], [0, 0, 0]);
    assert.equal(r.take('a'), 500);
    assert.equal(r.take('b'), 0, 'keys are apart');
    now += 500;
    assert.equal(r.take('a'), 0);
    assert.equal(r.take('a'), 500);
  });

  it('costs: a heavy event takes more, and waits for all of it', () => {
    let now = 0;
    const r = new RateLimiter({ burst: 10, perSecond: 5 }, () => now);
    assert.equal(r.take('a', 8), 0);
    assert.equal(r.take('a', 5), 600);
    now += 600;
    assert.equal(r.take('a', 5), 0);
  });

  it('wait looks without spending', () => {
    const r = new RateLimiter({ burst: 1, perSecond: 1 }, () => 0);
    assert.equal(r.wait('a'), 0);
    assert.equal(r.wait('a'), 0);
    assert.equal(r.take('a'), 0);
    assert.equal(r.wait('a'), 1000);
  });

  it('idle keys are forgotten once full, so a flood of keys holds no memory', () => {
    let now = 0;
    const r = new RateLimiter({ burst: 2, perSecond: 100 }, () => now);
    for (let i = 0; i < 10_000; i++) r.take(`k${i}`);
    now += 1000;
    r.take('new');
    assert.equal(r.size, 1);
  });

  it('the message says how long, in whole seconds, at least 1', () => {
    assert.equal(waitMessage(1), 'too many requests: wait 1 s');
    assert.equal(waitMessage(1500), 'too many requests: wait 2 s');
  });
});
