// What the kernel sees of a run process, by strace: the program's own calls, made once and
// blocking in the kernel (one read, a futex wait without a timeout for sem_wait, msgrcv without
// IPC_NOWAIT, a real pause), and nothing of the runtime's own (no timers, no signal handlers
// but the program's). The processes start paused at their first statement, strace attaches,
// then they resume.

import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { RunEvent } from '../lib/events';
import type { MechanismId } from '../lib/mechanisms';
import { outcome, runIt, scenario, waitFor } from './helpers';

const hasStrace = (() => {
  try {
    execFileSync('strace', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function tracerOf(pid: number): number {
  try {
    return Number(/^TracerPid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return -1;
  }
}

/** Runs the scenario under strace (attached while every process waits at its first statement); the trace of each process by name. */
async function traced(procs: Record<string, string>, channels: [string, string, string, MechanismId, Record<string, number | string>?][] = [], trace = false) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipcpg-strace-'));
  const tracers: ChildProcess[] = [];
  const files: Record<string, string> = {};
  try {
    const r = await runIt(scenario(procs, channels), { paused: true, trace }, async (run, events) => {
      const ev = (await waitFor(events, (e) => e.type === 'run')) as Extract<RunEvent, { type: 'run' }>;
      for (const p of ev.processes) await waitFor(events, (e) => e.type === 'state' && e.proc === p.id && e.state === 'paused');
      for (const p of ev.processes) {
        files[p.id] = path.join(dir, `${p.id}.trace`);
        tracers.push(spawn('strace', ['-qq', '-s', '64', '-o', files[p.id], '-p', String(p.pid)], { stdio: 'ignore' }));
      }
      for (const p of ev.processes) {
        for (const until = Date.now() + 10_000; tracerOf(p.pid) === 0 && Date.now() < until; ) await new Promise((res) => setTimeout(res, 10));
      }
      run.resume();
    });
    await Promise.all(tracers.map((t) => new Promise((res) => (t.exitCode !== null || t.signalCode !== null ? res(null) : t.once('exit', res)))));
    const traces = Object.fromEntries(Object.entries(files).map(([id, f]) => [id, fs.readFileSync(f, 'utf8').split('\n').filter(Boolean)]));
    return { r, trace: (id: string) => traces[id] };
  } finally {
    for (const t of tracers) if (t.exitCode === null) t.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Calls the runtime would make of its own if it emulated anything: none may appear. */
const NOT_OURS = /^(setitimer|alarm|timer_create|timer_settime|timerfd_\w+|epoll_\w+|poll|ppoll|select|pselect6|sem_timedwait|clock_nanosleep)\(/;

function assertNothingOfTheRuntime(lines: string[], handled: string[] = []): void {
  for (const l of lines) {
    assert.doesNotMatch(l, NOT_OURS, `a call of the runtime's own: ${l}`);
    const sa = /^rt_sigaction\((SIG\w+)/.exec(l);
    if (sa) assert.ok(handled.includes(sa[1]), `a signal handler the program did not ask for: ${l}`);
  }
}

describe('strace of a run process shows the program\'s own calls', { skip: !hasStrace && 'strace is not installed' }, () => {
  it('a pipe read is one read(2), blocking until the writer writes', async () => {
    const { r, trace } = await traced({ w: 'sleep 300\nsend c1 "hi"', rd: 'recv c1 as m\nprint m' }, [['c1', 'w', 'rd', 'pipe']]);
    assert.equal(r.stdout('rd'), 'hi\n');
    const rd = trace('rd');
    assertNothingOfTheRuntime(rd);
    const reads = rd.filter((l) => l.startsWith('read('));
    assert.equal(reads.length, 1, reads.join('\n'));
    assert.match(reads[0], /^read\(\d+, "hi", 1024\)\s+= 2$/);
    assert.match(rd.join('\n'), /write\(1, "hi\\n", 3\)\s+= 3/);
  });

  it('sem_wait is one futex wait with no timeout (no timed slices)', async () => {
    const { r, trace } = await traced({ w: 'wait c1\nprint "in"', p: 'sleep 300\npost c1' }, [['c1', 'p', 'w', 'sem-named', { initial: 0 }]]);
    assert.equal(r.stdout('w'), 'in\n');
    const w = trace('w');
    assertNothingOfTheRuntime(w);
    const waits = w.filter((l) => /^futex\(.*FUTEX_WAIT/.test(l));
    // the gate's wait while paused comes first; then sem_wait's: FUTEX_WAIT_BITSET, timeout NULL
    const semWaits = waits.filter((l) => /FUTEX_WAIT_BITSET/.test(l));
    assert.equal(semWaits.length, 1, waits.join('\n'));
    assert.match(semWaits[0], /, NULL, FUTEX_BITSET_MATCH_ANY\)/);
  });

  it('msgrcv blocks in the kernel, without IPC_NOWAIT', async () => {
    const { r, trace } = await traced({ w: 'recv c1 as m\nprint m', p: 'sleep 300\nsend c1 "q"' }, [['c1', 'p', 'w', 'mq-sysv']]);
    assert.equal(r.stdout('w'), 'q\n');
    const w = trace('w');
    assertNothingOfTheRuntime(w);
    const rcv = w.filter((l) => l.startsWith('msgrcv('));
    assert.equal(rcv.length, 1, rcv.join('\n'));
    assert.doesNotMatch(rcv[0], /IPC_NOWAIT/);
    assert.match(rcv[0], /= 1$/);
  });

  it('accept, and a descriptor passed with SCM_RIGHTS: the trace pane says what strace says', async () => {
    // a passes its connected Unix socket over the socketpair; b accepts that connection and receives the copy
    const { r, trace } = await traced(
      { a: 'send us "hi"\nsendfd sp us\nrecv sp as m', b: 'accept us as c\nrecvfd sp as d\nclose d\nrecv c 2 as m\nprint m\nsend sp "ok"' },
      [['us', 'a', 'b', 'unix-stream'], ['sp', 'a', 'b', 'socketpair']],
      true,
    );
    assert.equal(r.stdout('b'), 'hi\n');
    const shown = (proc: string, name: string) =>
      r.events.flatMap((e) => (e.type === 'syscall' && e.proc === proc && e.name === name ? [`${e.name}(${e.args}) = ${e.ret}`] : []));
    const kernel = (proc: string, name: string) => trace(proc).filter((l) => l.startsWith(`${name}(`)).map((l) => l.replace(/\s+= /, ' = '));
    for (const [proc, name] of [['b', 'accept'], ['a', 'sendmsg'], ['b', 'recvmsg']] as const) {
      assert.equal(shown(proc, name).length, 1, `${proc} ${name}: ${JSON.stringify(r.events.filter((e) => e.type === 'syscall' && e.proc === proc))}`);
      assert.deepEqual(shown(proc, name), kernel(proc, name));
    }
    assert.match(shown('b', 'recvmsg')[0], /cmsg_type=SCM_RIGHTS, cmsg_data=\[\d+\]/);
  });

  it('pause is a real pause(2), ended by the handler\'s signal; the handler is the program\'s sigaction', async () => {
    const { r, trace } = await traced({ w: 'on SIGUSR1 {\n  print "usr1"\n}\npause\nprint "after"', p: 'sleep 300\nsignal w SIGUSR1' });
    assert.equal(r.stdout('w'), 'usr1\nafter\n');
    assert.equal(outcome(r.end, 'w'), 'exited 0');
    const w = trace('w');
    assertNothingOfTheRuntime(w);
    const text = w.join('\n');
    assert.match(text, /pause\(\)\s+= \? ERESTARTNOHAND/);
    assert.match(text, /--- SIGUSR1 \{si_signo=SIGUSR1, si_code=SI_USER/);
    // no second pause: the signal ended it, as in C
    assert.equal(w.filter((l) => l.startsWith('pause(')).length, 1);
  });
});

describe('a run process under another tracer', { skip: spawnSync('gcc', ['--version']).status !== 0 && 'gcc not found' }, () => {
  it('still ends with its exit status when the tracer waits for its exit late', async (t) => {
    // a tracer is told of the exit first; the server can reap only after it, though the pidfd is readable at once
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipcpg-tracer-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const tracer = path.join(dir, 'late-tracer');
    const cc = spawnSync('gcc', ['-O2', '-Wall', '-Werror', '-o', tracer, path.join(import.meta.dirname, 'fixtures/late-tracer.c')], { encoding: 'utf8' });
    assert.equal(cc.status, 0, cc.stderr);
    const r = await runIt(scenario({ w: 'print "x"\nexit 3', k: 'sleep 100\nsignal w2 SIGTERM', w2: 'pause' }), { paused: true }, async (run, events) => {
      const ev = (await waitFor(events, (e) => e.type === 'run')) as Extract<RunEvent, { type: 'run' }>;
      for (const p of ev.processes) await waitFor(events, (e) => e.type === 'state' && e.proc === p.id && e.state === 'paused');
      for (const id of ['w', 'w2']) {
        const tr = spawn(tracer, [String(ev.processes.find((p) => p.id === id)!.pid), '400'], { stdio: ['ignore', 'pipe', 'inherit'] });
        // "seized", or its end (ptrace refused: it said why on stderr)
        const said = await new Promise((res) => {
          tr.stdout!.once('data', (d: Buffer) => res(d.toString().trim()));
          tr.once('exit', (code) => res(`tracer exited ${code}`));
        });
        assert.equal(said, 'seized');
      }
      run.resume();
    });
    assert.equal(r.stdout('w'), 'x\n');
    assert.equal(outcome(r.end, 'w'), 'exited 3');
    assert.equal(outcome(r.end, 'w2'), 'killed by SIGTERM');
  });
});
