/**
 * Image quality ranks clean prints above poor ones; the synthetic fingers are distinct per id and stable per
 * id; the duplicate check tells the same finger presented twice from two different fingers.
 */
import { describe, expect, it } from 'vitest';
import type { FingerprintCapture, FingerprintDriver, GrayImage } from '../../../../native/fingerprint/fingerprint-driver.js';
import { checkDuplicate } from '../../../../native/fingerprint/duplicate-check.js';
import { imageQuality } from '../../../../native/fingerprint/quality.js';
import { packImage4, unpackImage4 } from '../../../../native/fingerprint/r30x-protocol.js';
import { DEFAULT_SIMILARITY_THRESHOLD, imageSimilarity } from '../../../../native/fingerprint/similarity.js';
import { renderFinger } from '../../../../native/fingerprint/simulator/synthetic-finger.js';

/** As the module's 4-bit sensor delivers it. */
function sensorImage(fingerId: string, quality: number, placementSeed: number): GrayImage {
  const { image } = renderFinger({ fingerId, quality, placementSeed });
  return { ...image, pixels: unpackImage4(packImage4(image.pixels)) };
}

function capture(image: GrayImage): FingerprintCapture {
  return {
    image,
    template: undefined,
    quality: imageQuality(image),
    targetQuality: 40,
    imageSha256: '',
    capturedAt: new Date(0).toISOString(),
    durationMs: 0,
  };
}

describe('image quality score', () => {
  it('ranks prints by their simulated quality, on 0..100', () => {
    for (const finger of ['q-a', 'q-b', 'q-c']) {
      const scores = [0.95, 0.7, 0.45, 0.2, 0.05].map((q) => imageQuality(sensorImage(finger, q, 3)).value);
      for (let i = 1; i < scores.length; i += 1) expect(scores[i]!).toBeLessThan(scores[i - 1]!);
      expect(scores[0]!).toBeGreaterThanOrEqual(80);
      expect(scores.at(-1)!).toBeLessThan(20);
    }
  });

  it('splits good and poor prints around the default threshold of 40', () => {
    for (let k = 0; k < 6; k += 1) {
      expect(imageQuality(sensorImage(`t-${k}`, 0.85, k)).value).toBeGreaterThanOrEqual(40);
      expect(imageQuality(sensorImage(`t-${k}`, 0.2, k)).value).toBeLessThan(40);
    }
  });

  it('scores a blank sensor 0 and flat grey 0', () => {
    const blank = { width: 256, height: 288, dpi: 500, pixels: new Uint8Array(256 * 288).fill(255) };
    expect(imageQuality(blank).value).toBe(0);
    expect(imageQuality({ ...blank, pixels: new Uint8Array(256 * 288).fill(128) }).value).toBe(0);
  });
});

describe('synthetic fingers', () => {
  it('are deterministic per finger id and placement, and differ between ids', () => {
    expect(renderFinger({ fingerId: 'same', placementSeed: 4 }).image.pixels).toEqual(renderFinger({ fingerId: 'same', placementSeed: 4 }).image.pixels);
    expect(renderFinger({ fingerId: 'same', placementSeed: 4 }).image.pixels).not.toEqual(renderFinger({ fingerId: 'other', placementSeed: 4 }).image.pixels);
    expect(renderFinger({ fingerId: 'same', placementSeed: 4 }).minutiae.length).toBeGreaterThan(10);
  });
});

describe('duplicate check', () => {
  it('image similarity separates same-finger pairs from different fingers', () => {
    const same: number[] = [];
    const different: number[] = [];
    for (let k = 0; k < 5; k += 1) {
      same.push(imageSimilarity(sensorImage(`cand-${k}/R2`, 0.85, 1), sensorImage(`cand-${k}/R2`, 0.6, 2)));
      different.push(imageSimilarity(sensorImage(`cand-${k}/R2`, 0.85, 1), sensorImage(`cand-${k}/L2`, 0.85, 2)));
    }
    expect(Math.min(...same)).toBeGreaterThan(DEFAULT_SIMILARITY_THRESHOLD);
    expect(Math.max(...different)).toBeLessThan(DEFAULT_SIMILARITY_THRESHOLD);
  });

  it('flags the same finger given as right and left index, and passes two different fingers', async () => {
    const right = capture(sensorImage('cand-9/R2', 0.85, 11));
    const leftButSame = capture(sensorImage('cand-9/R2', 0.8, 12));
    const left = capture(sensorImage('cand-9/L2', 0.85, 13));
    const dup = await checkDuplicate(right, leftButSame);
    expect(dup.duplicate).toBe(true);
    expect(dup.evidence.map((e) => e.method)).toEqual(['image-similarity']);
    expect((await checkDuplicate(right, left)).duplicate).toBe(false);
  });

  it('uses the device match when the driver has one and templates are in its format', async () => {
    const a = { ...capture(sensorImage('m/1', 0.85, 1)), template: { format: 'r30x-char', bytes: Uint8Array.of(1) } };
    const b = { ...capture(sensorImage('m/2', 0.85, 2)), template: { format: 'r30x-char', bytes: Uint8Array.of(2) } };
    const calls: number[] = [];
    const driver: Pick<FingerprintDriver, 'match' | 'matchThreshold' | 'info'> = {
      info: { driver: 'fake', description: 'fake', width: 256, height: 288, dpi: 500, templateFormat: 'r30x-char', supports: { onDeviceMatch: true, imageUpload: true, antiSpoof: false } },
      matchThreshold: 50,
      match: (x, y) => {
        calls.push(x.bytes[0]!, y.bytes[0]!);
        return Promise.resolve(120);
      },
    };
    const verdict = await checkDuplicate(a, b, { driver });
    expect(calls).toEqual([1, 2]);
    expect(verdict.evidence[0]).toEqual({ method: 'device-match', score: 120, threshold: 50, same: true });
    expect(verdict.evidence[1]?.same).toBe(false);
    expect(verdict.duplicate).toBe(true);
  });
});
