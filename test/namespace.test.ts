// Where namespaces are refused, RunNamespace makes none and keeps the reason.
//
// The refusal is real, not mocked: test/fixtures/namespace-probe.ts runs as nobody (setpriv), who may not unshare(2).
// nobody may not be able to read the checkout either (a clone under /root, a home directory with mode 0700), so the
// probe does not run from it: it is bundled with esbuild, as the process host is, into a fresh directory under
// os.tmpdir() with a copy of koffi beside it, every file readable by all.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const NOBODY = 65534;

/** Fills dir, made readable by anyone, with the probe as one ESM file and the koffi it loads (package and native binary). */
async function probeOutsideCheckout(dir: string): Promise<string> {
  const probe = path.join(dir, 'probe.mjs');
  await build({
    entryPoints: [path.join(root, 'test/fixtures/namespace-probe.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: probe,
    external: ['koffi'],
    logLevel: 'warning',
  });
  // koffi finds its native module in @koromix/koffi-<platform>-<arch>, beside its own package folder
  let koffi = path.dirname(createRequire(path.join(root, 'package.json')).resolve('koffi'));
  while (!fs.existsSync(path.join(koffi, 'package.json'))) koffi = path.dirname(koffi);
  fs.cpSync(koffi, path.join(dir, 'node_modules/koffi'), { recursive: true, dereference: true });
  const binary = path.join(koffi, '..', '@koromix', `koffi-${process.platform}-${process.arch}`);
  if (fs.existsSync(binary)) fs.cpSync(binary, path.join(dir, 'node_modules/@koromix', path.basename(binary)), { recursive: true, dereference: true });
  // mkdtemp makes the directory 0700, and copies keep the checkout's modes (or a strict umask's)
  fs.chmodSync(dir, 0o755);
  for (const rel of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const p = path.join(dir, rel);
    fs.chmodSync(p, fs.statSync(p).isDirectory() ? 0o755 : 0o644);
  }
  return probe;
}

it('where namespaces are refused (an unprivileged user), none is made and the reason is kept (runs then use naming, as with namespaces off)', async (t) => {
  if (process.getuid?.() !== 0 || !fs.existsSync('/usr/bin/setpriv')) return t.skip('needs root and setpriv to become an unprivileged user');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipcpg-ns-probe-'));
  try {
    const probe = await probeOutsideCheckout(dir);
    const out = execFileSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, probe], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, HOME: dir },
    });
    assert.deepEqual(JSON.parse(out), { created: false, whyNot: 'unshare: EPERM' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
