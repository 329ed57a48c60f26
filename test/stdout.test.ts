// server/run/stdout.ts: a process's stdout bytes, claimed by the records of their writes.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StdoutBytes } from '../server/run/stdout';

const text = (b: Buffer | null) => (b === null ? null : b.toString());

describe('stdout bytes and their writes', () => {
  it('a record claims its write’s bytes, and waits for them when they have not been read', () => {
    const out = new StdoutBytes();
    assert.equal(out.claim(7), null);
    out.add(Buffer.from('tick 9\ntick'));
    assert.equal(text(out.claim(7)), 'tick 9\n');
    assert.equal(out.claim(8), null);
    out.add(Buffer.from(' 10\n'));
    assert.equal(text(out.claim(8)), 'tick 10\n');
    assert.equal(out.waiting, 0);
  });

  it('a record that comes after its bytes were shown unclaimed claims those, not the next write’s', () => {
    // seen under load: the bytes of "tick 9" shown without their record, which then claimed
    // "tick 10" and left its newline to come out after "tick 11"
    const out = new StdoutBytes();
    out.add(Buffer.from('tick 9\n'));
    assert.equal(text(out.unclaimed(true)), 'tick 9\n');
    out.add(Buffer.from('tick 10\n'));
    assert.equal(text(out.claim(7)), '');
    assert.equal(text(out.claim(8)), 'tick 10\n');
    out.add(Buffer.from('tick 11\n'));
    assert.equal(text(out.claim(8)), 'tick 11\n');
  });

  it('a record can be partly shown already', () => {
    const out = new StdoutBytes();
    out.add(Buffer.from('tick'));
    assert.equal(text(out.unclaimed(true)), 'tick');
    assert.equal(out.claim(8), null);
    out.add(Buffer.from(' 10\ntick 11\n'));
    assert.equal(text(out.claim(8)), ' 10\n');
    assert.equal(text(out.claim(8)), 'tick 11\n');
  });

  it('after records were dropped from the full ring, unclaimed bytes are not counted as shown ahead', () => {
    const out = new StdoutBytes();
    out.add(Buffer.from('a\n'));
    assert.equal(text(out.unclaimed(false)), 'a\n');
    out.add(Buffer.from('b\n'));
    assert.equal(text(out.claim(2)), 'b\n');
  });
});
