import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../core/errors/station-error.js';
import { MAX_BUNDLE_BYTES } from '../../../core/handoff/payload.js';
import { BlobStaging } from '../../../host/handoff/blob-staging.js';

const blob = (n: number, size = 8) => ({ sha256: n.toString(16).padStart(64, '0'), mime: 'image/png' as const, base64: 'A'.repeat(size) });
const DRAFT = '123e4567-e89b-42d3-a456-426614174000';

describe('handoff blob staging', () => {
  it('collects a draft across calls, once per hash, and hands it over once', () => {
    const staging = new BlobStaging();
    expect(staging.add(DRAFT, [blob(1), blob(2)])).toBe(2);
    expect(staging.add(DRAFT, [blob(2), blob(3)])).toBe(3);
    expect(staging.take(DRAFT).map((b) => b.sha256)).toEqual([blob(1), blob(2), blob(3)].map((b) => b.sha256));
    expect(staging.take(DRAFT)).toEqual([]);
  });

  it('drops a draft nobody finished after half an hour', () => {
    let now = 0;
    const staging = new BlobStaging(() => now);
    staging.add(DRAFT, [blob(1)]);
    now += 31 * 60_000;
    expect(staging.take(DRAFT)).toEqual([]);
  });

  it('refuses (and forgets) a draft larger than a bundle may be', () => {
    const staging = new BlobStaging();
    const big = Math.ceil((MAX_BUNDLE_BYTES / 3) * 4 / 4);
    staging.add(DRAFT, [blob(1, big), blob(2, big), blob(3, big)]);
    expect(() => staging.add(DRAFT, [blob(4, big), blob(5, big)])).toThrow(ValidationError);
    expect(staging.take(DRAFT)).toEqual([]);
  });
});
