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
const CFLAGS = ['-std=gnu11', '-O2', '-Wall', '-fno-strict-aliasing'];
const LIBS = ['-lrt', '-pthread'];

export class CompileError extends Error {}

function runtimeSources(): string[] {
  return ['ipcpg.c', 'ipcpg.h', 'calls.h'].map((f) => fs.readFileSync(path.join(runtimeDir, f), 'utf8'));
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

/** The path of the binary for gen, compiled once per content. */
export function compiled(gen: GeneratedC): Promise<string> {
  const hash = crypto.createHash('sha256');
  for (const s of [...runtimeSources(), gen.source, gen.hosted, CC, CFLAGS.join(' ')]) hash.update(s).update('\0');
  const key = hash.digest('hex').slice(0, 24);
  const dir = path.join(cacheDir, key);
  const bin = path.join(dir, 'prog');
  if (fs.existsSync(bin)) return Promise.resolve(bin);
  let p = inFlight.get(key);
  if (p) return p;
  p = (async () => {
    // built aside, then renamed: two servers compiling the same scenario never run half a file
    fs.mkdirSync(path.dirname(cacheDir), { recursive: true });
    const tmp = fs.mkdtempSync(cacheDir + '-');
    try {
      fs.writeFileSync(path.join(tmp, gen.fileName), gen.source);
      fs.writeFileSync(path.join(tmp, 'hosted.c'), gen.hosted);
      const wrap = `-Wl,${WRAPPED.map((w) => `--wrap=${w}`).join(',')}`;
      await cc([...CFLAGS, `-I${runtimeDir}`, '-o', 'prog', 'hosted.c', path.join(runtimeDir, 'ipcpg.c'), wrap, ...LIBS], tmp);
      fs.mkdirSync(cacheDir, { recursive: true });
      fs.chmodSync(tmp, 0o755);
      try {
        fs.renameSync(tmp, dir);
      } catch {
        // another server got there first: theirs is the same program
      }
      return bin;
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
      inFlight.delete(key);
    }
  })();
  inFlight.set(key, p);
  return p;
}
