// The import boundaries of eslint.config.js catch what they should, and let through what is allowed.

import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: path.resolve(import.meta.dirname, '..') });

/** The boundary errors for code placed at filePath (relative to the repository root). */
async function boundaryErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  assert.equal(result.fatalErrorCount, 0, JSON.stringify(result.messages));
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports' && m.severity === 2).map((m) => m.message);
}

describe('import boundaries', () => {
  it('lib/ may not import the server, however it is spelled, nor Node modules or React', async () => {
    for (const [file, spec] of [
      ['lib/x.ts', '../server/index'],
      ['lib/x.ts', '@/server/index'],
      ['lib/lang/x.ts', '../../server/index'],
      ['lib/x.ts', '../native/index'],
      ['lib/x.ts', 'node:fs'],
      ['lib/x.ts', 'fs'],
      ['lib/x.ts', 'react'],
    ]) {
      const errors = await boundaryErrors(`import { x } from '${spec}';\nexport const y = x;\n`, file);
      assert.equal(errors.length, 1, `${file} importing ${spec}`);
    }
    assert.match((await boundaryErrors(`export { x } from '../server/index';\n`, 'lib/x.ts'))[0], /lib\/ imports nothing of ours outside lib\//);
  });

  it('components/ may not import server/ or native/', async () => {
    assert.equal((await boundaryErrors(`import { x } from '../server/index';\nexport const y = x;\n`, 'components/X.tsx')).length, 1);
    assert.equal((await boundaryErrors(`import { x } from '../../server/run/run';\nexport const y = x;\n`, 'components/panels/X.tsx')).length, 1);
    assert.equal((await boundaryErrors(`import { sys } from '@/native/index';\nexport const y = sys;\n`, 'components/panels/X.tsx')).length, 1);
  });

  it('the other folders keep to theirs', async () => {
    assert.equal((await boundaryErrors(`import { x } from '@/server/index';\nexport const y = x;\n`, 'app/page.tsx')).length, 1);
    assert.equal((await boundaryErrors(`import { x } from '../components/X';\nexport const y = x;\n`, 'native/x.ts')).length, 1);
    assert.equal((await boundaryErrors(`import { z } from 'zod';\nexport const y = z;\n`, 'native/x.ts')).length, 1);
    assert.equal((await boundaryErrors(`import { x } from '../../components/X';\nexport const y = x;\n`, 'server/run/x.ts')).length, 1);
  });

  it('allowed imports pass: within a folder, lib/ from anywhere, native/ from the server', async () => {
    assert.deepEqual(await boundaryErrors(`import { x } from '../mechanisms';\nimport { z } from 'zod';\nexport const y = [x, z];\n`, 'lib/lang/x.ts'), []);
    assert.deepEqual(await boundaryErrors(`import { x } from '@/lib/scenario';\nimport { r } from '../run/x';\nexport const y = [x, r];\n`, 'components/panels/X.tsx'), []);
    assert.deepEqual(await boundaryErrors(`import { x } from '../lib/scenario';\nimport koffi from 'koffi';\nimport os from 'node:os';\nexport const y = [x, koffi, os];\n`, 'native/x.ts'), []);
    assert.deepEqual(await boundaryErrors(`import { sys } from '../../native/index';\nimport { x } from '../../lib/scenario';\nexport const y = [sys, x];\n`, 'server/run/x.ts'), []);
    assert.deepEqual(await boundaryErrors(`import { P } from '@/components/Playground';\nimport { x } from '@/lib/protocol';\nexport const y = [P, x];\n`, 'app/page.tsx'), []);
  });
});
