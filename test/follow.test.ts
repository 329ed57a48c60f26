// What a presenter sends its followers (server/follow.ts cleanUpdate): the known fields, of
// the known types, bounded; unknown fields are dropped, a scenario too big is not looked at.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_LIMITS, scenarioMaxSize, sizeOver } from '../lib/scenario';
import { cleanUpdate } from '../server/follow';
import { scenario } from './helpers';

const view = { selection: { nodes: ['a'], edges: ['c1'] }, dockTab: 'trace', inspectorTab: 'program', sps: 5, trace: true };

describe('follow updates', () => {
  it('a good update passes whole', () => {
    const s = scenario({ a: 'print "hi"' });
    const u = cleanUpdate({ scenario: s, view }, DEFAULT_LIMITS);
    assert.deepEqual(u.view, view);
    assert.equal(u.scenario?.processes[0].program, 'print "hi"');
  });

  it('unknown fields are dropped, at every level', () => {
    const junk = 'x'.repeat(100_000);
    const s = { ...scenario({ a: 'print "hi"' }), junk };
    s.processes = s.processes.map((p) => ({ ...p, junk }));
    const u = cleanUpdate({ scenario: s, view: { ...view, junk, selection: { ...view.selection, junk } }, junk }, DEFAULT_LIMITS);
    assert.deepEqual(Object.keys(u).sort(), ['scenario', 'view']);
    assert.doesNotMatch(JSON.stringify(u), /junk/);
  });

  it('sizes are bounded: long ids, too many ids, odd words make the view go; a bad view keeps a good scenario', () => {
    const s = scenario({ a: '' });
    for (const bad of [
      { selection: { nodes: ['x'.repeat(65)], edges: [] } },
      { selection: { nodes: Array.from({ length: 65 }, (_, i) => `n${i}`), edges: [] } },
      { ...view, dockTab: 'Trace<script>' },
      { ...view, sps: -1 },
      { ...view, sps: Infinity },
      { selection: 'all' },
      null,
    ]) {
      const u = cleanUpdate({ scenario: s, view: bad }, DEFAULT_LIMITS);
      assert.equal(u.view, undefined, JSON.stringify(bad)?.slice(0, 80));
      assert.ok(u.scenario);
    }
  });

  it('a scenario that is not one, or is too big, is left out; the view still goes', () => {
    const huge = scenario({ a: 'x'.repeat(scenarioMaxSize(DEFAULT_LIMITS)) });
    for (const bad of [huge, { version: 1 }, 'scenario', 42]) {
      const u = cleanUpdate({ scenario: bad, view }, DEFAULT_LIMITS);
      assert.equal(u.scenario, undefined);
      assert.deepEqual(u.view, view);
    }
    for (const bad of [null, 'x', [], 5]) assert.deepEqual(cleanUpdate(bad, DEFAULT_LIMITS), {});
  });
});

describe('size bound', () => {
  it('counts strings, keys and values, and stops as soon as it is over', () => {
    assert.equal(sizeOver({ a: 'xyz' }, 100), false);
    assert.equal(sizeOver('x'.repeat(101), 100), true);
    assert.equal(sizeOver(Array.from({ length: 1000 }, () => 1), 100), true);
    // deep nesting costs no stack
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    assert.equal(sizeOver(deep, 1_000_000), false);
    assert.equal(sizeOver(deep, 1000), true);
  });

  it('a scenario at the default limits fits under the bound', () => {
    const s = scenario(Object.fromEntries(Array.from({ length: DEFAULT_LIMITS.maxProcesses }, (_, i) => [`p${i}`, 'x'.repeat(DEFAULT_LIMITS.programChars)])));
    assert.equal(sizeOver(s, scenarioMaxSize(DEFAULT_LIMITS)), false, 'a scenario at its limits fits');
  });
});
