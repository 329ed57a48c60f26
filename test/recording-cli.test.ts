// `npm run scenario -- FILE --record OUT --timeline OUT.svg` with real runs: the recording
// opens, holds the run as the page would get it, and stays small (a gallery example fits a
// link; a flood of 1,000,000 sends stays far under 2 MB gzipped); the SVG draws it.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'fflate';
import { parseRecording } from '../lib/recording/format';
import { encodeRecordingLink } from '../lib/recording/link';
import { cli, scenario } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipcpg-rec-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('CLI --record and --timeline', () => {
  it('records a gallery run with its trace: the recording opens, fits a link, and its timeline draws the arrows', async () => {
    const rec = path.join(dir, 'ping.json');
    const svg = path.join(dir, 'ping.svg');
    const r = await cli(['examples/signal-ping-pong.json', '--trace', '--record', rec, '--timeline', svg]);
    assert.equal(r.code, 0, r.stderr);
    const read = parseRecording(fs.readFileSync(rec, 'utf8'));
    assert.ok(read.ok, read.ok ? '' : read.message);
    const { recording } = read;
    assert.equal((recording.scenario as { title: string }).title, 'Signal ping-pong');
    const types = new Set(recording.events.map((e) => e.type));
    for (const t of ['run', 'syscall', 'signal', 'stdout', 'exit', 'end']) assert.ok(types.has(t as never), `has ${t}`);
    const out = recording.events.map((e) => (e.type === 'stdout' && e.proc === 'pong' ? e.text : '')).join('');
    assert.equal(out, 'pong got ping 1\npong got ping 2\npong got ping 3\n');
    const link = encodeRecordingLink(recording);
    assert.ok(link.length <= 8000, `link of ${link.length} characters`);
    const picture = fs.readFileSync(svg, 'utf8');
    assert.match(picture, /^<svg /);
    assert.equal((picture.match(/data-kind="signal"/g) ?? []).length >= 3, true);
  });

  it('records a flood of 1,000,000 sends bounded, saying what it folded', async () => {
    const rec = path.join(dir, 'flood.json');
    const flood = scenario(
      { w: 'repeat 1000000 {\n  send c1 "ping"\n}\nclose c1\n', r: 'set n = 0\nwhile recv c1 as m {\n  set n = n + 1\n}\nprint "done"\n' },
      [['c1', 'w', 'r', 'pipe']],
    );
    const file = path.join(dir, 'flood-scenario.json');
    fs.writeFileSync(file, JSON.stringify(flood));
    const r = await cli([file, '--trace', '--record', rec], 120_000);
    assert.equal(r.code, 0, r.stderr);
    const text = fs.readFileSync(rec, 'utf8');
    const read = parseRecording(text);
    assert.ok(read.ok);
    const { recording } = read;
    const gz = gzipSync(new TextEncoder().encode(text)).length;
    assert.ok(gz < 2_000_000, `${gz} bytes gzipped`);
    const left = recording.coalesced.traceLeftOut + Object.values(recording.coalesced.detailLeftOut).reduce((a, b) => a + b, 0);
    assert.ok(left > 0, 'a flood with the trace on folds calls');
    const end = recording.events.find((e) => e.type === 'end');
    assert.ok(end && end.type === 'end');
    assert.equal(end.channels.find((c) => c.id === 'c1')?.sends, 1_000_000);
    process.stdout.write(`# flood recording: ${text.length} bytes, ${gz} gzipped, ${recording.events.length} events, ${left} calls folded\n`);
  });
});
