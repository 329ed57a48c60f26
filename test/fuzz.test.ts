// Seeded fuzzing of everything a user or a link can hand the playground: scenario JSON,
// program text and share links. No crash, no hang, and every rejection names its place.
// FUZZ_CASES sets the size (default 400 per target; `npm run fuzz` runs 10,000).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkScenarioShape } from '../lib/scenario';
import { decodeShare, encodeShare } from '../lib/share';
import { validateScenario } from '../lib/validate';
import { prng } from './harness/soak';
import { PLACE, int, mutate, mutateText, pick, randomValue } from './fuzzgen';

const CASES = Number(process.env.FUZZ_CASES ?? 400);
const SEED = Number(process.env.FUZZ_SEED ?? 42);
const root = path.resolve(import.meta.dirname, '..');
const gallery = fs.readdirSync(path.join(root, 'examples')).map((f) => JSON.parse(fs.readFileSync(path.join(root, 'examples', f), 'utf8')));


function assertRejectionNamesPlace(v: ReturnType<typeof validateScenario>, input: unknown): void {
  if (v.ok) return;
  assert.ok(v.errors.length > 0);
  for (const e of v.errors) {
    assert.match(e.place, PLACE, `bad place ${e.place} for ${JSON.stringify(input).slice(0, 300)}`);
    assert.ok(e.message.length > 0);
  }
}

describe(`fuzz (${CASES} cases each, seed ${SEED})`, () => {
  it('scenario JSON: mutated gallery scenarios', () => {
    const r = prng(SEED);
    for (let i = 0; i < CASES; i++) {
      let s: unknown = pick(r, gallery);
      for (let k = 1 + int(r, 3); k > 0; k--) s = mutate(r, s);
      assertRejectionNamesPlace(validateScenario(s), s);
    }
  });
  it('scenario JSON as text: cut, spliced and random bytes', () => {
    const r = prng(SEED + 1);
    for (let i = 0; i < CASES; i++) {
      const text = JSON.stringify(pick(r, gallery));
      const s = r() < 0.5 ? text.slice(0, int(r, text.length)) : mutateText(r, text);
      assertRejectionNamesPlace(validateScenario(s), s);
    }
  });
  it('program text: mutated gallery programs, placed at line:column', () => {
    const r = prng(SEED + 2);
    for (let i = 0; i < CASES; i++) {
      const s = structuredClone(pick(r, gallery));
      const p = pick(r, s.processes) as { program: string };
      p.program = mutateText(r, p.program);
      assertRejectionNamesPlace(validateScenario(s), s);
    }
  });
  it('share links: mutated, cut and random fragments', () => {
    const r = prng(SEED + 3);
    const links = gallery.map((g) => encodeShare(checkScenarioShape(g).scenario!));
    for (let i = 0; i < CASES; i++) {
      const l = pick(r, links);
      const f = r() < 0.3 ? l.slice(0, int(r, l.length)) : r() < 0.9 ? mutateText(r, l) : String(randomValue(r));
      const d = decodeShare(f);
      if (!d.ok) assert.ok(d.reason && d.message, f);
      else assertRejectionNamesPlace(validateScenario(d.scenario), d.scenario);
    }
  });
});
