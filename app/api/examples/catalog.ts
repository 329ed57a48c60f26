// The gallery on disk: examples/SLUG.json, read by the server routes only.
import fs from 'node:fs/promises';
import path from 'node:path';
import { checkScenarioShape } from '@/lib/scenario';
import type { ExampleEntry } from '@/lib/protocol';

const DIR = path.join(process.cwd(), 'examples');
/** Slugs are file names we made: lowercase words and dashes, nothing that walks paths. */
export const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;


/** The gallery's order: one mechanism at a time, simplest first, then the classics. */
const ORDER = [
  'pipe-hello', 'fifo-server-client', 'signal-sigint', 'file-lock', 'sem-log', 'shm-posix-sem', 'mq-sysv-hello',
  'tcp-client-server', 'tcp-echo-3-clients', 'unix-socket', 'udp-datagrams', 'mq-posix-priority', 'shm-sysv', 'shm-file-mmap', 'shm-anon',
  'sem-unnamed', 'unix-dgram', 'bounded-buffer', 'pipeline', 'signal-ping-pong', 'deadlock',
  'counter-race', 'dining-philosophers', 'poll-two-pipes', 'nonblocking-eagain', 'alarm-timeout', 'stdin-echo',
  'fifo-log-server', 'work-queue', 'bounded-buffer-multi', 'readers-writers', 'barrier', 'sleeping-barber',
];
const rank = (slug: string) => (ORDER.includes(slug) ? ORDER.indexOf(slug) : ORDER.length);


export async function listExamples(): Promise<ExampleEntry[]> {
  const files = (await fs.readdir(DIR)).filter((f) => f.endsWith('.json'));
  const slugs = files.map((f) => f.slice(0, -5)).filter((s) => SLUG.test(s));
  slugs.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const out: ExampleEntry[] = [];
  for (const slug of slugs) {
    try {
      // read as any scenario is, so an example of an older version comes migrated
      const { scenario: s } = checkScenarioShape(JSON.parse(await fs.readFile(path.join(DIR, `${slug}.json`), 'utf8')));
      if (!s) continue;
      const channels = s.channels.map((c) => ({ id: c.id, mechanism: c.mechanism, links: c.links, ...(c.position ? { position: c.position } : {}) }));
      out.push({
        slug,
        title: s.title || slug,
        description: s.description,
        mechanisms: [...new Set(channels.map((c) => c.mechanism))],
        processes: s.processes.map((p) => ({ id: p.id, name: p.name, position: p.position })),
        channels,
      });
    } catch {
      // a broken example is left out of the list; loading it by name reports the error
    }
  }
  return out;
}

export async function readExample(slug: string): Promise<unknown | null> {
  if (!SLUG.test(slug)) return null;
  try {
    return JSON.parse(await fs.readFile(path.join(DIR, `${slug}.json`), 'utf8'));
  } catch {
    return null;
  }
}
