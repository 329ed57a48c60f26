// Deadlock detection: the gallery deadlock through the real engine, then synthetic cases.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { findDeadlock, type Deadlock, type LiveChannel, type LiveProc } from '../lib/deadlock';
import type { RunEvent } from '../lib/events';
import type { MechanismId } from '../lib/mechanisms';
import { twoLinks } from '../lib/scenario';
import { runIt, scenario } from './helpers';

const root = path.resolve(import.meta.dirname, '..');

/**
 * Folds a run's events, in the order they arrived, into live state, as the UI does; calls
 * `each` after every event until the first process is ended by the time limit.
 */
function replay(events: RunEvent[], options: Record<string, Record<string, number | string> | undefined>, each: (procs: LiveProc[], chans: LiveChannel[], e: RunEvent) => void) {
  const procs = new Map<string, LiveProc>();
  const chans = new Map<string, LiveChannel>();
  for (const e of events) {
    if (e.type === 'run') {
      for (const p of e.processes) procs.set(p.id, { id: p.id, name: p.name, state: 'starting' });
      for (const c of e.channels) {
        const initial = options[c.id]?.initial;
        chans.set(c.id, { id: c.id, mechanism: c.mechanism, links: c.links, label: c.label, ...(typeof initial === 'number' ? { initial } : {}) });
      }
    } else if (e.type === 'state') {
      if (e.state === 'killed') break; // the time limit: what was before is what we judge
      const p = procs.get(e.proc)!;
      procs.set(e.proc, { id: p.id, name: p.name, state: e.state, call: e.call, channel: e.channel });
    } else if (e.type === 'exit' && e.signal === 'SIGTERM') {
      break;
    } else if (e.type === 'object') {
      chans.get(e.channel)!.state = e.state;
    }
    each([...procs.values()], [...chans.values()], e);
  }
}

async function runAndJudge(file: string | { sc: ReturnType<typeof scenario>; options: Record<string, Record<string, number | string> | undefined> }) {
  let sc: unknown;
  let options: Record<string, Record<string, number | string> | undefined>;
  if (typeof file === 'string') {
    const json = JSON.parse(fs.readFileSync(path.join(root, 'examples', file), 'utf8'));
    sc = json;
    options = Object.fromEntries(json.channels.map((c: { id: string; options?: Record<string, number | string> }) => [c.id, c.options]));
  } else {
    sc = file.sc;
    options = file.options;
  }
  const r = await runIt(sc, { timeoutMs: 1500 });
  assert.equal(r.end.reason, 'timeout', 'it must hang until the time limit');
  let first: Deadlock | null = null;
  let falseBefore = 0;
  let judged = 0;
  replay(r.events, options, (procs, chans) => {
    const d = findDeadlock(procs, chans);
    judged++;
    const allBlocked = procs.every((p) => p.state === 'blocked');
    if (!allBlocked) assert.equal(d, null, `no deadlock while not all are blocked: ${JSON.stringify(procs)}`);
    if (d && !first) first = d;
    if (!d && !first) falseBefore++;
  });
  assert.ok(judged > 3);
  assert.ok(falseBefore > 0, 'a moment without deadlock came first');
  return first as Deadlock | null;
}

describe('deadlock: real runs', () => {
  it('the gallery deadlock (two semaphores, opposite order): cycle p1 -> p2 with both channels', async () => {
    const d = await runAndJudge('deadlock.json');
    assert.ok(d, 'a deadlock is found once both are blocked');
    assert.equal(d.kind, 'cycle');
    assert.deepEqual(d.procs, ['p1', 'p2']);
    assert.deepEqual(d.channels, ['c2', 'c1']);
    assert.equal(d.explanation, 'p1 waits for lockB held by p2; p2 waits for lockA held by p1');
  });

  it('a ring of three pipes, each process reading from the previous one first', async () => {
    const sc = scenario(
      { a: 'recv c3 as m\nsend c1 "x"', b: 'recv c1 as m\nsend c2 "x"', c: 'recv c2 as m\nsend c3 "x"' },
      [['c1', 'a', 'b', 'pipe'], ['c2', 'b', 'c', 'pipe'], ['c3', 'c', 'a', 'pipe']],
    );
    const d = await runAndJudge({ sc, options: {} });
    assert.ok(d);
    assert.equal(d.kind, 'cycle');
    assert.deepEqual(d.procs, ['a', 'c', 'b']);
    assert.deepEqual(d.channels, ['c3', 'c2', 'c1']);
    assert.equal(d.explanation, 'a waits to read from c3, which only c writes to; c waits to read from c2, which only b writes to; b waits to read from c1, which only a writes to');
  });
});

// ---- synthetic ----

const blocked = (id: string, call: string, channel?: string): LiveProc => ({ id, state: 'blocked', call, ...(channel ? { channel } : {}) });
const ch = (id: string, mechanism: MechanismId, from: string, to: string, extra: Partial<LiveChannel> = {}): LiveChannel => ({ id, mechanism, links: twoLinks(from, to), ...extra });

describe('deadlock: synthetic', () => {
  it('file locks taken in opposite order', () => {
    const chans = [ch('f1', 'file', 'p1', 'p2', { label: 'fileA', state: { holder: 'p1', lockType: 'write' } }), ch('f2', 'file', 'p1', 'p2', { label: 'fileB', state: { holder: 'p2', lockType: 'write' } })];
    const d = findDeadlock([blocked('p1', 'fcntl', 'f2'), blocked('p2', 'fcntl', 'f1')], chans);
    assert.deepEqual(d, {
      procs: ['p1', 'p2'],
      channels: ['f2', 'f1'],
      explanation: 'p1 waits for the lock on fileB held by p2; p2 waits for the lock on fileA held by p1',
      kind: 'cycle',
    });
  });

  it('file lock: the holder from the sample wins over the other end; a holder that exited freed it', () => {
    // three processes on lock f: p3 holds it (per the sample) and waits on a pipe from p2
    const chans = [ch('f', 'file', 'p1', 'p2', { state: { holder: 'p3' } }), ch('c1', 'pipe', 'p2', 'p3'), ch('g', 'file', 'p2', 'p1', { state: { holder: 'p1' } })];
    const d = findDeadlock([blocked('p1', 'fcntl', 'f'), blocked('p2', 'fcntl', 'g'), blocked('p3', 'read', 'c1')], chans);
    assert.ok(d);
    assert.deepEqual(d.procs, ['p1', 'p3', 'p2']);
    const gone = findDeadlock([blocked('p1', 'fcntl', 'f'), { id: 'p3', state: 'exited' }, blocked('p2', 'fcntl', 'g')], chans);
    assert.equal(gone, null);
  });

  it('a pipe ring of three', () => {
    const chans = [ch('c1', 'pipe', 'a', 'b'), ch('c2', 'pipe', 'b', 'c'), ch('c3', 'pipe', 'c', 'a')];
    const d = findDeadlock([blocked('a', 'read', 'c3'), blocked('b', 'read', 'c1'), blocked('c', 'read', 'c2')], chans);
    assert.ok(d);
    assert.deepEqual(d.procs, ['a', 'c', 'b']);
    assert.deepEqual(d.channels, ['c3', 'c2', 'c1']);
    // bytes in a pipe the reader waits on: the sample says it is about to wake
    chans[2].state = { bytes: 3, readers: 1, writers: 1 };
    assert.equal(findDeadlock([blocked('a', 'read', 'c3'), blocked('b', 'read', 'c1'), blocked('c', 'read', 'c2')], chans), null);
  });

  it('reader and writer, the writer sleeping: no deadlock', () => {
    const chans = [ch('c1', 'pipe', 'w', 'r')];
    assert.equal(findDeadlock([{ id: 'w', state: 'sleeping' }, blocked('r', 'read', 'c1')], chans), null);
    assert.equal(findDeadlock([{ id: 'w', state: 'running' }, blocked('r', 'read', 'c1')], chans), null);
    assert.equal(findDeadlock([{ id: 'w', state: 'starting' }, blocked('r', 'read', 'c1')], chans), null);
  });

  it('a writer that exited wakes its reader (end of file): no deadlock', () => {
    const chans = [ch('c1', 'pipe', 'w', 'r'), ch('c2', 'pipe', 'r', 'x'), ch('c3', 'tcp', 'x', 'r')];
    assert.equal(findDeadlock([{ id: 'w', state: 'exited' }, blocked('r', 'read', 'c1'), blocked('x', 'read', 'c2')], chans), null);
    assert.equal(findDeadlock([{ id: 'w', state: 'killed' }, blocked('r', 'read', 'c1'), blocked('x', 'read', 'c2')], chans), null);
    // left out of the list altogether: taken as gone, so also woken
    assert.equal(findDeadlock([blocked('r', 'read', 'c1'), blocked('x', 'read', 'c2')], chans), null);
    // a blocked writer whose reader exited gets EPIPE
    assert.equal(findDeadlock([{ id: 'r', state: 'exited' }, blocked('w', 'write', 'c1')], chans), null);
  });

  it('but a queue whose sender exited never wakes its receiver: stuck, not a cycle', () => {
    const chans = [ch('q', 'mq-posix', 'w', 'r', { label: 'jobs', state: { messages: 0, bytes: 0 } }), ch('s', 'sem-named', 'r', 'x', { initial: 0 })];
    const d = findDeadlock([{ id: 'w', name: 'writer', state: 'exited' }, { ...blocked('r', 'mq_receive', 'q'), name: 'reader' }, blocked('x', 'sem_wait', 's')], chans);
    assert.ok(d);
    assert.equal(d.kind, 'stuck');
    assert.deepEqual(d.procs, ['r', 'x']);
    assert.deepEqual(d.channels, ['q', 's']);
    assert.equal(d.explanation, 'every process is blocked for good: reader waits for a message on jobs from writer (exited); x waits on semaphore s, which only reader can post');
    // a message already queued: it may well be for the receiver
    chans[0].state = { messages: 1 };
    assert.equal(findDeadlock([{ id: 'w', state: 'exited' }, blocked('r', 'mq_receive', 'q'), blocked('x', 'sem_wait', 's')], chans), null);
  });

  it('a semaphore with value > 0: not really stuck', () => {
    const chans = [ch('c1', 'sem-named', 'p1', 'p2', { label: 'lockA', state: { value: 1 } }), ch('c2', 'sem-unnamed', 'p1', 'p2', { label: 'lockB', state: { value: 0 } })];
    const procs = [blocked('p1', 'sem_wait', 'c2'), blocked('p2', 'sem_wait', 'c1')];
    assert.equal(findDeadlock(procs, chans), null);
    chans[0].state = { value: 0 };
    assert.deepEqual(findDeadlock(procs, chans)?.procs, ['p1', 'p2']);
  });

  it('semaphores used as signals (initial 0) are worded as posts', () => {
    const chans = [ch('c1', 'sem-named', 'p1', 'p2', { label: 'ready', initial: 0 }), ch('c2', 'sem-named', 'p1', 'p2', { label: 'done', initial: 0 })];
    const d = findDeadlock([blocked('p1', 'sem_wait', 'c2'), blocked('p2', 'sem_wait', 'c1')], chans);
    assert.equal(d?.explanation, 'p1 waits on semaphore done, which only p2 can post; p2 waits on semaphore ready, which only p1 can post');
  });

  it('everyone waiting on one semaphore at 0 is said so, not as a lock-order cycle', () => {
    const mutex = ch('c1', 'sem-named', 'p1', 'p2', { label: 'mutex', initial: 0, state: { value: 0 } });
    const d = findDeadlock([blocked('p1', 'sem_wait', 'c1'), blocked('p2', 'sem_wait', 'c1')], [mutex]);
    assert.equal(d?.explanation, 'both p1 and p2 wait on semaphore mutex, which is at 0, where it started: only they could post it, so nobody will');
    mutex.initial = 1;
    assert.equal(findDeadlock([blocked('p1', 'sem_wait', 'c1'), blocked('p2', 'sem_wait', 'c1')], [mutex])?.explanation, 'both p1 and p2 wait on semaphore mutex, which is at 0: only they could post it, so nobody will');
  });

  it('an object shared by four: all four waiting on one semaphore at 0 are named, not a cycle of two', () => {
    const turnstile: LiveChannel = { id: 't', label: 'turnstile', mechanism: 'sem-named', links: ['a', 'b', 'c', 'd'].map((p) => ({ process: p, end: 'from' as const })), initial: 0, state: { value: 0 } };
    const d = findDeadlock(['a', 'b', 'c', 'd'].map((p) => blocked(p, 'sem_wait', 't')), [turnstile]);
    assert.deepEqual(d, {
      procs: ['a', 'b', 'c', 'd'],
      channels: ['t', 't', 't', 't'],
      explanation: 'all of a, b, c and d wait on semaphore turnstile, which is at 0, where it started: only they could post it, so nobody will',
      kind: 'cycle',
    });
    // one of them gone without posting: the others are stuck, and it is named as the one who could have
    const left = findDeadlock([blocked('a', 'sem_wait', 't'), blocked('b', 'sem_wait', 't'), { id: 'c', state: 'exited' }, { id: 'd', state: 'exited' }], [turnstile]);
    assert.equal(left?.kind, 'cycle');
    assert.match(left!.explanation, /^both a and b wait on semaphore turnstile/);
  });

  it('a pipe with two writers: its reader waits for both, and a writer that is gone is no waker', () => {
    const p: LiveChannel = { id: 'p', mechanism: 'pipe', links: [{ process: 'w1', end: 'from' }, { process: 'w2', end: 'from' }, { process: 'r', end: 'to' }] };
    const sem = ch('s', 'sem-named', 'r', 'w2', { label: 'go', initial: 0, state: { value: 0 } });
    // r reads the pipe; w2 waits for r to post go; w1 is gone: its exit was no EOF (w2 still holds an end)
    const d = findDeadlock([blocked('r', 'read', 'p'), blocked('w2', 'sem_wait', 's'), { id: 'w1', state: 'exited' }], [p, sem]);
    assert.equal(d, null, 'conservative: a writer that exited might have been what the reader waited for');
    const both = findDeadlock([blocked('r', 'read', 'p'), blocked('w2', 'sem_wait', 's'), blocked('w1', 'sem_wait', 's')], [p, sem]);
    assert.ok(both);
    assert.match(both.explanation, /r waits to read from p, which only w1 writes to|r waits to read from p, which only w2 writes to/);
  });

  it('pause with no channel waits on every other live process', () => {
    const chans = [ch('c1', 'pipe', 'p1', 'p2')];
    const d = findDeadlock([blocked('p1', 'pause'), blocked('p2', 'read', 'c1')], chans);
    assert.ok(d);
    assert.equal(d.kind, 'cycle');
    assert.deepEqual(d.procs, ['p1', 'p2']);
    assert.deepEqual(d.channels, ['c1'], 'pause() adds no channel');
    assert.equal(d.explanation, 'p1 waits in pause() for a signal from anyone, such as p2; p2 waits to read from c1, which only p1 writes to');
    // anyone not blocked could still signal it
    assert.equal(findDeadlock([blocked('p1', 'pause'), { id: 'p3', state: 'sleeping' }], []), null);
    // alone, nobody is left to signal it
    const alone = findDeadlock([blocked('p1', 'pause'), { id: 'p2', state: 'exited' }], chans);
    assert.equal(alone?.kind, 'stuck');
    assert.equal(alone?.explanation, 'every process is blocked for good: p1 waits in pause() for a signal, and no other process is left to send one');
  });

  it('waiting on a signal channel waits on its sender only', () => {
    const chans = [ch('sig', 'signal', 'p2', 'p1', { label: 'go' }), ch('c1', 'pipe', 'p3', 'p2'), ch('c2', 'pipe', 'p1', 'p3')];
    const procs = [blocked('p1', 'pause', 'sig'), blocked('p2', 'read', 'c1'), blocked('p3', 'read', 'c2')];
    const d = findDeadlock(procs, chans);
    assert.deepEqual(d?.procs, ['p1', 'p2', 'p3']);
    assert.equal(d?.explanation, 'p1 waits for signal go from p2; p2 waits to read from c1, which only p3 writes to; p3 waits to read from c2, which only p1 writes to');
    chans[0].state = { pending: ['SIGUSR1'] };
    assert.equal(findDeadlock(procs, chans), null, 'the signal is on its way');
  });

  it('a stopped (SIGSTOP) or paused process: not deadlocked', () => {
    const chans = [ch('c1', 'sem-named', 'p1', 'p2'), ch('c2', 'sem-named', 'p1', 'p2')];
    assert.equal(findDeadlock([blocked('p1', 'sem_wait', 'c2'), { id: 'p2', state: 'stopped' }], chans), null);
    assert.equal(findDeadlock([blocked('p1', 'sem_wait', 'c2'), { id: 'p2', state: 'paused' }], chans), null);
    assert.equal(findDeadlock([{ id: 'p1', state: 'stopped' }, { id: 'p2', state: 'stopped' }], chans), null);
  });

  it('a full pipe and a semaphore, mixed mechanisms, with names and labels', () => {
    const chans = [ch('c1', 'pipe', 'w', 'r', { label: 'data', state: { bytes: 65536, capacity: 65536 } }), ch('c2', 'sem-named', 'w', 'r', { label: 'go', initial: 0 })];
    const d = findDeadlock([{ ...blocked('w', 'write', 'c1'), name: 'producer' }, { ...blocked('r', 'sem_wait', 'c2'), name: 'consumer' }], chans);
    assert.equal(d?.explanation, 'producer waits to write to data, full until consumer reads; consumer waits on semaphore go, which only producer can post');
  });

  it('sockets: accept, recv and recvfrom', () => {
    const chans = [ch('t', 'tcp', 'cl', 'sv'), ch('u', 'udp', 'sv', 'cl')];
    const d = findDeadlock([blocked('sv', 'accept', 't'), blocked('cl', 'recvfrom', 'u')], chans);
    assert.equal(d?.explanation, 'sv waits in accept() on t for cl to connect; cl waits for a datagram on u from sv');
    // a tcp peer that exited closes the connection: recv sees end of file
    assert.equal(findDeadlock([{ id: 'cl', state: 'exited' }, blocked('sv', 'recv', 't')], chans), null);
    // a udp sender that exited sends nothing more: stuck
    assert.equal(findDeadlock([{ id: 'sv', state: 'exited' }, blocked('cl', 'recvfrom', 'u')], chans)?.kind, 'stuck');
  });

  it('a FIFO open waiting for a peer that will never open it', () => {
    const chans = [ch('f', 'fifo', 'w', 'r'), ch('m', 'mq-sysv', 'r', 'w', { state: { messages: 0 } })];
    const d = findDeadlock([blocked('r', 'open', 'f'), blocked('w', 'msgrcv', 'm')], chans);
    assert.equal(d?.explanation, 'r waits in open() on f for w to open the other end; w waits for a message on m from r');
  });

  it('prefers the shortest cycle', () => {
    // p1 <-> p2 via pause (any), p2 -> p3 -> p1: both cycles exist; [p1, p2] is shorter
    const chans = [ch('a', 'pipe', 'p1', 'p2'), ch('b', 'pipe', 'p2', 'p3')];
    const d = findDeadlock([blocked('p1', 'pause'), blocked('p2', 'read', 'a'), blocked('p3', 'read', 'b')], chans);
    assert.deepEqual(d?.procs, ['p1', 'p2']);
  });

  it('null when it cannot tell: no channel, an unknown channel, an unknown call, shared memory', () => {
    const chans = [ch('c1', 'pipe', 'p1', 'p2'), ch('m', 'shm-posix', 'p1', 'p2')];
    assert.equal(findDeadlock([blocked('p1', 'read'), blocked('p2', 'read', 'c1')], chans), null);
    assert.equal(findDeadlock([blocked('p1', 'read', 'nope'), blocked('p2', 'read', 'c1')], chans), null);
    assert.equal(findDeadlock([blocked('p1', 'ioctl', 'c1'), blocked('p2', 'read', 'c1')], chans), null);
    assert.equal(findDeadlock([blocked('p1', 'read', 'm'), blocked('p2', 'read', 'c1')], chans), null);
  });

  it('null when nothing is live', () => {
    assert.equal(findDeadlock([], []), null);
    assert.equal(findDeadlock([{ id: 'p1', state: 'exited' }, { id: 'p2', state: 'killed' }], []), null);
  });
});
