import path from 'node:path';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
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

interface Located {
  tier: 'mild' | 'strong';
  card: GeneratedCard;
  quad: Quad;
  error: number;
}

/**
 * One Chromium for both tiers, and small photos: the locator works on a 400 px copy and refines against the
 * full image, so a 640–800 px frame exercises the same code as a camera's 1280 px one, at a third of the
 * generation cost. Started at import so Chromium draws while the fixture tests run; each card is located once
 * and the result shared by the tests.
 */
async function generateAndLocate(): Promise<Located[]> {
  const generator = new CardGenerator({ seed: 4242, sides: ['front'], sceneWidth: [640, 800], flatScale: 0.6 });
  try {
    const out: Located[] = [];
    for (const tier of ['mild', 'strong'] as const) {
      for (const card of await generator.generate(4, tier)) {
        const quad = locateCard(card.image).quad;
        out.push({ tier, card, quad, error: cornerError(quad, card.quad) });
      }
    }
    return out;
  } finally {
    await generator.close();
  }
}
const generated = generateAndLocate();
// Awaited in beforeAll below; this only keeps an early failure from being reported as unhandled first.
generated.catch(() => undefined);

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

  describe('on generated desk photos', () => {
    let found: Located[] = [];
    beforeAll(async () => {
      found = await generated;
    }, 60_000);

    it('locates every mildly perturbed card (rotation, perspective, shadow, light, blur, JPEG) within 2 %', () => {
      // On this seed all are within 0.6 % today; on 160 full-size generated photos of two other seeds 150 are
      // within 2 %. Pale cards on pale, striped desks, where sides are faint, remain the hardest case.
      const mild = found.filter((f) => f.tier === 'mild');
      expect(mild).toHaveLength(4);
      for (const f of mild) expect(f.error).toBeLessThan(0.02);
    });

    it('locates most strongly perturbed cards (±15°, small, dark, blurred, JPEG 45–90) within 2 %', () => {
      const strong = found.filter((f) => f.tier === 'strong');
      expect(strong).toHaveLength(4);
      expect(strong.filter((f) => f.error < 0.02).length).toBeGreaterThanOrEqual(3);
    });

    it('returns corners in reading order (top-left first), also for cards rotated by more than 10°', () => {
      expect(found.some((f) => Math.abs(f.card.perturbation.rotation) > 10 && f.error < 0.02)).toBe(true);
      for (const { quad, error } of found) {
        if (error >= 0.02) continue;
        expect(quad[0].x).toBeLessThan(quad[1].x);
        expect(quad[0].y).toBeLessThan(quad[3].y);
      }
    });
  });
});
