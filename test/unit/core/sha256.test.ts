import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../core/crypto/sha256.js';

describe('core sha256', () => {
  it('matches the FIPS 180-2 vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes strings as UTF-8 and agrees with node:crypto on binary data', () => {
    expect(sha256Hex('诚信考试')).toBe(createHash('sha256').update('诚信考试', 'utf8').digest('hex'));
    const bytes = new Uint8Array(100_003).map((_, i) => (i * 7919) & 0xff);
    expect(sha256Hex(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });
});
