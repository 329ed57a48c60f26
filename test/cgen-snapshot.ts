// A byte-for-byte guard for refactors of lib/cgen: generates the C (source, hosted, file name,
// line map) of many scenarios and saves it, or compares it with what was saved.
//
//   node --import tsx test/cgen-snapshot.ts save  DIR   # before the change
//   node --import tsx test/cgen-snapshot.ts check DIR   # after it: exit 1 on any difference
//
// The scenarios: the gallery, the cgen fixtures, the matrix of test/cgen.test.ts (every verb
// on every mechanism, and every mechanism unused), then variations that reach more paths: each
// channel of those moved to every other mechanism the programs still check against, and seeded
// one-place edits of the programs. Each is generated with the default message limit and with a
// tiny one (so that check_length() appears). Not a *.test.ts: it is run by hand, with a DIR.

import fs from 'node:fs';
import path from 'node:path';
import { generateC } from '../lib/cgen/index';
import { MECHANISMS, MECHANISM_IDS, type MechanismId } from '../lib/mechanisms';
import { validateScenario } from '../lib/validate';
import { mutateText } from './fuzzgen';

const root = path.resolve(import.meta.dirname, '..');

interface Input {
  slug: string;
  json: any;
}

function files(dir: string, keep: (f: string) => boolean): Input[] {
  return fs
    .readdirSync(path.join(root, dir))
    .filter(keep)
    .sort()
    .map((f) => ({ slug: f.replace(/\.json$/, ''), json: JSON.parse(fs.readFileSync(path.join(root, dir, f), 'utf8')) }));
}

/** The forms of a verb on a mechanism: a copy of test/cgen.test.ts's matrix. */
function forms(m: MechanismId, verb: string): string[] {
  const fam = MECHANISMS[m].family;
  const data = fam !== 'signal' && fam !== 'semaphore';
  switch (verb) {
    case 'send':
      if (!data) return ['send c'];
      return ['send c "text {n} {s}"', 'send c s', 'send c n', ...(m === 'mq-sysv' ? ['send c "t" type 2', 'send c "t" type n'] : []), ...(m === 'mq-posix' ? ['send c "p" priority 3', 'send c s priority n'] : [])];
    case 'recv':
      if (!data) return ['recv c'];
      return ['recv c as m1', 'recv c', ...(m !== 'mq-posix' ? ['recv c 5 as m2', 'recv c n as m3'] : []), ...(m === 'mq-sysv' ? ['recv c type 0 as m4'] : []), 'while recv c as w {\n  if w == "x" {\n    break\n  }\n}'];
    case 'close':
      return ['if n > 100 {\n  close c\n}'];
    case 'write':
      return ['write c "abc" at 3', 'write c s at n', 'write c "{n}"'];
    case 'read':
      return ['read c 8 as r1', 'read c n at n as r2', 'print "{r1}{r2}"'];
    case 'trywait':
      return ['trywait c as got', 'trywait c'];
    default:
      return [`${verb} c`];
  }
}

function matrix(): Input[] {
  const out: Input[] = [];
  for (const m of MECHANISM_IDS) {
    const prog = (end: 'from' | 'to', other: string) => {
      const verbs = MECHANISMS[m].verbs[end];
      const lines = ['set n = 3', 'set s = "hey"', `on SIGUSR2 {\n  ${forms(m, verbs[0])[0].split('\n').join('\n  ')}\n}`, 'repeat 2 {'];
      for (const v of verbs) for (const f of forms(m, v)) lines.push(...f.split('\n').map((l) => '  ' + l));
      lines.push('}');
      for (const v of verbs) for (const f of forms(m, v)) lines.push(...f.split('\n'));
      lines.push(`signal ${other} SIGUSR2`, 'pause', 'exit n');
      return lines.join('\n') + '\n';
    };
    out.push({
      slug: `matrix-${m}`,
      json: {
        version: 1,
        title: `every verb on ${m}`,
        processes: [{ id: 'p', name: 'p', program: prog('from', 'q') }, { id: 'q', name: 'q', program: prog('to', 'p') }],
        channels: [{ id: 'c', from: 'p', to: 'q', mechanism: m }],
      },
    });
  }
  out.push({
    slug: 'matrix-unused',
    json: {
      version: 1,
      title: 'unused channels',
      processes: [{ id: 'a', name: 'a', program: 'print "a"\n' }, { id: 'b', name: 'b', program: '' }],
      channels: MECHANISM_IDS.map((m, i) => ({ id: `c${i}`, from: 'a', to: 'b', mechanism: m })),
    },
  });
  return out;
}

/** Paths the gallery and the matrix miss: loops and conditions that need lines before them, recv without "as" in a loop. */
function extras(): Input[] {
  const lang = [
    'set n = 2', 'set s = "a"', 'repeat n + 1 as k {', '  set s = s + "b"', '}', 'print k',
    'while s + "x" != "abbbx" {', '  set s = s + "b"', '}',
    'if s == "q" {', '  print 1', '} else if s + "y" == "abbby" {', '  print 2', '} else {', '  print 3', '}',
  ].join('\n') + '\n';
  const out: Input[] = [{ slug: 'extra-lang', json: { version: 1, title: 'extra lang', processes: [{ id: 'p', name: 'p', program: lang }], channels: [] } }];
  for (const m of MECHANISM_IDS) {
    const fam = MECHANISMS[m].family;
    if (!MECHANISMS[m].verbs.to.includes('recv') || fam === 'signal' || fam === 'semaphore') continue;
    out.push({
      slug: `extra-whilerecv-${m}`,
      json: {
        version: 1,
        title: `while recv without as on ${m}`,
        processes: [{ id: 'p', name: 'p', program: 'send c "x"\n' }, { id: 'q', name: 'q', program: 'while recv c {\n  break\n}\n' }],
        channels: [{ id: 'c', from: 'p', to: 'q', mechanism: m }],
      },
    });
  }
  return out;
}

/** mulberry32: a small seeded PRNG, so that the variations are the same on every run. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const valid = (json: unknown) => validateScenario(json).ok;

function variations(base: Input[]): Input[] {
  const out: Input[] = [];
  for (const b of base) {
    (b.json.channels ?? []).forEach((c: any, i: number) => {
      for (const m of MECHANISM_IDS) {
        if (m === c.mechanism) continue;
        const json = structuredClone(b.json);
        json.channels[i].mechanism = m;
        json.channels[i].options = {};
        if (valid(json)) out.push({ slug: `${b.slug}~${c.id}=${m}`, json });
      }
    });
  }
  const r = rng(20240601);
  for (const b of base) {
    for (let k = 0, kept = 0; k < 200 && kept < 12; k++) {
      const json = structuredClone(b.json);
      const p = json.processes[Math.floor(r() * json.processes.length)];
      p.program = mutateText(r, p.program);
      if (valid(json)) out.push({ slug: `${b.slug}~edit${kept++}`, json });
    }
  }
  return out;
}

function generate(inp: Input, messageBytes?: number): string {
  const v = validateScenario(inp.json);
  if (!v.ok) throw new Error(`${inp.slug}: ${JSON.stringify(v.errors)}`);
  try {
    const g = generateC(v.scenario, v.programs, messageBytes === undefined ? {} : { messageBytes });
    return JSON.stringify({ fileName: g.fileName, perProcess: g.perProcess }, null, 1) + '\n==== source\n' + g.source + '==== hosted\n' + g.hosted;
  } catch (e) {
    return `threw: ${(e as Error).message}\n`;
  }
}

const [mode, dir] = process.argv.slice(2);
if ((mode !== 'save' && mode !== 'check') || !dir) {
  console.error('usage: cgen-snapshot.ts save|check DIR');
  process.exit(2);
}
const base = [...files('examples', (f) => f.endsWith('.json')), ...files('test/fixtures', (f) => f.startsWith('cgen-') && f.endsWith('.json')), ...matrix(), ...extras()];
const all = [...base, ...variations(base)];
if (mode === 'save') fs.mkdirSync(dir, { recursive: true });
let compared = 0;
const differ: string[] = [];
for (const inp of all) {
  for (const [suffix, mb] of [['', undefined], ['@16', 16]] as const) {
    const name = (inp.slug + suffix).replace(/[^A-Za-z0-9@~=._-]/g, '_') + '.txt';
    const text = generate(inp, mb);
    const file = path.join(dir, name);
    if (mode === 'save') fs.writeFileSync(file, text);
    else {
      compared++;
      if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) {
        differ.push(name);
        fs.writeFileSync(file + '.new', text);
      }
    }
  }
}
if (mode === 'save') console.log(`saved ${all.length * 2} outputs of ${all.length} scenarios (${base.length} base) in ${dir}`);
else {
  const saved = fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).length;
  console.log(`compared ${compared} outputs of ${all.length} scenarios with ${saved} saved: ${differ.length} differ`);
  for (const d of differ.slice(0, 20)) console.log(`  differs: ${d} (see ${d}.new)`);
  if (differ.length || saved !== compared) process.exit(1);
}
