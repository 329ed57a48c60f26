// Every gallery scenario, opened by its address, run for real: its expected output (the same
// as the CLI's, test/gallery.test.ts) and the live state of the kernel object it is about.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { nodeState, open, run, runStatus, terminal, waitEnded } from './helpers';

const EXAMPLES = path.join(process.cwd(), 'examples');
const x = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i + 1));

/** As test/gallery.test.ts: `[name] text` lines of output, in order per process; `name: outcome` summary lines. */
const EXPECTED: Record<string, string[]> = {
  'pipe-hello': ['[child] child read: hello', 'parent: exited 0', 'child: exited 0'],
  'nonblocking-eagain': [...x(3, (i) => `[consumer] got job ${i}`), '[consumer] end of file: done', 'consumer: exited 0'],
  'poll-two-pipes': ['[watcher] ticks: tick 1', '[watcher] news: hello', '[watcher] ticks: end of file', '[watcher] 1 s and nothing: timeout', '[watcher] both closed: done', 'watcher: exited 0'],
  'stdin-echo': ['[reader] type a line (Ctrl-D to end)', '[echoer] echo: hello from the test', '[reader] end of file on stdin', 'reader: exited 0', 'echoer: exited 0'],
  'counter-race': ['[inc1] with the mutex: 200000 of 200000', 'inc1: exited 0', 'inc2: exited 0'],
  'dining-philosophers': [...x(3, (i) => `[plato] eating (${i})`), '[locke] full', 'plato: exited 0', 'locke: exited 0'],
  // a forked child prints to its parent's terminal, as in C; it is reaped, then gone (in slow
  // motion the parent's lines and the children's interleave as timing has it: the last ones)
  'fork-wait': [
    '[parent] child 3 exits with 13',
    '[parent] parent reaped a child that exited with 13',
    '[parent] no children left: waitpid fails with ECHILD',
    'parent: exited 0',
    ...[1, 2, 3].map((i) => `parent.${i}: exited ${10 + i} · reaped by parent`),
  ],
  'fork-forgot-close': ['[writer] writer closed its write end', '[writer] helper exits: the last write end closes', '[reader] got hello', '[reader] end of file: every write end is closed', 'writer: exited 0', 'reader: exited 0'],
  'alarm-timeout': ['[client] SIGALRM: 1 s is up', '[client] request 1: timed out (read gave EINTR)', '[client] request 2: answer to request 2', 'client: exited 0'],
  'fifo-server-client': ['[server] Received: Hello through the FIFO!', 'server: exited 0', 'client: exited 0'],
  'signal-sigint': ['[handler] waiting for SIGINT', '[handler] Received signal: 2', '[handler] handler done, exiting', 'handler: exited 0'],
  'file-lock': ['[reader] read: Hello from Process A', 'writer: exited 0', 'reader: exited 0'],
  'sem-log': [...x(3, () => '[process1] Log message from Process 1'), ...x(3, () => '[process2] Log message from Process 2'), 'process1: exited 0'],
  'shm-posix-sem': ['[writer] Writer wrote: Hello from writer process!', '[reader] Reader read: Hello from writer process!'],
  'mq-sysv-hello': ['[sender] Sent: Hello World', '[receiver] Received: Hello World'],
  'tcp-client-server': ['[server] Message from client: Hello from the client!', 'client: exited 0'],
  'tcp-echo-3-clients': [...x(3, (i) => `[server] served client ${i}`), ...['ann', 'bob', 'cyd'].map((c) => `[${c}] ${c} got: echo: hello from ${c}`), 'server: exited 0', 'cyd: exited 0'],
  'unix-socket': ['[server] Received: Hello from the client!', 'server: exited 0'],
  'udp-datagrams': x(3, (i) => `[receiver] got datagram ${i}`),
  'mq-posix-priority': ['[worker] job: urgent', '[worker] job: normal', '[worker] job: low'],
  'shm-sysv': ['[reader] Reader read: Hello from SysV shared memory'],
  'shm-file-mmap': ['[reader] Reader read: Data in a memory-mapped file'],
  'shm-anon': ['[parent] parent sees: count=5'],
  'sem-unnamed': ['[child] child passed 1', '[child] child passed 2'],
  'unix-dgram': ['[receiver] received first then second'],
  'bounded-buffer': [...x(8, (i) => `[producer] produced item ${i}`), ...x(8, (i) => `[consumer] consumed item ${i}`)],
  'shell-pipeline': ['[wc] 5', 'seq: exited 0', 'odd: exited 0', 'wc: exited 0'],
  pipeline: [...x(3, (i) => `[filter] filter forwards item ${i}`), ...x(3, (i) => `[sink] sink got item ${i}!`), 'sink: exited 0'],
  'signal-ping-pong': [...x(3, (i) => `[ping] ping got pong ${i}`), ...x(3, (i) => `[pong] pong got ping ${i}`)],
  deadlock: ['[p1] p1 holds A, wants B', '[p2] p2 holds B, wants A'],
  // objects shared by three processes or more
  'fifo-log-server': ['[server] log: cyd line 3', '[server] every writer has closed: end of file', 'server: exited 0', 'cyd: exited 0'],
  'work-queue': ['[cat] cat: no more work', '[dan] dan: no more work', '[eve] eve: no more work', 'ann: exited 0', 'eve: exited 0'],
  'bounded-buffer-multi': ['[c1] c1 takes', '[c2] c2 takes', 'p1: exited 0', 'p2: exited 0', 'c1: exited 0', 'c2: exited 0'],
  'readers-writers': [...x(3, (i) => `[writer] writer writes version ${i}`), '[r3] r3 reads version', 'writer: exited 0', 'r3: exited 0'],
  barrier: ['[w3] last to arrive: opens the barrier for all 4', ...['w1', 'w2', 'w3', 'w4'].map((w) => `[${w}] through the barrier`), 'w1: exited 0', 'w4: exited 0'],
  'sleeping-barber': ['[amy] amy gets a haircut', '[bob] bob gets a haircut', '[cy] cy: no free chair, leaves', '[dee] dee gets a haircut', '[barber] every customer has been: the barber goes home', 'barber: exited 0'],
};

interface Case {
  /** Statements per second (slow motion, for states that only last a moment at full speed). */
  sps?: number;
  /** Checked while the run goes on (states that pass). */
  during?: (page: Page) => Promise<void>;
  /** Checked once it ended: the final sample of each object, the summary. */
  after?: (page: Page) => Promise<void>;
}

const hexAscii = (page: Page, chan: string) => page.getByTestId(`hex-view-${chan}`).locator('.hx-ascii');
const semValue = (page: Page, chan: string) => page.getByTestId(`sem-value-${chan}`).locator('.sem-number');
const summaryRow = (page: Page, chan: string) => page.getByTestId(`summary-channel-${chan}`).locator('td');
const objects = (page: Page) => page.getByTestId('tab-objects').click();

/** Waits for a text in an element on every animation frame: for states that last a few hundred ms. */
async function seeBriefly(page: Page, testId: string, re: RegExp, timeout = 10_000): Promise<void> {
  await page.waitForFunction(
    ([id, src]) => new RegExp(src).test(document.querySelector(`[data-testid="${id}"]`)?.textContent ?? ''),
    [testId, re.source] as const,
    { polling: 'raf', timeout },
  );
}

/** sends, receives, bytes of a channel in the summary table. */
async function counts(page: Page, chan: string, sends: number | null, recvs: number | null, bytes: string | null): Promise<void> {
  await page.getByTestId('tab-summary').click();
  const row = summaryRow(page, chan);
  if (sends !== null) await expect(row.nth(1)).toHaveText(String(sends));
  if (recvs !== null) await expect(row.nth(2)).toHaveText(String(recvs));
  if (bytes !== null) await expect(row.nth(3)).toHaveText(bytes);
}

const CASES: Record<string, Case> = {
  'pipe-hello': { after: (p) => counts(p, 'c1', 1, null, '5 B') },
  // a failed call written with try: the node says which, with its errno and line
  'nonblocking-eagain': {
    after: async (p) => {
      await expect(p.getByTestId('node-failed-consumer')).toContainText('read() = -1 EAGAIN · line 4');
      await expect(p.getByTestId('node-failed-producer')).toHaveCount(0);
    },
  },
  // poll: the node names every channel it watches; a channel found ready flashes on its label
  'poll-two-pipes': {
    during: async (p) => {
      await expect(nodeState(p, 'watcher')).toHaveText('blocked in poll() on ticks, news', { timeout: 15_000 });
      await expect(p.getByTestId('edge-ready-c1')).toHaveText('poll: ready', { timeout: 15_000 });
    },
  },
  // the helper holds the write end it inherited: the reader waits, and that is no deadlock
  'fork-forgot-close': {
    during: async (p) => {
      await expect(p.getByTestId('node-state-writer.1')).toHaveText('sleeping', { timeout: 15_000 });
      await expect(nodeState(p, 'reader')).toHaveText('blocked in read() on data');
      // the page's check settles on a deadlock after a moment: it has had it, and said nothing
      await p.waitForTimeout(1200);
      await expect(p.getByTestId('deadlock-banner')).toHaveCount(0);
    },
  },
  // each forked child appears under its parent while it lives
  'fork-wait': {
    sps: 4,
    during: async (p) => {
      await expect(p.getByTestId('node-parent.1')).toBeVisible({ timeout: 15_000 });
      await expect(p.getByTestId('node-pid-parent.1')).toContainText('PID');
      await expect(p.locator('.fork-label').first()).toHaveText('fork()');
    },
    after: (p) => expect(p.getByTestId('node-parent.3')).toHaveAttribute('data-state', 'reaped'),
  },
  'alarm-timeout': {
    after: (p) => expect(p.getByTestId('node-failed-client')).toContainText('read() = -1 EINTR · line 7'),
  },
  // what a user types reaches the process's fd 0; EOF (Ctrl-D) ends its input
  'stdin-echo': {
    during: async (p) => {
      const input = p.getByTestId('stdin-reader');
      await input.fill('hello from the test');
      await input.press('Enter');
      await expect(p.getByTestId('terminal-echoer')).toContainText('echo: hello from the test');
      await input.press('Control+d');
    },
  },
  'fifo-server-client': { after: (p) => counts(p, 'c1', 1, null, '23 B') },
  'signal-sigint': {
    after: async (p) => {
      await expect(p.getByTestId('node-signal-handler')).toContainText('SIGINT');
      await objects(p);
      // the handler's /proc/PID/status: SIGINT is caught
      await expect(p.getByTestId('object-c1')).toContainText(/caught\s*SIGINT/);
    },
  },
  'file-lock': {
    // the writer holds the lock for 1 s; the reader waits for it from 200 ms on
    during: (p) => seeBriefly(p, 'edge-state-c1', /🔒 writer · reader waits/),
    after: async (p) => {
      await objects(p);
      await expect(p.getByTestId('file-text-c1')).toHaveText('Hello from Process A');
      await expect(p.getByTestId('object-c1')).toContainText(/lock\s*free/);
    },
  },
  'sem-log': {
    after: async (p) => {
      await objects(p);
      await expect(semValue(p, 'c1')).toHaveText('1');
      await expect(p.getByTestId('file-text-c2')).toContainText('Log message from Process 1');
      await expect(p.getByTestId('file-text-c2')).toContainText('Log message from Process 2');
    },
  },
  'shm-posix-sem': {
    after: async (p) => {
      await objects(p);
      await expect(hexAscii(p, 'c1').nth(0)).toHaveText('Hello from write');
      await expect(semValue(p, 'c2')).toHaveText('0');
    },
  },
  'mq-sysv-hello': {
    after: async (p) => {
      await expect(p.getByTestId('edge-state-c1')).toHaveText('0 msgs queued');
      await counts(p, 'c1', 1, 1, null);
    },
  },
  'tcp-client-server': { after: (p) => counts(p, 'c1', 1, null, '22 B') },
  // the listening socket's node counts the connections its server accepted, and those it holds open
  'tcp-echo-3-clients': {
    // slow motion: the counts hold from the first accept until the server ends (a loaded machine
    // may show the page the first client's turn late)
    sps: 2,
    during: async (p) => {
      const state = p.getByTestId('object-state-echo');
      await expect(state).toHaveText(/^listening · [123] accepted, [01] open/, { timeout: 20_000 });
      await expect(state).toHaveText(/^listening · 3 accepted, [01] open/, { timeout: 20_000 });
    },
    // each client's send and recv, and the server's: a recv per line and one more that finds end of file
    after: (p) => counts(p, 'echo', 6, 9, '102 B'),
  },
  'unix-socket': { after: (p) => counts(p, 'c1', 1, null, '22 B') },
  'udp-datagrams': { after: (p) => counts(p, 'c1', 3, 3, '30 B') },
  'mq-posix-priority': {
    // slow motion: the three jobs wait in the queue until the worker takes them
    sps: 4,
    during: (p) => seeBriefly(p, 'edge-state-c1', /^3 msgs queued$/),
    after: (p) => expect(p.getByTestId('edge-state-c1')).toHaveText('0 msgs queued'),
  },
  'shm-sysv': {
    // slow motion keeps the sample with the written bytes and the one after the detach (nattch
    // changes) in different frames: server/run/framer.ts drops `changes` when it merges them
    sps: 10,
    after: async (p) => {
      await objects(p);
      await expect(hexAscii(p, 'c1').nth(0)).toHaveText('Hello from SysV ');
      await expect(hexAscii(p, 'c1').nth(1)).toContainText('shared memory');
    },
  },
  'shm-file-mmap': {
    after: async (p) => {
      await objects(p);
      await expect(hexAscii(p, 'c1').nth(0)).toHaveText('Data in a memory');
    },
  },
  'shm-anon': {
    after: async (p) => {
      await objects(p);
      await expect(hexAscii(p, 'c1').nth(0)).toContainText('count=5');
      await expect(semValue(p, 'c2')).toHaveText('0');
    },
  },
  'sem-unnamed': {
    after: async (p) => {
      await objects(p);
      await expect(semValue(p, 'c1')).toHaveText('0');
      await counts(p, 'c1', 2, 2, null);
    },
  },
  'unix-dgram': { after: (p) => counts(p, 'c1', 2, 2, null) },
  'bounded-buffer': {
    after: async (p) => {
      await objects(p);
      // the ring's four slots hold the last four items
      for (let i = 0; i < 4; i++) await expect(hexAscii(p, 'c1').nth(i)).toContainText(`item ${5 + i}`);
      await expect(semValue(p, 'c2')).toHaveText('4'); // empty
      await expect(semValue(p, 'c3')).toHaveText('0'); // full
      await expect(semValue(p, 'c4')).toHaveText('1'); // mutex
    },
  },
  // the object drawn on its own: who waits on it, live, and its links dashed while they do
  barrier: {
    sps: 6,
    during: async (p) => {
      await expect(p.getByTestId('object-state-turnstile')).toContainText(/value 0 · .* waits?/, { timeout: 15_000 });
      await expect(p.locator('.cedge.link.waiting').first()).toBeAttached();
    },
    after: async (p) => {
      await expect(p.getByTestId('object-node-mutex')).toContainText('w1, w2, w3, w4');
      await objects(p);
      await expect(semValue(p, 'turnstile')).toHaveText('0');
      await expect(semValue(p, 'mutex')).toHaveText('1');
      await expect(hexAscii(p, 'count').nth(0)).toHaveText('4···············');
    },
  },
  'fifo-log-server': { after: (p) => counts(p, 'log', 9, null, null) },
  // seq and odd print into pipes: their terminals stay empty; the pipes carry their lines
  'shell-pipeline': {
    after: async (p) => {
      await expect(p.getByTestId('terminal-seq')).not.toContainText('1');
      await counts(p, 'p1', 10, null, '21 B');
      await counts(p, 'p2', 5, null, '10 B');
      await expect(p.getByTestId('edge-label-p1')).toContainText('stdout → stdin');
    },
  },
  pipeline: {
    after: async (p) => {
      await counts(p, 'c1', 3, null, '18 B');
      await counts(p, 'c2', 3, null, '21 B');
    },
  },
  'signal-ping-pong': {
    after: async (p) => {
      await expect(p.getByTestId('node-signal-pong')).toContainText('SIGUSR1');
      await expect(p.getByTestId('node-signal-ping')).toContainText('SIGUSR2');
      await counts(p, 'c1', 3, null, null);
      await counts(p, 'c2', 3, null, null);
    },
  },
};

function examples(): string[] {
  return fs
    .readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

function idsByName(slug: string): Map<string, string> {
  const s = JSON.parse(fs.readFileSync(path.join(EXAMPLES, `${slug}.json`), 'utf8')) as { processes: { id: string; name: string }[] };
  return new Map(s.processes.map((p) => [p.name, p.id]));
}

/** Each `[name] text` is in that process's terminal, in order; each `name: outcome` is its final state. */
async function checkOutput(page: Page, slug: string): Promise<void> {
  const ids = idsByName(slug);
  const perProc = new Map<string, string[]>();
  for (const line of EXPECTED[slug]) {
    const m = /^\[([^\]]+)\] (.*)$/.exec(line);
    if (m) {
      const id = ids.get(m[1]) ?? m[1];
      perProc.set(id, [...(perProc.get(id) ?? []), m[2]]);
      continue;
    }
    const [name, outcome] = line.split(': ');
    await expect(nodeState(page, ids.get(name) ?? name)).toHaveText(outcome);
  }
  for (const [id, lines] of perProc) {
    // xterm draws (and fills its accessibility tree) only while on screen: with five
    // terminals side by side, the last ones are scrolled to, as a user would
    await terminal(page, id).scrollIntoViewIfNeeded();
    // the terminal's text (xterm's accessibility tree), polled until every line is there in order
    await expect
      .poll(async () => {
        const text = ((await terminal(page, id).textContent()) ?? '').replace(/\u00a0/g, ' ');
        let at = 0;
        for (const want of lines) {
          const i = text.indexOf(want, at);
          if (i < 0) return `missing "${want}" (in order) in: ${text}`;
          at = i + want.length;
        }
        return 'ok';
      }, { message: `output of ${id}` })
      .toBe('ok');
  }
}

const processesOf = (runId: string) =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(` ${runId} `));

test('every example is in the gallery, and a card opens its scenario (undoably)', async ({ page }) => {
  await open(page);
  const before = await page.getByTestId('scenario-title').inputValue();
  await page.getByTestId('gallery-button').click();
  const cards = page.locator('[data-testid^="gallery-card-"]');
  await expect(cards).toHaveCount(examples().length);
  // each card: a sketch, the mechanisms' icons, a title, one line about it
  const card = page.getByTestId('gallery-card-shm-posix-sem');
  await expect(card.locator('.gcard-mech')).toHaveText(['POSIX shm', 'Named sem']);
  await expect(card.locator('.gcard-title')).toHaveText('POSIX shared memory with a named semaphore');
  await expect(card.locator('.gcard-sketch rect')).toHaveCount(2);
  await expect(card).toHaveAttribute('href', '/examples/shm-posix-sem');
  // filtering by family
  const filters = page.getByRole('tablist', { name: 'Mechanism families' });
  await filters.getByRole('tab', { name: 'Signals' }).click();
  await expect(cards).toHaveCount(2);
  await filters.getByRole('tab', { name: 'All' }).click();

  await page.getByTestId('gallery-card-signal-ping-pong').click();
  await expect(page.getByTestId('gallery')).toHaveCount(0);
  await expect(page.getByTestId('scenario-title')).toHaveValue('Signal ping-pong');
  await expect(page.getByTestId('toast-opened')).toContainText('Ctrl-Z brings back your scenario');
  await page.keyboard.press('ControlOrMeta+z');
  await expect(page.getByTestId('scenario-title')).toHaveValue(before);
});

for (const slug of examples()) {
  if (slug === 'deadlock') continue; // its own test below
  test(`gallery: ${slug}`, async ({ page }) => {
    const c = CASES[slug] ?? {};
    expect(EXPECTED[slug], `expectations for ${slug}`).toBeTruthy();
    // both addresses work: /examples/SLUG, and ?example=SLUG for a few
    const path = slug.startsWith('s') ? `/?example=${slug}` : `/examples/${slug}`;
    await open(page, { path, sps: c.sps });
    await expect(page.getByTestId('toast-opened')).toBeVisible();
    await run(page);
    if (c.during) await c.during(page);
    await waitEnded(page);
    await expect(runStatus(page)).toHaveClass(/reason-finished/);
    await checkOutput(page, slug);
    await expect(page.getByTestId('leftovers')).toContainText('Nothing left behind');
    if (c.after) await c.after(page);
  });
}

test('gallery: deadlock — the cycle is shown and explained, Stop ends it and leaves nothing', async ({ page }) => {
  await open(page, { path: '/examples/deadlock' });
  await run(page);
  const banner = page.getByTestId('deadlock-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toHaveAttribute('data-kind', 'cycle');
  await expect(page.getByTestId('deadlock-explanation')).toContainText('p1 waits for lockB held by p2; p2 waits for lockA held by p1');
  // both processes and both semaphores lit up, each edge naming who waits on it
  await expect(page.getByTestId('node-p1')).toHaveClass(/deadlocked/);
  await expect(page.getByTestId('node-p2')).toHaveClass(/deadlocked/);
  await expect(page.getByTestId('edge-label-c1')).toHaveClass(/deadlocked/);
  await expect(page.getByTestId('edge-label-c2')).toHaveClass(/deadlocked/);
  await expect(page.getByTestId('edge-state-c1')).toHaveText('value 0 · p2 waits');
  await expect(page.getByTestId('edge-state-c2')).toHaveText('value 0 · p1 waits');
  await expect(nodeState(page, 'p1')).toHaveText('blocked in sem_wait() on lockB');
  await checkOutput(page, 'deadlock');
  const runId = (await runStatus(page).getAttribute('data-run-id'))!;
  expect(processesOf(runId).length).toBe(2);

  await page.getByTestId('deadlock-stop').click();
  await waitEnded(page);
  await expect(banner).toHaveCount(0);
  await expect(page.locator('.deadlocked')).toHaveCount(0);
  await expect(nodeState(page, 'p1')).toHaveText('killed by SIGTERM');
  await expect(nodeState(page, 'p2')).toHaveText('killed by SIGTERM');
  await expect(page.getByTestId('leftovers')).toContainText('Nothing left behind');
  expect(processesOf(runId)).toEqual([]);
});
