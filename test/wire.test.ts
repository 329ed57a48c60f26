// The server's idea of the control page (lib/wire.ts) is the runtime's (runtime/ipcpg.h):
// every offset and size compiled by gcc, and the call numbers of runtime/calls.h.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { CALLS, CTL, PAGE, REC } from '../lib/wire';

const runtime = path.resolve(import.meta.dirname, '../runtime');

const CTL_FIELDS: Record<keyof typeof CTL, string> = {
  magic: 'magic', version: 'version', gate: 'gate', tokens: 'tokens', slow: 'slow', trace: 'trace', state: 'state', call: 'call',
  line: 'line', callLine: 'call_line', handlers: 'handlers', lastFd: 'last_fd', stmts: 'stmts', wseq: 'wseq', rseq: 'rseq',
  dropped: 'dropped', tStart: 't_start', pids: 'pids', calls: 'calls', chan: 'chan', chanFd: 'chan_fd', lineChan: 'line_chan',
  uid: 'uid', gid: 'gid', ncg: 'ncg', cgroupProcs: 'cgroup_procs', errors: 'errors', lastErr: 'last_err', lastErrLine: 'last_err_line',
  lastErrCall: 'last_err_call', accepted: 'accepted', connsClosed: 'conns_closed', pid: 'pid', parent: 'parent', slot: 'slot', npool: 'npool', lineHits: 'line_hits',
};
const REC_FIELDS: Partial<Record<keyof typeof REC, string>> = {
  commit: 'commit', kind: 'kind', call: 'call', line: 'line', err: 'err', ret: 'ret', a: 'a', t: 't', dur: 'dur', dlen: 'dlen', dfull: 'dfull', data: 'data',
};

it('every field of the control page and of a ring record is where lib/wire.ts says', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipcpg-wire-'));
  try {
    const lines = [
      '#include <stdio.h>', '#include <stddef.h>', '#include "ipcpg.h"', 'int main(void) {',
      ...Object.entries(CTL_FIELDS).map(([k, c]) => `printf("ctl.${k} %zu\\n", offsetof(struct ipcpg_ctl, ${c}));`),
      ...Object.entries(REC_FIELDS).map(([k, c]) => `printf("rec.${k} %zu\\n", offsetof(struct ipcpg_rec, ${c}));`),
      'printf("rec.size %zu\\n", sizeof(struct ipcpg_rec));',
      'printf("page.ctl %d\\n", (int)(sizeof(struct ipcpg_ctl) <= IPCPG_RING_OFFSET));',
      'printf("page.bytes %d\\n", IPCPG_PAGE_BYTES);', 'printf("page.ringSlots %d\\n", IPCPG_RING_SLOTS);', 'printf("page.maxLines %d\\n", IPCPG_MAX_LINES);',
      'printf("page.maxCgroups %d\\n", IPCPG_MAX_CGROUPS);', 'printf("page.cgroupPath %d\\n", IPCPG_CGROUP_PATH);',
      'printf("page.magic %u\\n", IPCPG_MAGIC);', 'printf("page.calls %d\\n", IPCPG_NCALLS);',
      'return 0; }',
    ];
    fs.writeFileSync(path.join(dir, 'w.c'), lines.join('\n'));
    execFileSync('cc', ['-I', runtime, '-o', path.join(dir, 'w'), path.join(dir, 'w.c')]);
    const got = Object.fromEntries(execFileSync(path.join(dir, 'w'), { encoding: 'utf8' }).trim().split('\n').map((l) => l.split(' ')).map(([k, v]) => [k, Number(v)]));
    for (const k of Object.keys(CTL_FIELDS)) assert.equal(got[`ctl.${k}`], CTL[k as keyof typeof CTL], `ctl.${k}`);
    for (const k of Object.keys(REC_FIELDS)) assert.equal(got[`rec.${k}`], REC[k as keyof typeof REC], `rec.${k}`);
    assert.equal(got['rec.size'], REC.size);
    assert.equal(got['page.ctl'], 1, 'the control fields end before the ring');
    for (const k of ['bytes', 'ringSlots', 'maxLines', 'maxCgroups', 'cgroupPath', 'magic'] as const) assert.equal(got[`page.${k}`], PAGE[k], `page.${k}`);
    assert.equal(got['page.calls'], CALLS.length, 'as many calls as runtime/calls.h');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it('the call numbers are runtime/calls.h\'s, in its order', () => {
  const h = fs.readFileSync(path.join(runtime, 'calls.h'), 'utf8');
  const list = h.slice(h.indexOf('#define IPCPG_CALLS'), h.indexOf('enum ipcpg_call'));
  const names = [...list.matchAll(/X\((\w+)\)/g)].map((m) => m[1]);
  assert.deepEqual(names, [...CALLS]);
});
