import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Quad } from '../../../renderer/ocr/image.js';
import { locateCard } from '../../../renderer/ocr/locate.js';
import { CardGenerator, type GeneratedCard } from '../../support/ocr/generator.js';
import { decodeImageFile } from '../../support/ocr/node-adapter.js';
import { sharedFixturesDir } from '../../support/shared-fixtures.js';

const DIR = path.join(sharedFixturesDir, 'idcards');
const truth = JSON.parse(readFileSync(`${DIR}/truth.json`, 'utf8')) as Record<string, { cardBox: [number, number, number, number] }>;

/** Largest corner distance, as a fraction of the card's width. */
function cornerError(found: Quad, expected: Quad): number {
  const width = Math.hypot(expected[1].x - expected[0].x, expected[1].y - expected[0].y);
  return Math.max(...found.map((p, i) => Math.hypot(p.x - (expected[i]?.x ?? 0), p.y - (expected[i]?.y ?? 0)))) / width;
}

const boxQuad = ([l, t, r, b]: [number, number, number, number]): Quad => [
  { x: l, y: t },
  { x: r, y: t },
  { x: r, y: b },
  { x: l, y: b },
];

describe('card location', () => {
  for (const file of ['front-weixiaobao.jpg', 'front-liuxiaohe-photo.jpg']) {
    it(`finds the card outline in ${file} within 2 % of truth.json`, () => {
      const box = truth[file]?.cardBox;
      expect(box).toBeDefined();
      const found = locateCard(decodeImageFile(`${DIR}/${file}`));
      // truth.json is measured by eye to ±5 px; 2 % of the card width leaves the locator ~1 %.
      expect(cornerError(found.quad, boxQuad(box as [number, number, number, number]))).toBeLessThan(0.02);
    });
  }

  describe('on strongly perturbed generated photos', () => {
    let cards: GeneratedCard[] = [];
    const generator = new CardGenerator({ seed: 4242, perturb: 'strong', sides: ['front'] });
    beforeAll(async () => {
      cards = await generator.generate(6);
    }, 60_000);
    afterAll(async () => {
      await generator.close();
    });

    it('locates most of them within 2 % of their true corners', () => {
      const good = cards.filter((c) => cornerError(locateCard(c.image).quad, c.quad) < 0.02).length;
      expect(good).toBeGreaterThanOrEqual(5);
    });
  });

  describe('on generated photos (rotation, perspective, shadow, light, blur, JPEG)', () => {
    let cards: GeneratedCard[] = [];
    const generator = new CardGenerator({ seed: 4242, perturb: 'mild', sides: ['front'] });
    beforeAll(async () => {
      cards = await generator.generate(8);
    }, 60_000);
    afterAll(async () => {
      await generator.close();
    });

    it('locates most cards within 2 % of their true corners', () => {
      const errors = cards.map((c) => cornerError(locateCard(c.image).quad, c.quad));
      const good = errors.filter((e) => e < 0.02).length;
      // On this seed all 8 are within 0.3 % today (4 of 8 before candidates were judged by colour steps and
      // refined against the full-resolution image); on 160 generated photos of two other seeds 150 are within
      // 2 %. Pale cards on pale, striped desks, where sides are faint, remain the hardest case.
      expect(good).toBeGreaterThanOrEqual(7);
    });

    it('returns corners in reading order (top-left first) for rotated cards', () => {
      for (const c of cards) {
        const q = locateCard(c.image).quad;
        if (cornerError(q, c.quad) < 0.02) {
          expect(q[0].x).toBeLessThan(q[1].x);
          expect(q[0].y).toBeLessThan(q[3].y);
        }
      }
    });
  });
});
