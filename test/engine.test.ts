// The run lifecycle and every mechanism, against the real kernel: blocking is real and
// visible in the event stream, EOF and EPIPE behave as in C, signals reach handlers,
// Stop and the time limit leave nothing behind, runs do not see each other.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import type { RunEvent } from '../lib/events';
import type { MechanismId } from '../lib/mechanisms';
import { hostPidsOf } from '../server/run/objects';
import { hostLeftovers, nsOf, outcome, processesInIpcNs, runIt, scenario, sysvIds, waitFor } from './helpers';

type StateEv = Extract<RunEvent, { type: 'state' }>;

function states(events: RunEvent[], proc: string): StateEv[] {
  return events.filter((e): e is StateEv => e.type === 'state' && e.proc === proc);
}

/**
 * `waiter` blocks in `call` until `other` acts after sleeping 400 ms: the blocked state must
 * come well before the other acts, and the wake-up after it. Times are taken from the
 * other's first statement, so a slow start on a loaded machine does not matter.
 */
async function assertBlocksUntil(mech: MechanismId, waiter: string, other: string, call: string, options?: Record<string, number | string>, otherFirst = 'sleep 400') {
  const r = await runIt(scenario({ w: waiter, o: `${otherFirst}\n${other}` }, [['c1', 'o', 'w', mech, options]]));
  assert.equal(outcome(r.end, 'w'), 'exited 0', r.stdout('w'));
  assert.equal(outcome(r.end, 'o'), 'exited 0');
  const st = states(r.events, 'w');
  const blocked = st.find((e) => e.state === 'blocked');
  assert.ok(blocked, `no blocked state in ${JSON.stringify(st)}`);
  assert.equal(blocked.call, call);
  assert.equal(blocked.channel, 'c1');
  const otherStart = r.events.find((e) => e.type === 'line' && e.proc === 'o')!.t;
  assert.ok(blocked.t < otherStart + 300, `blocked at ${blocked.t}, the other started at ${otherStart}`);
  const woke = st.find((e) => e.t > blocked.t && e.state === 'running');
  assert.ok(woke && woke.t >= otherStart + 390, `woke at ${woke?.t}, the other started at ${otherStart}`);
  assert.deepEqual(r.end.leftovers, []);
  return r;
}

describe('blocking is real and visible', () => {
  it('a pipe reader blocks in read() until the writer writes', async () => {
    const r = await assertBlocksUntil('pipe', 'recv c1 as m\nprint m', 'send c1 "late"', 'read');
    assert.equal(r.stdout('w'), 'late\n');
  });
  it('a FIFO open blocks until the other side opens', async () => {
    await assertBlocksUntil('fifo', 'recv c1 as m\nprint m', 'send c1 "x"', 'open');
  });
  it('a semaphore wait blocks until a post', async () => {
    await assertBlocksUntil('sem-named', 'wait c1', 'post c1', 'sem_wait', { initial: 0 });
    await assertBlocksUntil('sem-unnamed', 'wait c1', 'post c1', 'sem_wait', { initial: 0 });
  });
  it('F_SETLKW blocks until the holder unlocks', async () => {
    const r = await runIt(scenario({ w: 'sleep 100\nlock c1\nprint "got it"', o: 'lock c1\nsleep 500\nunlock c1' }, [['c1', 'o', 'w', 'file']]));
    const blocked = states(r.events, 'w').find((e) => e.state === 'blocked');
    assert.equal(blocked?.call, 'fcntl');
    const holder = r.events.find((e) => e.type === 'object' && e.state.holder === 'o' && e.state.waiters?.includes('w'));
    assert.ok(holder, 'the file lock view names the holder and the waiter');
    const out = r.events.find((e) => e.type === 'stdout' && e.proc === 'w');
    const oStart = r.events.find((e) => e.type === 'line' && e.proc === 'o')!.t;
    assert.ok(out && out.t >= oStart + 490, `lock taken at ${out?.t}, holder started at ${oStart}`);
  });
  it('a queue receive blocks until a send', async () => {
    await assertBlocksUntil('mq-sysv', 'recv c1 as m', 'send c1 "m"', 'msgrcv');
    await assertBlocksUntil('mq-posix', 'recv c1 as m', 'send c1 "m"', 'mq_receive');
  });
  it('accept blocks until connect', async () => {
    await assertBlocksUntil('tcp', 'recv c1 as m', 'send c1 "m"', 'accept', undefined);
    await assertBlocksUntil('unix-stream', 'recv c1 as m', 'send c1 "m"', 'accept', undefined);
  });
  it('a datagram receive blocks until a datagram arrives', async () => {
    await assertBlocksUntil('udp', 'recv c1 as m', 'send c1 "m"', 'recvfrom');
    await assertBlocksUntil('unix-dgram', 'recv c1 as m', 'send c1 "m"', 'recvfrom');
  });
  it('a signal wait blocks until the signal comes', async () => {
    // the C waits for a counted delivery with sigsuspend(2), so that a signal between the look and the sleep is not lost
    await assertBlocksUntil('signal', 'recv c1', 'send c1', 'sigsuspend', { signal: 'SIGUSR2' });
  });
});

describe('end of file and broken pipes', () => {
  it('EOF comes when the last writer closes', async () => {
    const r = await runIt(scenario({ w: 'send c1 "a"\nsleep 100\nclose c1\nsleep 300', rd: 'while recv c1 as m {\n  print "got {m}"\n}\nprint "eof"' }, [['c1', 'w', 'rd', 'pipe']]));
    assert.equal(r.stdout('rd'), 'got a\neof\n');
    const eof = r.events.find((e) => e.type === 'stdout' && e.proc === 'rd' && e.text.includes('eof'))!;
    const wExit = r.events.find((e) => e.type === 'exit' && e.proc === 'w')!;
    assert.ok(eof.t < wExit.t - 100, 'EOF at close, not at the writer exit');
  });
  it('EOF on a stream socket when the peer closes', async () => {
    const r = await runIt(scenario({ c: 'send c1 "hi"\nclose c1\nsleep 300', s: 'while recv c1 as m {\n  print m\n}\nprint "closed"' }, [['c1', 'c', 's', 'tcp']]));
    assert.equal(r.stdout('s'), 'hi\nclosed\n');
  });
  it('writing with no reader left: EPIPE, SIGPIPE reported, killed by SIGPIPE', async () => {
    const r = await runIt(scenario({ w: 'sleep 300\nsend c1 "nobody"\nprint "not reached"', rd: 'close c1' }, [['c1', 'w', 'rd', 'pipe']]), { trace: true });
    assert.equal(outcome(r.end, 'w'), 'killed by SIGPIPE');
    assert.equal(r.stdout('w'), '');
    const write = r.events.find((e) => e.type === 'syscall' && e.proc === 'w' && e.name === 'write' && e.errno === 'EPIPE');
    assert.ok(write, 'the trace shows write() failing with EPIPE');
    assert.ok(r.events.some((e) => e.type === 'signal' && e.signal === 'SIGPIPE' && e.to === 'w'));
  });
  it('a loop of one constant send (the fast path) still pauses, takes signals, counts, and dies of EPIPE', async () => {
    type Counters = Extract<RunEvent, { type: 'counters' }>;
    const sends = (events: RunEvent[]) => events.filter((e): e is Counters => e.type === 'counters' && e.proc === 'w').at(-1)?.sends ?? 0;
    const r = await runIt(
      scenario({ w: 'on SIGUSR1 {\n  print "usr1"\n}\nrepeat 30000000 {\n  send c1 "abc"\n}\nprint "done"', rd: 'repeat 300 {\n  recv c1 65536\n  sleep 5\n}' }, [['c1', 'w', 'rd', 'pipe']]),
      {},
      async (run, events) => {
        await waitFor(events, (e) => e.type === 'counters' && e.proc === 'w' && e.sends > 1000);
        run.pause('w');
        await waitFor(events, (e) => e.type === 'state' && e.proc === 'w' && e.state === 'paused');
        const at = sends(events);
        await new Promise((res) => setTimeout(res, 300));
        assert.equal(sends(events), at, 'no send while paused');
        run.signal('w', 'SIGUSR1');
        run.resume('w');
        await waitFor(events, (e) => e.type === 'stdout' && e.proc === 'w' && e.text.includes('usr1'));
      },
    );
    // the reader stops reading and exits: the writer, on the full pipe, gets EPIPE
    assert.equal(outcome(r.end, 'w'), 'killed by SIGPIPE');
    assert.equal(r.stdout('w'), 'usr1\n');
    const c = r.end.channels.find((x) => x.id === 'c1')!;
    assert.ok(c.sends > 1000 && c.sends < 30_000_000, `${c.sends} sends`);
    assert.equal(c.bytes, c.sends * 3);
  });
  it('with an on SIGPIPE handler the process survives', async () => {
    const r = await runIt(scenario({ w: 'on SIGPIPE {\n  print "caught SIGPIPE"\n}\nsleep 300\nsend c1 "nobody"\nprint "still here"', rd: 'close c1' }, [['c1', 'w', 'rd', 'pipe']]));
    assert.equal(outcome(r.end, 'w'), 'exited 0');
    assert.equal(r.stdout('w'), 'caught SIGPIPE\nstill here\n');
    // write(2) failed with EPIPE: nothing was sent, and the counts say so
    assert.deepEqual(r.end.channels.find((c) => c.id === 'c1'), { id: 'c1', sends: 0, recvs: 0, bytes: 0 });
  });
});

describe('signals', () => {
  it('a signal sent mid-run reaches its handler, even while the process is blocked', async () => {
    const r = await runIt(
      scenario({ p: 'on SIGUSR1 {\n  print "caught SIGUSR1"\n}\nrecv c1 as m\nprint "then {m}"', q: 'sleep 800\nsend c1 "data"' }, [['c1', 'q', 'p', 'pipe']]),
      {},
      async (run, events) => {
        await waitFor(events, (e) => e.type === 'state' && e.proc === 'p' && e.state === 'blocked');
        assert.ok(run.signal('p', 'SIGUSR1'));
      },
    );
    assert.equal(r.stdout('p'), 'caught SIGUSR1\nthen data\n');
    const phases = r.events.filter((e) => e.type === 'signal' && e.signal === 'SIGUSR1').map((e) => (e as { phase: string }).phase);
    assert.deepEqual(phases, ['sent', 'delivered', 'handled']);
  });
  it('a handled signal that comes while paused runs its handler, and Resume resumes the program too', async () => {
    const r = await runIt(scenario({ p: 'on SIGUSR1 {\n  print "handler"\n}\nprint "before"\nsleep 100\nprint "after"' }), {}, async (run, events) => {
      await waitFor(events, (e) => e.type === 'stdout' && e.text.includes('before'));
      run.pause('p');
      await waitFor(events, (e) => e.type === 'state' && e.proc === 'p' && e.state === 'paused');
      // the handler starts, and (the process being paused) waits at its first statement
      run.signal('p', 'SIGUSR1');
      await waitFor(events, (e) => e.type === 'signal' && e.phase === 'delivered' && e.to === 'p');
      await new Promise((res) => setTimeout(res, 100));
      run.resume('p');
    });
    assert.equal(r.end.reason, 'finished');
    assert.equal(r.stdout('p'), 'before\nhandler\nafter\n');
  });
  it('an unhandled SIGTERM kills the process: killed by SIGTERM', async () => {
    const r = await runIt(scenario({ p: 'sleep 5000' }), {}, async (run, events) => {
      await waitFor(events, (e) => e.type === 'state' && e.proc === 'p' && e.state === 'sleeping');
      run.signal('p', 'SIGTERM');
    });
    assert.equal(outcome(r.end, 'p'), 'killed by SIGTERM');
    assert.equal(r.end.reason, 'finished');
  });
  it('an unhandled SIGUSR1 kills as in C (no inspector starts)', async () => {
    const r = await runIt(scenario({ p: 'sleep 5000' }), {}, async (run, events) => {
      await waitFor(events, (e) => e.type === 'state' && e.proc === 'p' && e.state === 'sleeping');
      run.signal('p', 'SIGUSR1');
    });
    assert.equal(outcome(r.end, 'p'), 'killed by SIGUSR1');
  });
  it('signal PROCESS SIG from a program, and pause', async () => {
    const r = await runIt(scenario({ a: 'on SIGUSR2 {\n  print "a got USR2"\n}\npause\nprint "after pause"', b: 'sleep 200\nsignal a SIGUSR2' }));
    assert.equal(r.stdout('a'), 'a got USR2\nafter pause\n');
  });
  it('SIGSTOP shows the process stopped; SIGCONT resumes it', async () => {
    const r = await runIt(scenario({ p: 'sleep 600\nprint "done"' }), {}, async (run, events) => {
      await waitFor(events, (e) => e.type === 'state' && e.proc === 'p' && e.state === 'sleeping');
      run.signal('p', 'SIGSTOP');
      await waitFor(events, (e) => e.type === 'state' && e.proc === 'p' && e.state === 'stopped');
      run.signal('p', 'SIGCONT');
    });
    assert.equal(r.stdout('p'), 'done\n');
  });
});

const BLOCKERS: [MechanismId, string, string, Record<string, number | string>?][] = [
  ['pipe', 'recv c1 as m', 'sleep 60000'],
  ['fifo', 'recv c1 as m', 'sleep 60000'],
  ['signal', 'recv c1', 'sleep 60000'],
  ['file', 'sleep 200\nlock c1', 'lock c1\nsleep 60000'],
  ['sem-named', 'wait c1', 'sleep 60000'],
  ['sem-unnamed', 'wait c1', 'sleep 60000'],
  ['shm-posix', 'read c1 4 as x\npause', 'write c1 "x"\nsleep 60000'],
  ['shm-sysv', 'read c1 4 as x\npause', 'sleep 60000'],
  ['shm-file', 'pause', 'sleep 60000'],
  ['shm-anon', 'pause', 'sleep 60000'],
  ['mq-sysv', 'recv c1 as m', 'sleep 60000'],
  ['mq-posix', 'recv c1 as m', 'sleep 60000'],
  ['tcp', 'recv c1 as m', 'sleep 60000'],
  ['udp', 'recv c1 as m', 'sleep 60000'],
  ['unix-stream', 'recv c1 as m', 'sleep 60000'],
  ['unix-dgram', 'recv c1 as m', 'sleep 60000'],
];

const ipcNs = (pid: number | 'self') => nsOf(pid, 'ipc');
const netNs = (pid: number | 'self') => nsOf(pid, 'net');

describe('nothing is left behind', () => {
  for (const namespaces of [true, false]) {
  it(`Stop with processes blocked in every kind of call (${namespaces ? 'own namespaces' : 'run-id naming'})`, async () => {
    const before = sysvIds();
    let ns = '';
    let isolated = false;
    const procs: Record<string, string> = {};
    const chans: Parameters<typeof scenario>[1] = [];
    BLOCKERS.forEach(([mech, waiter, other, opts], i) => {
      procs[`w${i}`] = waiter;
      procs[`o${i}`] = other;
      chans.push([`c${i}`, `o${i}`, `w${i}`, mech, opts]);
    });
    // channel names in programs are c1; rename per pair
    for (let i = 0; i < BLOCKERS.length; i++) {
      procs[`w${i}`] = procs[`w${i}`].replaceAll('c1', `c${i}`);
      procs[`o${i}`] = procs[`o${i}`].replaceAll('c1', `c${i}`);
    }
    const sc = scenario(procs, chans);
    const r = await runIt(sc, { namespaces, limits: { ...(await import('../lib/scenario')).DEFAULT_LIMITS, maxProcesses: 32 } }, async (run, events) => {
      for (let i = 0; i < BLOCKERS.length; i++) {
        await waitFor(events, (e) => e.type === 'state' && e.proc === `w${i}` && (e.state === 'blocked' || e.state === 'sleeping'));
      }
      const runEv = events.find((e) => e.type === 'run') as Extract<RunEvent, { type: 'run' }>;
      const pid = runEv.processes[0].pid;
      // (a host that refuses namespaces runs every run by naming alone)
      isolated = runEv.isolation === 'namespaces';
      assert.ok(namespaces || !isolated);
      ns = ipcNs(pid);
      // the SysV queue and segment exist where the run's processes see them, and only there
      assert.equal(sysvIds(undefined, pid).length, 2);
      assert.equal(sysvIds().length - before.length, isolated ? 0 : 2);
      await run.stop();
    });
    assert.equal(r.end.reason, 'stopped');
    assert.deepEqual(r.end.leftovers, []);
    for (const p of r.end.processes) assert.match(p.outcome, /killed by SIG(TERM|KILL)/, p.id);
    assert.deepEqual(hostLeftovers(r.run.id), []);
    assert.deepEqual(sysvIds(), before);
    // No process of the run is left in its namespace, so the kernel has freed it. Only the run's
    // own count: a freed namespace's inode number is soon reused by the next namespace made
    // (another test's run, at the same time), whose processes would otherwise be counted here
    // (that was the rare "process still alive in the run's namespace" after Stop).
    if (isolated) {
      assert.deepEqual(processesInIpcNs(ns).filter((pid) => hostPidsOf(r.run.id).includes(Number(pid))), [], 'no process of the run is left in its namespace');
      const held = fs.readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return fs.readlinkSync(`/proc/self/fd/${fd}`) === ns;
        } catch {
          return false;
        }
      });
      assert.deepEqual(held, [], 'nor a descriptor of the server: nothing holds the namespace, the kernel frees it');
    }
  });
  }
  it('the time limit ends a deadlock cleanly', async () => {
    const r = await runIt(
      scenario({ p1: 'wait a\nsleep 100\nwait b', p2: 'wait b\nsleep 100\nwait a' }, [['a', 'p1', 'p2', 'sem-named', { initial: 1 }], ['b', 'p1', 'p2', 'sem-named', { initial: 1 }]]),
      { timeoutMs: 1000 },
    );
    assert.equal(r.end.reason, 'timeout');
    assert.deepEqual(r.end.leftovers, []);
    assert.deepEqual(hostLeftovers(r.run.id), []);
    const blocked = r.events.filter((e) => e.type === 'state' && e.state === 'blocked').map((e) => (e as StateEv).proc);
    assert.deepEqual([...new Set(blocked)].sort(), ['p1', 'p2']);
  });
});

describe('runs', () => {
  it('two runs of the same scenario at the same time both succeed', async () => {
    const sc = scenario({ a: 'repeat 50 {\n  send c1 "x{i}"\n  recv c2\n}\nprint "a done"', b: 'repeat 50 {\n  recv c1 as m\n  send c2\n}\nprint "b done"' }, [['c1', 'a', 'b', 'mq-posix'], ['c2', 'b', 'a', 'sem-named']]);
    const [r1, r2] = await Promise.all([runIt(sc), runIt(sc)]);
    for (const r of [r1, r2]) {
      assert.equal(r.stdout('a'), 'a done\n');
      assert.equal(r.stdout('b'), 'b done\n');
      assert.deepEqual(r.end.leftovers, []);
    }
    assert.notEqual(r1.run.id, r2.run.id);
  });
  it('each run has its own IPC and network namespace, where TCP on 127.0.0.1 works', async (t) => {
    const sc = scenario({ srv: 'recv c1 as m\nprint "got {m}"\nrecv c2 as q', cli: 'send c1 "hi"\nsleep 60000' }, [['c1', 'cli', 'srv', 'tcp'], ['c2', 'cli', 'srv', 'mq-sysv']]);
    const seen: { ipc: string; net: string }[][] = [];
    const during = async (run: { stop(): Promise<void> }, events: RunEvent[]) => {
      const ev = (await waitFor(events, (e) => e.type === 'run')) as Extract<RunEvent, { type: 'run' }>;
      if (ev.isolation !== 'namespaces') return void run.stop();
      await waitFor(events, (e) => e.type === 'state' && e.proc === 'srv' && e.state === 'blocked' && e.call === 'msgrcv');
      seen.push(ev.processes.map((p) => ({ ipc: ipcNs(p.pid), net: netNs(p.pid) })));
      // both runs alive at once, so that their namespaces are both in use when compared
      for (const until = Date.now() + 10_000; seen.length < 2 && Date.now() < until; ) await new Promise((res) => setTimeout(res, 10));
      await run.stop();
    };
    const [r1, r2] = await Promise.all([runIt(sc, {}, during), runIt(sc, {}, during)]);
    if (seen.length < 2) return t.skip('this host does not allow new namespaces: runs are isolated by naming');
    for (const r of [r1, r2]) assert.equal(r.stdout('srv'), 'got hi\n');
    const [a, b] = seen;
    assert.deepEqual(a[0], a[1], 'the processes of a run share its namespaces');
    assert.notEqual(a[0].ipc, b[0].ipc, 'two runs do not');
    assert.notEqual(a[0].net, b[0].net);
    assert.notEqual(a[0].ipc, ipcNs('self'), 'nor the server');
    assert.notEqual(a[0].net, netNs('self'));
  });
  it('step mode: Step on one process advances only that process', async () => {
    const r = await runIt(scenario({ a: 'print "a1"\nprint "a2"\nprint "a3"', b: 'print "b1"\nprint "b2"' }), { paused: true }, async (run, events) => {
      await waitFor(events, (e) => e.type === 'state' && e.proc === 'a' && e.state === 'paused');
      await waitFor(events, (e) => e.type === 'state' && e.proc === 'b' && e.state === 'paused');
      run.step('a');
      await waitFor(events, (e) => e.type === 'line' && e.proc === 'a' && e.line === 2);
      await new Promise((res) => setTimeout(res, 300));
      const lines = (p: string) => events.filter((e) => e.type === 'line' && e.proc === p).map((e) => (e as { line: number }).line);
      assert.deepEqual(lines('a'), [1, 2]);
      assert.deepEqual(lines('b'), [1]);
      assert.ok(!events.some((e) => e.type === 'stdout' && e.proc === 'b'));
      run.resume();
    });
    assert.equal(r.stdout('a'), 'a1\na2\na3\n');
    assert.equal(r.stdout('b'), 'b1\nb2\n');
  });
  it('slow motion runs about the given statements per second and reports each line', async () => {
    const r = await runIt(scenario({ a: 'set x = 1\nset x = 2\nset x = 3\nset x = 4\nset x = 5' }), { sps: 10 });
    const lines = r.events.filter((e) => e.type === 'line').map((e) => (e as { line: number }).line);
    assert.deepEqual(lines, [1, 2, 3, 4, 5]);
    assert.ok(r.end.ms >= 450, `took ${r.end.ms} ms`);
  });
  it('at full speed a flood stays bounded: counters, no per-call events', async () => {
    const frames: number[] = [];
    const r = await runIt(scenario({ w: 'repeat 100000 {\n  send c1 "0123456789"\n}', rd: 'while recv c1 65536 {\n}' }, [['c1', 'w', 'rd', 'pipe']]));
    frames.push(r.events.length);
    assert.equal(outcome(r.end, 'w'), 'exited 0');
    assert.ok(r.events.length < 2000, `${r.events.length} events`);
    const c = r.end.channels.find((x) => x.id === 'c1')!;
    assert.equal(c.sends, 100000);
    assert.equal(c.bytes, 1_000_000);
  });
  it('with the trace on, a flood that overflows the ring still shows its lines as they are printed', async () => {
    // records the full ring drops must not hold back the lines after them (nor everything else)
    const r = await runIt(
      scenario({ w: 'repeat 30 {\n  print "mark {i}"\n  repeat 3000 {\n    send c1 "0123456789"\n  }\n}\nsleep 3000', rd: 'while recv c1 65536 {\n}' }, [['c1', 'w', 'rd', 'pipe']]),
      { trace: true },
      async (_run, events) => {
        await waitFor(events, (e) => e.type === 'stdout' && e.text.includes('mark 30'), 2500);
      },
    );
    assert.equal(outcome(r.end, 'w'), 'exited 0');
    assert.equal((r.stdout('w').match(/mark \d+/g) ?? []).length, 30);
  });
  it('the trace reports syscalls with readable args, result and errno', async () => {
    const r = await runIt(scenario({ w: 'send c1 "hello"', rd: 'recv c1 5 as m' }, [['c1', 'w', 'rd', 'pipe']]), { trace: true });
    const write = r.events.find((e) => e.type === 'syscall' && e.name === 'write' && e.proc === 'w') as Extract<RunEvent, { type: 'syscall' }>;
    assert.ok(write);
    assert.match(write.args, /"hello"/);
    assert.equal(write.ret, '5');
    assert.equal(write.errno, null);
    assert.equal(write.channel, 'c1');
  });
});
