// The recording format: what the recorder keeps of a run and what it folds (with exact
// counts), the versioned reader (older files keep opening, newer and damaged ones are
// refused with a reason), and the link that holds a small recording.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync, strToU8 } from 'fflate';
import type { RunEvent } from '../lib/events';
import { RECORDING_VERSION, checkRecording, parseRecording, readRecording, recordingLength } from '../lib/recording/format';
import { RECORDING_LINK_PREFIX, decodeRecordingLink, encodeRecordingLink } from '../lib/recording/link';
import { DEFAULT_BUDGET, Recorder } from '../lib/recording/recorder';

const scenario = { version: 1, title: 't', processes: [{ id: 'a', name: 'a', program: '' }, { id: 'b', name: 'b', program: '' }], channels: [] };
const runEv: RunEvent = {
  type: 'run', t: 0, runId: 'r1', isolation: 'naming',
  processes: [{ id: 'a', name: 'a', pid: 10 }, { id: 'b', name: 'b', pid: 11 }],
  channels: [{ id: 'c1', label: 'c1', mechanism: 'pipe', links: [{ process: 'a', end: 'from' }, { process: 'b', end: 'to' }] }],
};
const endEv = (t: number): RunEvent => ({ type: 'end', t, reason: 'finished', ms: t, processes: [], channels: [], leftovers: [] });
const write = (t: number, proc = 'a'): RunEvent => ({ type: 'syscall', t, proc, name: 'write', args: '7, "hi", 2', ret: '2', errno: null, ms: 0.001, channel: 'c1' });

describe('recorder', () => {
  it('keeps a small run whole and in order, and it reads back the same', () => {
    const rec = new Recorder(scenario);
    const events: RunEvent[] = [runEv, { type: 'state', t: 1, proc: 'a', state: 'running' }, write(2), { type: 'stdout', t: 3, proc: 'b', text: 'hi\n' }, { type: 'exit', t: 4, proc: 'a', code: 0, signal: null }, endEv(5)];
    rec.push(events.slice(0, 3));
    rec.push(events.slice(3));
    const r = rec.recording();
    assert.equal(r.version, RECORDING_VERSION);
    assert.deepEqual(r.events, events);
    assert.deepEqual(r.scenario, scenario);
    const back = parseRecording(JSON.stringify(r));
    assert.ok(back.ok);
    assert.deepEqual(back.recording, r);
    assert.equal(recordingLength(r), 5);
  });

  it('folds a flood of calls past its budget, counting exactly what it left out, and says where', () => {
    const rec = new Recorder(scenario);
    rec.push([runEv]);
    const n = 200_000;
    // 20 s of calls, 10,000 a second, pushed in frames of 340 as the framer would
    for (let i = 0; i < n; i += 340) rec.push(Array.from({ length: Math.min(340, n - i) }, (_, k) => write((i + k) / 10)));
    rec.push([endEv(n / 10 + 1)]);
    const r = rec.recording();
    const kept = r.events.filter((e) => e.type === 'syscall').length;
    const left = Object.values(r.coalesced.detailLeftOut).reduce((a, b) => a + b, 0);
    assert.equal(kept + left, n);
    assert.ok(kept <= DEFAULT_BUDGET.detailFree + (n / 10 / 100 + 1) * DEFAULT_BUDGET.detailPerWindow, `kept ${kept}`);
    const said = r.events.filter((e) => e.type === 'notice' && /trace events left out of the recording/.test(e.message));
    assert.equal(said.reduce((s, e) => s + Number(/^(\d+)/.exec((e as { message: string }).message)![1]), 0), left);
    // in the order of their times
    for (let i = 1; i < r.events.length; i++) assert.ok(r.events[i].t >= r.events[i - 1].t - 1e-9, `event ${i} out of order`);
  });

  it('keeps a few counter samples per process per 100 ms, the latest exact', () => {
    const rec = new Recorder(scenario);
    rec.push([runEv]);
    for (let i = 1; i <= 300; i++) {
      rec.push([{ type: 'counters', t: i * 3.4, proc: 'a', statements: i * 10, line: 1, syscalls: { write: i }, sends: i, recvs: 0, bytes: i * 2, channels: { c1: [i, 0, i * 2] } }]);
    }
    const r = rec.recording();
    const counters = r.events.filter((e) => e.type === 'counters');
    assert.ok(counters.length <= Math.ceil((300 * 3.4) / 100 + 1) * DEFAULT_BUDGET.samplesPerWindow, `${counters.length} kept`);
    assert.equal(counters.length + r.coalesced.countersMerged, 300);
    assert.equal((counters[counters.length - 1] as { sends: number }).sends, 300);
  });

  it('caps each process output, telling its terminal, and counts the bytes left out', () => {
    const rec = new Recorder(scenario, { ...DEFAULT_BUDGET, textMax: 100 });
    rec.push([runEv]);
    for (let i = 0; i < 30; i++) rec.push([{ type: 'stdout', t: i, proc: 'a', text: '0123456789' }]);
    const r = rec.recording();
    const text = r.events.map((e) => (e.type === 'stdout' ? e.text : '')).join('');
    assert.equal(text.length, 100);
    assert.equal(r.coalesced.textLeftOut.a, 200);
    assert.ok(r.events.some((e) => e.type === 'notice' && e.proc === 'a' && /keeps the first/.test(e.message)));
  });
});

describe('reading recordings', () => {
  it('opens a version 1 file as recorded by the CLI', () => {
    const text = fs.readFileSync(path.join(import.meta.dirname, 'fixtures/recording-v1.json'), 'utf8');
    const r = parseRecording(text);
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.ok(r.recording.events.some((e) => e.type === 'stdout' && e.text.includes('hello')));
  });

  it('refuses a newer version, another file, and damage, each with its reason', () => {
    const good = new Recorder(scenario).recording();
    const newer = readRecording({ ...good, version: RECORDING_VERSION + 1 });
    assert.ok(!newer.ok && /newer version/.test(newer.message));
    const other = readRecording({ version: 1, processes: [] });
    assert.ok(!other.ok && /not a recording/.test(other.message));
    const bad = readRecording({ ...good, events: [{ type: 'stdout', t: 1, proc: 'a' }] });
    assert.ok(!bad.ok && /damaged/.test(bad.message));
    const unknownKind = readRecording({ ...good, events: [{ type: 'teleport', t: 1 }] });
    assert.ok(!unknownKind.ok);
    const badHex = readRecording({ ...good, events: [{ type: 'object', t: 1, channel: 'c1', mechanism: 'shm-posix', state: { changes: [{ offset: 0, hex: 'zz' }] } }] });
    assert.ok(!badHex.ok);
    assert.ok(!parseRecording('{').ok);
  });

  it('checks a long recording in steps the page can stop between, and names the damaged event', () => {
    const good = { ...new Recorder(scenario).recording(), events: [runEv, ...Array.from({ length: 3000 }, (_, i) => write(i + 1))] };
    const steps = checkRecording(good);
    let stops = 0;
    let r = steps.next();
    for (; !r.done; r = steps.next()) stops++;
    assert.ok(r.value.ok && r.value.recording.events.length === 3001);
    assert.ok(stops >= 50, `${stops} stops`);
    const bad = readRecording({ ...good, events: good.events.map((e, i) => (i === 2500 ? { ...e, t: 'soon' } : e)) });
    assert.ok(!bad.ok && /^a damaged recording: events\.2500\.t: /.test(bad.message), bad.ok ? '' : bad.message);
  });

  it('drops fields it does not know (a hand-made file reaches the page as known fields only)', () => {
    const r = readRecording({ ...new Recorder(scenario).recording(), events: [{ ...runEv, extra: '<script>' }] });
    assert.ok(r.ok);
    assert.equal('extra' in r.recording.events[0], false);
  });
});

describe('recording links', () => {
  it('round-trips a recording through the fragment', () => {
    const rec = new Recorder(scenario);
    rec.push([runEv, write(1), { type: 'stdout', t: 2, proc: 'b', text: 'héllo ✓\n' }, endEv(3)]);
    const r = rec.recording();
    const link = encodeRecordingLink(r);
    assert.ok(link.startsWith(RECORDING_LINK_PREFIX));
    assert.match(link.slice(3), /^[A-Za-z0-9_-]+$/);
    const back = decodeRecordingLink(link);
    assert.ok(back.ok);
    assert.deepEqual(back.recording, r);
  });

  it('refuses a cut, a changed character and a zip bomb', () => {
    const link = encodeRecordingLink(new Recorder(scenario).recording());
    assert.equal(decodeRecordingLink(link.slice(0, link.length - 10)).ok, false);
    assert.equal(decodeRecordingLink(link.slice(0, 20) + '!' + link.slice(21)).ok, false);
    assert.equal(decodeRecordingLink('s1.abc').ok, false);
    const bomb = gzipSync(strToU8(' '.repeat(40 << 20)));
    const b64 = Buffer.from(bomb).toString('base64url');
    const r = decodeRecordingLink(RECORDING_LINK_PREFIX + b64);
    assert.ok(!r.ok && /damaged|cut/.test(r.message));
  });
});
