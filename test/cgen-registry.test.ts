// The C generator's mechanism registry (lib/cgen/mechanisms) against what lib/mechanisms.ts
// lets a program do: every verb of every mechanism has its C, recv of bytes has a Receive
// (while recv needs one), and no module imports anything of the host (the C view runs in the
// browser). test/cgen.test.ts compiles and runs the C itself.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cgenMechanisms } from '../lib/cgen/mechanisms/registry';
import { MECHANISMS, MECHANISM_IDS } from '../lib/mechanisms';

const root = path.resolve(import.meta.dirname, '..');

describe('cgen mechanism registry', () => {
  it('has the C of every verb each end of each mechanism may use', () => {
    for (const id of MECHANISM_IDS) {
      const m = cgenMechanisms[id];
      const verbs = new Set([...MECHANISMS[id].verbs.from, ...MECHANISMS[id].verbs.to]);
      for (const v of verbs) {
        const has = v === 'recv' ? Boolean(m.receive) !== Boolean(m.verbs.recv) : Boolean(m.verbs[v]);
        assert.ok(has, `${id}: no C for ${v}${v === 'recv' ? ' (exactly one of receive, verbs.recv)' : ''}`);
      }
      for (const v of Object.keys(m.verbs)) assert.ok(verbs.has(v as never), `${id}: C for ${v}, which no program may use on it`);
      const fam = MECHANISMS[id].family;
      if (verbs.has('recv')) assert.equal(Boolean(m.receive), fam !== 'signal' && fam !== 'semaphore', `${id}: recv of bytes goes through receive`);
      if (MECHANISMS[id].verbs.from.includes('read')) assert.ok(m.readSize, `${id}: read needs readSize`);
      assert.equal(Boolean(m.endFd), Boolean(MECHANISMS[id].fd), `${id}: an end that is a descriptor (poll, nonblocking) has its endFd, and only then`);
    }
  });

  it('imports nothing of the host (isomorphic)', () => {
    const dir = path.join(root, 'lib/cgen');
    const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length > 16);
    for (const f of files) assert.doesNotMatch(fs.readFileSync(path.join(dir, f), 'utf8'), /from ['"](node:|fs|path|os|child_process|react)/, f);
  });
});
