// Share links: exact round trips, size, and every way a link can arrive broken.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Inflate, deflateSync } from 'fflate';
import { checkScenarioShape, type Scenario } from '../lib/scenario';
import { validateScenario } from '../lib/validate';
import { SHARE_MAX_INFLATED, SHARE_SOFT_LIMIT, crc32, decodeShare, encodeShare, type Decoded } from '../lib/share';

const root = path.resolve(import.meta.dirname, '..');
const examples = fs.readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.json')).sort();

function normal(input: unknown): Scenario {
  const { scenario, errors } = checkScenarioShape(input);
  assert.ok(scenario, JSON.stringify(errors));
  assert.deepEqual(errors, []);
  return scenario;
}

function roundTrip(s: Scenario): string {
  const link = encodeShare(s);
  assert.match(link, /^s2\.[A-Za-z0-9_-]+$/);
  const d = decodeShare(link);
  assert.ok(d.ok, `decode failed: ${JSON.stringify(d)}`);
  assert.deepStrictEqual(d.scenario, s);
  return link;
}

function failed(d: Decoded): Extract<Decoded, { ok: false }> {
  assert.equal(d.ok, false, 'expected a failure');
  return d as Extract<Decoded, { ok: false }>;
}

/** A seeded PRNG (mulberry32), so the fuzz is the same every run. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

/** Wraps any payload in a well-formed format-1 envelope (written independently of lib/share.ts). */
function envelope(payload: Uint8Array): string {
  const head: number[] = [];
  let n = payload.length;
  while (n >= 0x80) {
    head.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  head.push(n);
  const crc = crc32(payload);
  head.push(crc >>> 24, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff);
  const check = crc32(Uint8Array.from(head)) & 0xff;
  return 's1.' + base64url(Uint8Array.from([check, ...head, ...payload]));
}

const packJson = (v: unknown) => envelope(deflateSync(new TextEncoder().encode(JSON.stringify(v)), { level: 9 }));

/** Ten processes with realistic programs (3-6 lines) and eleven channels of ten mechanisms. */
function tenProcesses(floatPositions = false): Scenario {
  const names = ['source', 'splitter', 'worker1', 'worker2', 'worker3', 'merger', 'logger', 'monitor', 'cache', 'sink'];
  const programs: Record<string, string> = {
    source: 'repeat 5 {\n  send raw "record {i}\\n"   # write(2) on the pipe\n  sleep 100\n}\nclose raw\n',
    splitter: 'while recv raw as rec {\n  send jobs1 "a:{rec}"\n  send jobs2 "b:{rec}"\n  send jobs3 "c:{rec}"\n}\nprint "splitter done"\n',
    worker1: 'repeat 5 {\n  recv jobs1 as job\n  print "worker1 got {job}"\n  send done1 "ok {i}"\n}\nclose done1\n',
    worker2: 'repeat 5 {\n  recv jobs2 as job\n  print "worker2 got {job}"\n  send done2 "ok {i}"\n}\n',
    worker3: 'repeat 5 {\n  recv jobs3 as job\n  send done3 "ok {i}"\n}\nclose done3\n',
    merger: 'repeat 5 {\n  recv done1 as a\n  recv done2 as b\n  send log "{a} {b}\\n"\n}\npost ready\n',
    logger: 'on SIGUSR2 { print "tick" }\nsleep 1500\nrecv log as text\nprint "log: {text}"\n',
    monitor: 'repeat 3 {\n  write stats "load={i}" at 0\n  signal logger SIGUSR2\n  sleep 300\n}\n',
    cache: 'sleep 500\nread stats 16 at 0 as s\nprint "cache sees {s}"\n',
    sink: 'wait ready           # sem_wait: the merger posts when all is in\nprint "sink: all merged"\nexit 0\n',
  };
  const chans: [string, string, string, string, Record<string, number | string>?][] = [
    ['source', 'splitter', 'pipe', 'raw'],
    ['splitter', 'worker1', 'mq-posix', 'jobs1'],
    ['splitter', 'worker2', 'mq-sysv', 'jobs2', { mtype: 2 }],
    ['splitter', 'worker3', 'unix-stream', 'jobs3'],
    ['worker1', 'merger', 'fifo', 'done1'],
    ['worker2', 'merger', 'tcp', 'done2'],
    ['worker3', 'merger', 'udp', 'done3'],
    ['merger', 'logger', 'file', 'log'],
    ['monitor', 'cache', 'shm-posix', 'stats', { size: 256 }],
    ['merger', 'sink', 'sem-named', 'ready', { initial: 0 }],
    ['monitor', 'logger', 'signal', 'tick', { signal: 'SIGUSR2' }],
  ];
  const rand = rng(7);
  const pid = (n: string) => `p${names.indexOf(n) + 1}`;
  return normal({
    version: 1,
    title: 'Fan-out, fan-in: ten processes',
    description: 'A source feeds three workers over three kinds of channel; a merger collects their results and logs them.',
    processes: names.map((n, i) => ({
      id: `p${i + 1}`,
      name: n,
      program: programs[n],
      position: floatPositions ? { x: rand() * 1000, y: rand() * 600 } : { x: (i % 4) * 260, y: Math.floor(i / 4) * 180 },
    })),
    channels: chans.map(([from, to, mechanism, label, options], i) => ({ id: `c${i + 1}`, from: pid(from), to: pid(to), mechanism, label, ...(options ? { options } : {}) })),
  });
}

describe('share links: round trips', () => {
  for (const f of examples) {
    it(`gallery ${f} comes back exactly`, () => {
      roundTrip(normal(JSON.parse(fs.readFileSync(path.join(root, 'examples', f), 'utf8'))));
    });
  }

  it('keeps unicode in titles, descriptions and programs', () => {
    roundTrip(
      normal({
        version: 1,
        title: 'Ünïcødé 🚦 パイプ — עברית',
        description: 'emoji 👩‍👩‍👧, combining e\u0301, CJK 管道, a lone surrogate \ud800 and NUL \u0000 too',
        processes: [
          { id: 'a', name: 'a', program: 'send c1 "héllo 🌍 \\"quoted\\""\nprint "→ {pid} ✓"\n', position: { x: 0, y: 0 } },
          { id: 'b', name: 'b', program: '# 読む\nrecv c1 as m\nprint "got {m} ☃"\n', position: { x: 300, y: 0 } },
        ],
        channels: [{ id: 'c1', from: 'a', to: 'b', mechanism: 'pipe', label: 'tube' }],
      }),
    );
  });

  it('keeps every optional shape: no position, name != id, float and -0 positions, options without label, no description', () => {
    const s = normal({
      version: 1,
      title: 'shapes',
      processes: [
        { id: 'w', name: 'writer', program: '' },
        { id: 'r', name: 'r', program: 'recv c1 as m\n', position: { x: 12.345678901234, y: -0 } },
        { id: 'x', name: 'xx', program: 'pause\n', position: { x: -1e-7, y: 1e21 } },
        { id: 'y', name: 'y', program: 'wait s\n', position: { x: 5, y: 6 } },
      ],
      channels: [
        { id: 'c1', from: 'w', to: 'r', mechanism: 'pipe' },
        { id: 's', from: 'r', to: 'y', mechanism: 'sem-unnamed', options: { initial: 0 } },
        { id: 'q', from: 'x', to: 'y', mechanism: 'mq-posix', label: 'queue', options: { maxmsg: 4, msgsize: 64 } },
        { id: 'k', from: 'x', to: 'r', mechanism: 'signal', options: { signal: 'SIGUSR2' } },
      ],
    });
    assert.equal(s.description, '');
    roundTrip(s);
    const d = decodeShare(encodeShare(s));
    assert.ok(d.ok && Object.is(d.scenario.processes[1].position!.y, -0));
    assert.ok(d.ok && !('position' in d.scenario.processes[0]));
  });

  it('is deterministic', () => {
    const s = tenProcesses();
    assert.equal(encodeShare(s), encodeShare(structuredClone(s)));
  });

  it('still reads a format-1 link made earlier (the format is frozen)', () => {
    const golden =
      's1.RIMBpd0bros21FFyz89JSc1TeDRnspJOdLRSuZKOElhXsiHQjIxMkDkQVyUDU4eSjqGRnqmOkq4BUBkkYsDmFQG5YCuAukCujcmDuQLk9epcsPuUYoFKo5WSDUG2G4LsLwBrLgaaCuSZ6OSV5uToVCtBM4SSlUEtUIcSMEHmAgPDUAcULVWpQGMA';
    const d = decodeShare(golden);
    assert.ok(d.ok, JSON.stringify(d));
    // read into version 2: each channel's from and to become its two links
    assert.deepStrictEqual(d.scenario, {
      version: 2,
      title: 'Golden ✓',
      description: 'format 1, frozen',
      processes: [
        { id: 'w', name: 'writer', program: 'send c1 "hi"\nclose c1\n', position: { x: 12.5, y: -0 } },
        { id: 'r', name: 'r', program: 'recv c1 as m\nprint "got {m}"\n' },
      ],
      channels: [
        { id: 'c1', mechanism: 'pipe', label: 'p', links: [{ process: 'w', end: 'from' }, { process: 'r', end: 'to' }] },
        { id: 's', mechanism: 'sem-named', options: { initial: 0 }, links: [{ process: 'r', end: 'from' }, { process: 'w', end: 'to' }] },
      ],
    });
  });
});

describe('share links: size', () => {
  it('ten processes with realistic programs and eleven channels fit in under 2,000 characters', () => {
    const s = tenProcesses();
    assert.ok(validateScenario(s).ok, 'the generated scenario is a valid one');
    assert.equal(s.processes.length, 10);
    for (const p of s.processes) {
      const lines = p.program.trim().split('\n').length;
      assert.ok(lines >= 3 && lines <= 6, `${p.name}: ${lines} lines`);
    }
    const link = roundTrip(s);
    const floats = roundTrip(tenProcesses(true));
    const json = JSON.stringify(s).length;
    console.log(`# 10-process link: ${link.length} chars (JSON ${json}); with dragged float positions: ${floats.length} chars`);
    assert.ok(link.length < 2000, `${link.length} chars`);
    assert.ok(floats.length < 2000, `${floats.length} chars`);
    assert.ok(link.length < SHARE_SOFT_LIMIT);
  });
});

describe('share links: what a user may paste', () => {
  const link = encodeShare(normal(JSON.parse(fs.readFileSync(path.join(root, 'examples', 'deadlock.json'), 'utf8'))));

  it('takes the fragment with or without #, or a whole URL', () => {
    for (const input of [link, `#${link}`, `http://localhost:3000/#${link}`, `https://play.example/edit?x=1#${link}`, `  ${link}\n`]) {
      assert.ok(decodeShare(input).ok, input);
    }
  });

  it('forgives line breaks and spaces that mail and chat put in long links', () => {
    const wrapped = link.replace(/(.{40})/g, '$1\n ');
    assert.ok(decodeShare(wrapped).ok);
  });

  it('says empty when there is nothing', () => {
    for (const input of ['', '#', '   ', 'https://play.example/', 'https://play.example/#']) {
      assert.equal(failed(decodeShare(input)).reason, 'empty', JSON.stringify(input));
    }
  });
});

describe('share links: broken links', () => {
  const s = normal(JSON.parse(fs.readFileSync(path.join(root, 'examples', 'bounded-buffer.json'), 'utf8')));
  const link = encodeShare(s);
  const body = link.slice(3);

  it('malformed: random text, other formats, characters outside the alphabet', () => {
    for (const input of ['hello world', 'xyz', 's1', 'sx.abc', 's0.AAAA', 's1.!!!!', 's1.abc def$', '{"version":1}', `${link}!`, `${link.slice(0, 30)}%${link.slice(31)}`]) {
      const r = failed(decodeShare(input));
      assert.equal(r.reason, 'malformed', `${input}: ${r.message}`);
      assert.ok(r.message.length > 10);
    }
  });

  it('truncated: cut at every point', () => {
    for (let cut = 3; cut < link.length; cut++) {
      const r = failed(decodeShare(link.slice(0, cut)));
      assert.equal(r.reason, 'truncated', `cut at ${cut}: ${r.message}`);
      assert.match(r.message, /cut short/);
    }
  });

  it('tampered: one character changed anywhere in the contents', () => {
    const headerChars = 8; // check byte, length varint and CRC: the first ~8 characters
    for (let i = headerChars; i < body.length; i++) {
      const c = body[i];
      const other = B64[(B64.indexOf(c) + 1 + (i % 63)) % 64];
      const bad = `s1.${body.slice(0, i)}${other}${body.slice(i + 1)}`;
      const r = failed(decodeShare(bad));
      assert.equal(r.reason, 'tampered', `char ${i}: ${r.message}`);
    }
    // the middle, as a user would break it
    const mid = Math.floor(link.length / 2);
    const flipped = link.slice(0, mid) + (link[mid] === 'A' ? 'B' : 'A') + link.slice(mid + 1);
    assert.equal(failed(decodeShare(flipped)).reason, 'tampered');
  });

  it('a change in the header never passes', () => {
    for (let i = 0; i < 8; i++) {
      for (const other of B64) {
        if (other === body[i]) continue;
        const d = decodeShare(`s1.${body.slice(0, i)}${other}${body.slice(i + 1)}`);
        assert.equal(d.ok, false);
        assert.ok(['tampered', 'truncated', 'malformed'].includes((d as { reason: string }).reason));
      }
    }
  });

  it('newer: a later link format, or a later scenario version inside', () => {
    const r = failed(decodeShare('s3.' + body));
    assert.equal(r.reason, 'newer');
    assert.match(r.message, /made by a newer version of IPC Playground/);
    const r2 = failed(decodeShare(encodeShare({ ...s, version: 3 })));
    assert.equal(r2.reason, 'newer');
    assert.match(r2.message, /made by a newer version of IPC Playground/);
  });

  it('invalid: decodes but is not a valid scenario, and the message names the place', () => {
    const bad = structuredClone(s) as Scenario;
    (bad.channels[0] as { mechanism: string }).mechanism = 'carrier-pigeon';
    const r = failed(decodeShare(encodeShare(bad)));
    assert.equal(r.reason, 'invalid');
    assert.match(r.message, /channels\[0\]\.mechanism: must be one of/);

    const dangling = structuredClone(s);
    dangling.channels[1].links[1].process = 'nobody';
    const r2 = failed(decodeShare(encodeShare(dangling)));
    assert.equal(r2.reason, 'invalid');
    assert.match(r2.message, /channels\[1\]\.links\[1\]\.process: no process with id "nobody"/);
  });

  it('malformed: a sound envelope around something that is not a scenario', () => {
    for (const v of [42, 'text', [], [1, 'x'], { version: 1 }, [1, 't', 'p', []], [1, 't', [['a']], []], [1, 't', [], [['c', 9, 0, 0]]], [1, 't', [], [['c', 0, 0, 99]]]]) {
      assert.equal(failed(decodeShare(packJson(v))).reason, 'malformed', JSON.stringify(v));
    }
    assert.equal(failed(decodeShare(envelope(new Uint8Array([1, 2, 3, 4, 5])))).reason, 'malformed');
    assert.equal(failed(decodeShare(envelope(deflateSync(Uint8Array.from([0xff, 0xfe, 0x80]))))).reason, 'malformed', 'not UTF-8');
  });

  /** Runs f, counting the bytes fed to fflate's streaming inflater and the bytes it produced meanwhile. */
  function inflaterWork<T>(f: () => T): { value: T; fed: number; produced: number } {
    const push = Inflate.prototype.push;
    let fed = 0;
    let produced = 0;
    Inflate.prototype.push = function (this: Inflate, chunk: Uint8Array, final?: boolean) {
      fed += chunk.length;
      const ondata = this.ondata;
      this.ondata = (data, last) => {
        produced += data.length;
        ondata.call(this, data, last);
      };
      try {
        push.call(this, chunk, final);
      } finally {
        this.ondata = ondata;
      }
    };
    try {
      return { value: f(), fed, produced };
    } finally {
      Inflate.prototype.push = push;
    }
  }

  it('refuses huge fragments before unpacking, and zip bombs after unpacking little more than the limit', () => {
    // the counts see the inflater at work on a sound link
    const sound = inflaterWork(() => decodeShare(encodeShare(tenProcesses())));
    assert.equal(sound.value.ok, true);
    assert.ok(sound.fed > 0 && sound.produced > 0, JSON.stringify(sound));

    for (const n of [200_000, 150_000]) {
      const huge = inflaterWork(() => failed(decodeShare('s1.' + 'A'.repeat(n))));
      assert.equal(huge.value.reason, 'malformed');
      assert.match(huge.value.message, /characters long/);
      assert.equal(huge.fed, 0, 'refused on its length, before decoding');
    }

    const zeros = deflateSync(new Uint8Array(50 << 20), { level: 9 }); // 50 MB of zeros
    const bomb = envelope(zeros);
    assert.ok(bomb.length < 100_000, `${bomb.length}`);
    const r = inflaterWork(() => failed(decodeShare(bomb)));
    assert.equal(r.value.reason, 'malformed');
    assert.match(r.value.message, /over 1 MiB unpacked/);
    // given up a small step past the limit: a fraction of the input read, a few MB (not 50) written
    assert.ok(r.fed < zeros.length / 10, `read ${r.fed} of ${zeros.length} bytes`);
    assert.ok(r.produced > SHARE_MAX_INFLATED && r.produced < 4 * SHARE_MAX_INFLATED, `unpacked ${r.produced} bytes`);

    const justOver = envelope(deflateSync(new TextEncoder().encode(JSON.stringify([1, 'x'.repeat((1 << 20) + 1), [], []]))));
    assert.equal(failed(decodeShare(justOver)).reason, 'malformed');
  });
});

describe('share links: fuzz', () => {
  it('5,000 random and mutated fragments: never throws, always a reason', () => {
    const rand = rng(20240601);
    const int = (n: number) => Math.floor(rand() * n);
    const seeds = [...examples.map((f) => encodeShare(normal(JSON.parse(fs.readFileSync(path.join(root, 'examples', f), 'utf8'))))), encodeShare(tenProcesses())];
    const ALPH = B64 + '.#%!~ \n\u00e9\u{1F600}sS12';
    const randText = (n: number) => Array.from({ length: n }, () => ALPH[int(ALPH.length)]).join('');
    const mutate = (l: string): string => {
      const k = int(9);
      const i = int(l.length);
      switch (k) {
        case 0: return l.slice(0, i) + B64[int(64)] + l.slice(i + 1); // change one
        case 1: return l.slice(0, i) + l.slice(i + 1); // drop one
        case 2: return l.slice(0, i) + B64[int(64)] + l.slice(i); // insert one
        case 3: return l.slice(0, i); // cut
        case 4: return l + l.slice(3, 3 + int(20)); // extra tail
        case 5: { const j = int(l.length); return l.slice(0, Math.min(i, j)) + l.slice(Math.max(i, j)); } // cut a piece out
        case 6: return l.slice(0, i) + randText(int(12)) + l.slice(i); // noise
        case 7: return `s${int(4)}.` + l.slice(3); // other format numbers
        default: { let m = l; for (let n = 0; n < 1 + int(5); n++) m = mutate(m); return m; }
      }
    };
    // sound envelopes around random payloads and random JSON reach the inflater and the parser
    const randJson = (depth: number): unknown => {
      const k = int(depth > 2 ? 4 : 7);
      if (k === 0) return int(100) - 10;
      if (k === 1) return randText(int(8));
      if (k === 2) return null;
      if (k === 3) return rand() < 0.5;
      if (k === 4) return { version: 1, processes: [randJson(depth + 1)] };
      return Array.from({ length: int(6) }, () => randJson(depth + 1));
    };
    const reasons: Record<string, number> = {};
    let oks = 0;
    const t = performance.now();
    for (let n = 0; n < 5000; n++) {
      const k = n % 10;
      let input: string;
      if (k < 5) input = mutate(seeds[int(seeds.length)]);
      else if (k < 7) input = rand() < 0.5 ? randText(int(300)) : 's1.' + randText(int(300));
      else if (k < 8) input = envelope(Uint8Array.from({ length: int(200) }, () => int(256)));
      else if (k < 9) input = packJson(randJson(0));
      else input = packJson([1, randText(int(20)), Array.from({ length: int(4) }, () => [randText(3), randText(10), int(9), int(9)]), Array.from({ length: int(3) }, () => [randText(2), int(5), int(5), int(20)])]);
      let d: Decoded;
      try {
        d = decodeShare(input);
      } catch (e) {
        assert.fail(`threw on ${JSON.stringify(input)}: ${e}`);
      }
      if (d.ok) {
        // only sound envelopes around random records, or a mutation that changed nothing (a
        // scenario without channels, fork-wait's, reads the same as format 1 and as format 2)
        const same = input.replace(/\s/g, '');
        assert.ok(k >= 7 || seeds.includes(same) || seeds.includes(same.replace(/^s1\./, 's2.')), `a broken link decoded: ${input}`);
        oks++;
        continue;
      }
      assert.ok(['empty', 'malformed', 'truncated', 'tampered', 'newer', 'invalid'].includes(d.reason), d.reason);
      assert.ok(typeof d.message === 'string' && d.message.length > 10, d.message);
      reasons[d.reason] = (reasons[d.reason] ?? 0) + 1;
    }
    const ms = performance.now() - t;
    // the time is for reading only: how long is the machine's business (the work per link is bounded above)
    console.log(`# fuzz: 5000 in ${ms.toFixed(0)} ms; ${oks} ok; ${JSON.stringify(reasons)}`);
    for (const r of ['malformed', 'truncated', 'tampered', 'newer', 'invalid']) assert.ok(reasons[r] > 0, `the fuzz reached '${r}'`);
  });
});
