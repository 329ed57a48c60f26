// Terminal output sanitizing (lib/terminal.ts): colours and cursor moves pass, every other
// escape sequence or control character becomes visible text.
/* eslint-disable no-control-regex -- the tests look for control characters */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sanitizeTerminal } from '../lib/terminal';

describe('sanitizeTerminal', () => {
  it('leaves plain text, layout controls and unicode alone', () => {
    for (const s of ['', 'hello', 'a\tb\r\nc\bd', 'héllo → 世界 🙂']) assert.equal(sanitizeTerminal(s), s);
  });

  it('keeps colours (SGR) and cursor moves', () => {
    for (const s of ['\x1b[31mred\x1b[0m', '\x1b[1;38;2;255;0;0mtrue colour\x1b[m', '\x1b[2A\x1b[B\x1b[10C\x1b[D\x1b[E\x1b[F\x1b[5G\x1b[3;4H\x1b[H\x1b[1;1f']) {
      assert.equal(sanitizeTerminal(s), s);
    }
  });

  it('shows an OSC 8 link as text, so it is never clickable', () => {
    const link = '\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\';
    assert.equal(sanitizeTerminal(link), '^[]8;;http://evil.example^[\\click^[]8;;^[\\');
  });

  it('shows titles, clipboard writes, mode switches and reports as text', () => {
    assert.equal(sanitizeTerminal('\x1b]0;pwned\x07'), '^[]0;pwned^G');
    assert.equal(sanitizeTerminal('\x1b]52;c;aGk=\x07'), '^[]52;c;aGk=^G');
    assert.equal(sanitizeTerminal('\x1b[?1049h\x1b[2J\x1b[6n\x1bc'), '^[[?1049h^[[2J^[[6n^[c');
    assert.equal(sanitizeTerminal('\x1bP+q544e\x1b\\'), '^[P+q544e^[\\');
  });

  it('shows C1 controls (8-bit CSI and OSC) as text too', () => {
    assert.equal(sanitizeTerminal('\x9b31m\x9d8;;http://x\x9c'), 'M-^[31mM-^]8;;http://xM-^\\');
  });

  it('shows other C0 controls and DEL in caret notation', () => {
    assert.equal(sanitizeTerminal('\x00\x07\x0e\x7f'), '^@^G^N^?');
  });

  it('an escape sequence cut at the end of a chunk is shown, not half obeyed', () => {
    assert.equal(sanitizeTerminal('ok\x1b[3'), 'ok^[[3');
    assert.equal(sanitizeTerminal('\x1b'), '^[');
  });

  it('no output of it contains a control that is not layout, SGR or a cursor move', () => {
    let all = '';
    for (let c = 0; c < 0xa0; c++) all += String.fromCharCode(c) + '[' + String.fromCharCode(c) + ']';
    const out = sanitizeTerminal(all).replace(/\x1b\[[0-9;]*[mABCDEFGHf]/g, '');
    assert.doesNotMatch(out, /[\x00-\x07\x0b\x0c\x0e-\x1f\x7f-\x9f]/);
  });
});
