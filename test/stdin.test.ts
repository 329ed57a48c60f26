// stdin: each process's fd 0 is end of file, the bytes a CLI file gives, or a pipe the page
// writes typed lines into (Ctrl-D closes it). `recv stdin` reads a line as fgets(3) does.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cli, hostLeftovers, outcome, runIt, waitFor } from './helpers';

const root = path.resolve(import.meta.dirname, '..');
const echo = JSON.parse(fs.readFileSync(path.join(root, 'examples/stdin-echo.json'), 'utf8'));
const lines = (s: string) => s.split('\n').filter(Boolean);

describe('stdin', { concurrency: 2 }, () => {
  it('with nothing given, fd 0 is at end of file: the first read gives it', async () => {
    const r = await runIt(echo);
    assert.deepEqual(lines(r.stdout('reader')), ['type a line (Ctrl-D to end)', 'end of file on stdin']);
    assert.equal(outcome(r.end, 'echoer'), 'exited 0');
  });

  it('typed lines reach the process one at a time; Ctrl-D is end of file', async () => {
    const r = await runIt(echo, { stdin: 'typed' }, async (run, events) => {
      await waitFor(events, (e) => e.type === 'stdout' && e.proc === 'reader');
      assert.equal(run.input('reader', 'hello\n'), true);
      await waitFor(events, (e) => e.type === 'stdout' && e.text.includes('echo: hello'));
      // a line in two pieces is still one line; an empty line is skipped by the program
      run.input('reader', 'wor');
      run.input('reader', 'ld\n\n');
      await waitFor(events, (e) => e.type === 'stdout' && e.text.includes('echo: world'));
      assert.equal(run.endInput('reader'), true);
      assert.equal(run.endInput('reader'), false, 'already closed');
    });
    assert.deepEqual(lines(r.stdout('echoer')), ['echo: hello', 'echo: world']);
    assert.deepEqual(lines(r.stdout('reader')).slice(-1), ['end of file on stdin']);
    assert.equal(outcome(r.end, 'reader'), 'exited 0');
    assert.deepEqual(r.end.leftovers, []);
    assert.deepEqual(hostLeftovers(r.run.id), []);
  });

  it('typing to a process that has ended is refused, not an error', async () => {
    const r = await runIt(echo, { stdin: 'typed' }, async (run, events) => {
      run.endInput('reader');
      await waitFor(events, (e) => e.type === 'exit' && e.proc === 'reader');
      assert.equal(run.input('reader', 'late\n'), false);
    });
    assert.equal(outcome(r.end, 'reader'), 'exited 0');
  });

  it('the CLI gives a file with --stdin NAME=FILE, read as fgets would (last line without a newline too)', async () => {
    const file = path.join(fs.mkdtempSync('/tmp/stdin-test-'), 'in.txt');
    fs.writeFileSync(file, 'one\n\ntwo\nthree');
    const r = await cli(['examples/stdin-echo.json', '--stdin', `reader=${file}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n').filter((l) => l.startsWith('[echoer]')), ['[echoer] echo: one', '[echoer] echo: two', '[echoer] echo: three']);
    const bad = await cli(['examples/stdin-echo.json', '--stdin', `nobody=${file}`]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--stdin nobody: the scenario has no process of that name/);
  });
});
