// A scenario's C, compiled: the generated file and its hosted main, linked with the runtime
// (runtime/) and every program call wrapped (ld --wrap) so the runtime sees it. Binaries are
// cached under .cache/bin by a hash of everything that goes into them: a re-run starts at once.

import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GeneratedC } from '../../lib/cgen/index';
import { WRAPPED } from '../../lib/wire';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const runtimeDir = path.join(root, 'runtime');
const cacheDir = path.join(root, '.cache', 'bin');

export const CC = process.env.CC || 'cc';
// -O1: the program's calls are what it spends its time in; -O2 only makes the compile slower
const CFLAGS = ['-std=gnu11', '-O1', '-Wall', '-fno-strict-aliasing'];
const LIBS = ['-lrt', '-pthread'];

export class CompileError extends Error {}

const RUNTIME_FILES = ['ipcpg.c', 'ipcpg.h', 'calls.h', 'contain.c', 'contain.h'];
const RUNTIME_UNITS = ['ipcpg', 'contain'];

function runtimeSources(): string[] {
  return RUNTIME_FILES.map((f) => fs.readFileSync(path.join(runtimeDir, f), 'utf8'));
}

function cc(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(CC, args, { cwd, maxBuffer: 1 << 20 }, (err, _stdout, stderr) => {
      if (err) {
        const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
        reject(new CompileError(missing ? `the C compiler (${CC}) is missing: apt-get install -y gcc libc6-dev` : `cc failed: ${stderr.slice(0, 2000)}`));
      } else resolve();
    });
  });
}

const inFlight = new Map<string, Promise<string>>();

function hashOf(parts: string[]): string {
  const hash = crypto.createHash('sha256');
  for (const s of parts) hash.update(s).update('\0');
  return hash.digest('hex').slice(0, 24);
}

/** Builds out (renamed into place when done) unless it is there; one build per path at a time. */
function once(out: string, build: (tmp: string) => Promise<void>): Promise<string> {
  if (fs.existsSync(out)) return Promise.resolve(out);
  let p = inFlight.get(out);
  if (p) return p;
  p = (async () => {
    // built aside, then renamed: two servers building the same thing never use half a file
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = fs.mkdtempSync(path.join(cacheDir, 'tmp-'));
    try {
      await build(tmp);
      fs.chmodSync(tmp, 0o755);
      try {
        fs.renameSync(tmp, out);
      } catch {
        // another server got there first: theirs is the same
      }
      return out;
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
      inFlight.delete(out);
    }
  })();
  inFlight.set(out, p);
  return p;
}

let objects: Promise<string[]> | null = null;

/**
 * The runtime's object files, compiled once per version of their sources; looked up once per
 * server process (its runtime does not change under it), not at every run's start.
 */
export function runtimeObjects(): Promise<string[]> {
  objects ??= (async () => {
    const dir = path.join(cacheDir, `runtime-${hashOf([...runtimeSources(), CC])}`);
    await once(dir, async (tmp) => {
      for (const u of RUNTIME_UNITS) await cc(['-std=gnu11', '-O2', '-Wall', '-Werror', '-c', '-o', `${u}.o`, path.join(runtimeDir, `${u}.c`)], tmp);
    });
    return RUNTIME_UNITS.map((u) => path.join(dir, `${u}.o`));
  })();
  // a failed build (no cc yet) is tried again at the next run
  objects.catch(() => (objects = null));
  return objects;
}

/** The path of the binary for gen, compiled once per content. */
export async function compiled(gen: GeneratedC): Promise<string> {
  const objs = await runtimeObjects();
  const dir = path.join(cacheDir, hashOf([...objs, gen.source, gen.hosted, CC, CFLAGS.join(' ')]));
  await once(dir, async (tmp) => {
    fs.writeFileSync(path.join(tmp, gen.fileName), gen.source);
    fs.writeFileSync(path.join(tmp, 'hosted.c'), gen.hosted);
    const wrap = `-Wl,${WRAPPED.map((w) => `--wrap=${w}`).join(',')}`;
    await cc([...CFLAGS, `-I${runtimeDir}`, '-o', 'prog', 'hosted.c', ...objs, wrap, ...LIBS], tmp);
  });
  return path.join(dir, 'prog');
}
