// Each limit of DESIGN.md is enforced and said so where the user sees it.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { DEFAULT_LIMITS } from '../lib/scenario';
import { validateScenario } from '../lib/validate';
import { Run } from '../server/run/run';
import { outcome, runIt, scenario, waitFor } from './helpers';

describe('limits', () => {
  it('processes and channels per run', () => {
    const many = scenario(Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`p${i}`, ''])));
    const r = validateScenario(many);
    assert.equal(r.ok, false);
    assert.deepEqual(!r.ok && r.errors.map((e) => e.place), ['processes']);
    const chans = scenario({ a: '', b: '' }, Array.from({ length: 33 }, (_, i) => [`c${i}`, 'a', 'b', 'pipe'] as [string, string, string, 'pipe']));
    const r2 = validateScenario(chans);
    assert.match(!r2.ok ? r2.errors[0].message : '', /33 channels is over the limit of 32/);
  });
  it('output per process: cut with a visible notice, the run goes on', async () => {
    const limits = { ...DEFAULT_LIMITS, stdoutBytes: 1000 };
    const r = await runIt(scenario({ chatty: 'repeat 200 {\n  print "0123456789"\n}\nprint "end"' }), { limits });
    assert.equal(outcome(r.end, 'chatty'), 'exited 0');
    const shown = r.stdout('chatty');
    assert.equal(shown.length, 1000);
    const notice = r.events.find((e) => e.type === 'notice' && e.proc === 'chatty');
    assert.match(notice && notice.type === 'notice' ? notice.message : '', /output limit of 1000 B reached/);
  });
  it('message size: a literal over the limit is a check error, a built one a runtime error', async () => {
    const limits = { ...DEFAULT_LIMITS, messageBytes: 8 };
    const bad = validateScenario(scenario({ a: 'send c1 "123456789"', b: 'recv c1 as m' }, [['c1', 'a', 'b', 'pipe']]), limits);
    assert.match(!bad.ok ? `${bad.errors[0].place} ${bad.errors[0].message}` : '', /processes\[0\]\.program:1:\d+ .*8/);
    const r = await runIt(scenario({ a: 'set s = "12345"\nsend c1 s + s', b: 'recv c1 as m' }, [['c1', 'a', 'b', 'pipe']]), { limits });
    assert.equal(outcome(r.end, 'a'), 'exited 1');
    assert.match(r.events.map((e) => (e.type === 'stderr' ? e.text : '')).join(''), /line 2: send c1: message of 10 bytes is over the limit of 8/);
  });
  it('wall time: the time limit ends the run with reason timeout', async () => {
    const r = await runIt(scenario({ a: 'sleep 10000' }), { timeoutMs: 300 });
    assert.equal(r.end.reason, 'timeout');
    // killed, so the limit cut the 10 s sleep short; and not before the limit was up
    assert.equal(outcome(r.end, 'a'), 'killed by SIGTERM');
    assert.ok(r.end.ms >= 300, `ended at ${r.end.ms} ms`);
  });
  it('runs at once in all: the next one is refused with a clear message', async () => {
    const limits = { ...DEFAULT_LIMITS, runsTotal: 2 };
    const a = await Run.start(scenario({ a: 'sleep 5000' }), { limits });
    const b = await Run.start(scenario({ a: 'sleep 5000' }), { limits });
    const c = await Run.start(scenario({ a: 'sleep 5000' }), { limits });
    assert.ok(a.ok && b.ok);
    assert.equal(c.ok, false);
    assert.match(!c.ok ? c.errors[0].message : '', /2 runs are already going on this server \(the limit is 2 at once\)/);
    if (a.ok) await a.run.stop();
    if (b.ok) await b.run.stop();
    const d = await Run.start(scenario({ a: 'print "again"' }), { limits });
    assert.ok(d.ok);
    if (d.ok) await d.run.done;
  });
  it('run processes have rlimits: open files, file size, address space, no core files', async () => {
    await runIt(scenario({ a: 'sleep 2000' }), {}, async (run, events) => {
      const ev = (await waitFor(events, (e) => e.type === 'state' && e.state === 'sleeping')) && events.find((e) => e.type === 'run');
      const pid = ev?.type === 'run' ? ev.processes[0].pid : 0;
      const limits = fs.readFileSync(`/proc/${pid}/limits`, 'utf8');
      const soft = (name: string) => new RegExp(`^${name}\\s+(\\S+)`, 'm').exec(limits)?.[1];
      assert.equal(soft('Max open files'), '256');
      assert.equal(soft('Max file size'), String(64 << 20));
      assert.equal(soft('Max address space'), String(2 ** 30));
      assert.equal(soft('Max core file size'), '0');
      await run.stop();
    });
  });
});
