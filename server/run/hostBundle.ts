// The process host runs as one bundled ESM file: loading TypeScript through tsx would add
// about 100 ms to every process start. Built once per server process, into .cache/.

import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let built: Promise<string> | null = null;

export function hostBundle(): Promise<string> {
  built ??= (async () => {
    const tmp = path.join(root, '.cache', `host-${process.pid}.mjs`);
    const outfile = path.join(root, '.cache', 'host.mjs');
    await build({
      entryPoints: [path.join(root, 'server/host/main.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: tmp,
      external: ['koffi'],
      logLevel: 'warning',
    });
    // rename is atomic: servers building at the same time never load a half-written file
    fs.renameSync(tmp, outfile);
    return outfile;
  })();
  return built;
}
