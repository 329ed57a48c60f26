// A CI-sized soak (`npm run soak -- --runs 500` is the full one): randomized runs over every
// mechanism, ended every way, three at a time; nothing may be left on the host.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { leftoverCount, soak } from './harness/soak';

it('24 randomized runs leave nothing behind', async () => {
  const rep = await soak({ runs: 24, seed: 2026, parallel: 3 });
  assert.equal(rep.runs, 24);
  assert.equal(leftoverCount(rep), 0, JSON.stringify({ runs: rep.runLeftovers, ...rep.final }, null, 1));
});
