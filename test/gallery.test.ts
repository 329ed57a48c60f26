// Every gallery scenario through the CLI, as a user would run it: its expected output
// (in order within each process), its summary lines and its exit code.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cli } from './helpers';

const root = path.resolve(import.meta.dirname, '..');


const x = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i + 1));

const EXPECTED: Record<string, { out: string[]; code?: number; args?: string[] }> = {
  'pipe-hello': { out: ['[child] child read: hello', 'parent: exited 0', 'child: exited 0'] },
  'fifo-server-client': { out: ['[server] Received: Hello through the FIFO!', 'server: exited 0', 'client: exited 0'] },
  'signal-sigint': { out: ['[handler] waiting for SIGINT', '[handler] Received signal: 2', '[handler] handler done, exiting', 'handler: exited 0'] },
  'file-lock': { out: ['[reader] read: Hello from Process A', 'writer: exited 0', 'reader: exited 0'] },
  'sem-log': { out: [...x(3, () => '[process1] Log message from Process 1'), ...x(3, () => '[process2] Log message from Process 2'), 'process1: exited 0'] },
  'shm-posix-sem': { out: ['[writer] Writer wrote: Hello from writer process!', '[reader] Reader read: Hello from writer process!'] },
  'mq-sysv-hello': { out: ['[sender] Sent: Hello World', '[receiver] Received: Hello World'] },
  'tcp-client-server': { out: ['[server] Message from client: Hello from the client!', 'client: exited 0'] },
  // who is served first is the kernel's choice: each client's echo, and the server's count
  'tcp-echo-3-clients': { out: [...x(3, (i) => `[server] served client ${i}`), ...['ann', 'bob', 'cyd'].map((c) => `[${c}] ${c} got: echo: hello from ${c}`), 'server: exited 0', 'ann: exited 0', 'bob: exited 0', 'cyd: exited 0'] },
  'unix-socket': { out: ['[server] Received: Hello from the client!', 'server: exited 0'] },
  'udp-datagrams': { out: x(3, (i) => `[receiver] got datagram ${i}`) },
  'mq-posix-priority': { out: ['[worker] job: urgent', '[worker] job: normal', '[worker] job: low'] },
  'shm-sysv': { out: ['[reader] Reader read: Hello from SysV shared memory'] },
  'shm-file-mmap': { out: ['[reader] Reader read: Data in a memory-mapped file'] },
  'shm-anon': { out: ['[parent] parent sees: count=5'] },
  'sem-unnamed': { out: ['[child] child passed 1', '[child] child passed 2'] },
  'unix-dgram': { out: ['[receiver] received first then second'] },
  'bounded-buffer': { out: [...x(8, (i) => `[producer] produced item ${i}`), ...x(8, (i) => `[consumer] consumed item ${i}`)] },
  // the stages print to each other's stdin: only wc's count reaches a terminal
  'shell-pipeline': { out: ['[wc] 5', 'seq: exited 0', 'odd: exited 0', 'wc: exited 0'] },
  pipeline: { out: [...x(3, (i) => `[filter] filter forwards item ${i}`), ...x(3, (i) => `[sink] sink got item ${i}!`), 'sink: exited 0'] },
  'signal-ping-pong': { out: [...x(3, (i) => `[ping] ping got pong ${i}`), ...x(3, (i) => `[pong] pong got ping ${i}`)] },
  'nonblocking-eagain': { out: [...x(3, (i) => `[consumer] got job ${i}`), '[consumer] empty: EAGAIN, so other work meanwhile', '[consumer] end of file: done', 'consumer: exited 0'] },
  'poll-two-pipes': { out: ['[watcher] ticks: tick 1', '[watcher] news: hello', '[watcher] ticks: tick 2', '[watcher] ticks: end of file', '[watcher] 1 s and nothing: timeout', '[watcher] news: end of file', '[watcher] both closed: done', 'watcher: exited 0'] },
  'stdin-echo': { out: ['[reader] type a line (Ctrl-D to end)', '[reader] end of file on stdin', 'reader: exited 0', 'echoer: exited 0'] },
  'counter-race': { out: ['[inc1] with the mutex: 200000 of 200000', 'inc1: exited 0', 'inc2: exited 0'] },
  'dining-philosophers': { out: [...['plato', 'kant', 'hume', 'marx', 'locke'].flatMap((p) => [...x(3, (i) => `[${p}] eating (${i})`), `[${p}] full`]), 'locke: exited 0'] },
  'fork-wait': {
    out: [
      ...x(3, (i) => `[parent] forked child ${i}`),
      ...x(3, (i) => `[parent.${i}] child ${i} exits with ${10 + i}`),
      ...x(3, (i) => `[parent] parent reaped a child that exited with ${10 + i}`),
      '[parent] no children left: waitpid fails with ECHILD',
      'parent: exited 0',
      ...x(3, (i) => `parent.${i}: exited ${10 + i}`),
    ],
  },
  'fork-forgot-close': {
    out: ['[writer] writer closed its write end', '[reader] got hello', '[writer.1] helper exits: the last write end closes', '[reader] end of file: every write end is closed', 'writer: exited 0', 'reader: exited 0', 'writer.1: exited 0'],
  },
  'alarm-timeout': { out: ['[client] SIGALRM: 1 s is up', '[client] request 1: timed out (read gave EINTR)', '[client] request 2: answer to request 2', 'client: exited 0'] },
  deadlock: { out: ['[p1] p1 holds A, wants B', '[p2] p2 holds B, wants A', 'p1: killed by SIGTERM', 'p2: killed by SIGTERM'], code: 1, args: ['--timeout', '2'] },
  // objects shared by three processes or more: what does not depend on who was quicker
  // (the order of the writers' lines is the kernel's: test/cgen.test.ts checks all nine are there)
  'fifo-log-server': { out: ['[server] log: cyd line 3', '[server] every writer has closed: end of file', 'server: exited 0', 'ann: exited 0', 'bob: exited 0', 'cyd: exited 0'] },
  'work-queue': { out: ['[cat] cat: no more work', '[dan] dan: no more work', '[eve] eve: no more work', 'ann: exited 0', 'ben: exited 0', 'cat: exited 0', 'dan: exited 0', 'eve: exited 0'] },
  'bounded-buffer-multi': { out: ['p1: exited 0', 'p2: exited 0', 'c1: exited 0', 'c2: exited 0'] },
  'readers-writers': { out: [...x(3, (i) => `[writer] writer writes version ${i}`), 'writer: exited 0', 'r1: exited 0', 'r2: exited 0', 'r3: exited 0'] },
  barrier: { out: [...['w1', 'w2', 'w3', 'w4'].flatMap((w) => [`[${w}] reached the barrier`, ...(w === 'w3' ? ['[w3] last to arrive: opens the barrier for all 4'] : []), `[${w}] through the barrier`]), 'w1: exited 0', 'w2: exited 0', 'w3: exited 0', 'w4: exited 0'] },
  'sleeping-barber': { out: ['[amy] amy gets a haircut', '[bob] bob gets a haircut', '[cy] cy: no free chair, leaves', '[dee] dee gets a haircut', '[barber] every customer has been: the barber goes home', 'barber: exited 0', 'dee: exited 0'] },
};

/** Each expected line appears, and lines of one prefix appear in the given order. */
function assertLines(stdout: string, expected: string[]): void {
  const lines = stdout.split('\n');
  const cursor = new Map<string, number>();
  for (const want of expected) {
    const prefix = want.startsWith('[') ? want.slice(0, want.indexOf(']') + 1) : 'summary';
    const from = cursor.get(prefix) ?? 0;
    const at = lines.indexOf(want, from);
    assert.ok(at >= 0, `missing or out of order: ${want}\n--- stdout ---\n${stdout}`);
    cursor.set(prefix, at + 1);
  }
}

describe('gallery', { concurrency: 2 }, () => {
  const files = fs.readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.json'));
  it('every example has expectations and a title and description', () => {
    for (const f of files) {
      const s = JSON.parse(fs.readFileSync(path.join(root, 'examples', f), 'utf8'));
      assert.ok(s.title && s.description, f);
      assert.ok(EXPECTED[f.replace(/\.json$/, '')], `no expectations for ${f}`);
    }
  });
  for (const f of files) {
    const slug = f.replace(/\.json$/, '');
    const exp = EXPECTED[slug];
    if (!exp) continue;
    it(slug, async () => {
      const r = await cli([`examples/${f}`, ...(exp.args ?? [])]);
      assert.equal(r.code, exp.code ?? 0, r.stdout + r.stderr);
      assertLines(r.stdout, exp.out);
      assert.doesNotMatch(r.stderr, /left behind/);
    });
  }
});

describe('cli', { concurrency: 2 }, () => {
  const tmp = fs.mkdtempSync('/tmp/cli-test-');
  const file = (name: string, content: unknown) => {
    const p = path.join(tmp, name);
    fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
    return p;
  };
  const base = () => JSON.parse(fs.readFileSync(path.join(root, 'examples/pipe-hello.json'), 'utf8'));
  const invalid: [string, (s: ReturnType<typeof base>) => unknown, RegExp][] = [
    ['not JSON', () => '{"version": 1,', /\(file\): not valid JSON/],
    ['unknown mechanism', (s) => ((s.channels[0].mechanism = 'carrier-pigeon'), s), /channels\[0\]\.mechanism: must be one of pipe, fifo/],
    ['channel to an unknown process', (s) => ((s.channels[0].links[1].process = 'ghost'), s), /channels\[0\]\.links\[1\]\.process: no process with id "ghost"/],
    ['syntax error', (s) => ((s.processes[1].program = 'recv c1 5 as buf\nprint "unclosed'), s), /processes\[1\]\.program:2:7: /],
    ['verb not valid for the mechanism', (s) => ((s.processes[1].program = 'write c1 "x"'), s), /processes\[1\]\.program:1:1: .*pipe/],
    ['over a limit', (s) => ((s.processes = Array.from({ length: 17 }, (_, i) => ({ id: `p${i}`, name: `p${i}`, program: '' }))), (s.channels = []), s), /processes: 17 processes is over the limit of 16/],
  ];
  for (const [name, mutate, msg] of invalid) {
    it(`invalid: ${name} → exit 2, the place named, nothing started`, async () => {
      const r = await cli([file(`${name.replace(/\W/g, '_')}.json`, mutate(base()))]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, msg);
      assert.equal(r.stdout, '');
    });
  }
  it('--json prints the event stream, one JSON object a line, ending with end', async () => {
    const r = await cli(['examples/pipe-hello.json', '--json']);
    assert.equal(r.code, 0);
    const evs = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(evs[0].type, 'run');
    assert.equal(evs[evs.length - 1].type, 'end');
    assert.deepEqual(evs[evs.length - 1].leftovers, []);
    for (const e of evs) assert.equal(typeof e.t, 'number');
    assert.ok(evs.some((e) => e.type === 'stdout' && e.text === 'child read: hello\n'));
  });
  it('--trace adds syscall lines', async () => {
    const r = await cli(['examples/pipe-hello.json', '--trace']);
    assert.match(r.stdout, /\[parent\] write\(\d+, "hello", 5\) = 5/);
    assert.match(r.stdout, /\[child\] read\(\d+, .*, 5\) = 5/);
  });
  it('a missing file exits 2', async () => {
    const r = await cli(['/nonexistent.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read \/nonexistent.json: ENOENT/);
  });
});
