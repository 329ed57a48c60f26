// Sizes as people read them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBytes } from '../lib/format';

describe('formatBytes', () => {
  it('keeps small sizes in bytes', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(5), '5 B');
    assert.equal(formatBytes(1023), '1023 B');
  });
  it('uses binary units with one decimal below 10 and none above', () => {
    assert.equal(formatBytes(1024), '1 KiB');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(4096), '4 KiB');
    assert.equal(formatBytes(65536), '64 KiB');
    assert.equal(formatBytes(1048576), '1 MiB');
    assert.equal(formatBytes(256 * 1024 * 1024), '256 MiB');
    assert.equal(formatBytes(2.34 * 1024 ** 3), '2.3 GiB');
  });
  it('never shows 1024 of a unit', () => {
    assert.equal(formatBytes(1024 * 1024 - 1), '1 MiB');
    assert.equal(formatBytes(1023.7 * 1024), '1 MiB');
  });
});
