/**
 * The configured thresholds on a few fixed fixture pairs (TEST USE ONLY, read in place): same-person pairs that
 * the shipped engine must pass (通过) and different-person pairs it must fail (不通过), all East Asian. A quick
 * guard that the recognizer, its alignment and the defaults in core/contract/face-config.ts still agree; the
 * rates themselves come from `npm run calibrate:face` (docs/calibration/face.md), never from the test suite.
 * The pairs were picked with room to spare on both sides of the review band; test titles carry no names.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FaceConfig } from '../../../core/contract/face-config.js';
import type { FaceEngine } from '../../../renderer/face/face-engine.js';
import { readImage } from '../../../scripts/face/decode-image.js';
import { createNodeFaceEngine } from '../../../scripts/face/node-face-engine.js';
import { faceFixturesAvailable, faceFixturesRoot } from '../../support/face/fixtures.js';

const photo = (name: string): string => path.join(faceFixturesRoot, 'faces-lfw', name.replace(/_\d{4}$/, ''), `${name}.jpg`);

const genuine: readonly [string, string][] = [
  ['Ai_Sugiyama_0002', 'Ai_Sugiyama_0003'],
  ['Edward_Lu_0003', 'Edward_Lu_0004'],
  ['Zhu_Rongji_0001', 'Zhu_Rongji_0003'],
  ['Yoko_Ono_0001', 'Yoko_Ono_0002'],
];
const impostor: readonly [string, string][] = [
  ['Ai_Sugiyama_0002', 'Edward_Lu_0003'],
  ['Edward_Lu_0003', 'Zhu_Rongji_0001'],
  ['Zhu_Rongji_0001', 'Yoko_Ono_0001'],
  ['Yoko_Ono_0001', 'Edward_Lu_0003'],
  ['Ai_Sugiyama_0002', 'Zhu_Rongji_0001'],
];

let engine: FaceEngine;
const descriptors = new Map<string, Float32Array>();

describe.skipIf(!faceFixturesAvailable())('configured thresholds on fixed fixture pairs', () => {
  beforeAll(async () => {
    ({ engine } = await createNodeFaceEngine(FaceConfig.parse({})));
    for (const name of new Set([...genuine, ...impostor].flat())) {
      const analysis = await engine.analyse(await readImage(photo(name)), 'reference');
      if (!analysis.ok) throw new Error(`fixture photo without a usable face: ${analysis.reason}`);
      descriptors.set(name, analysis.descriptor);
    }
  }, 60_000);

  const decision = (a: string, b: string): string => engine.compare(descriptors.get(a)!, descriptors.get(b)!).decision;

  it.each(genuine)('same-person pair %# passes', (a, b) => {
    expect(decision(a, b)).toBe('pass');
  });

  it.each(impostor)('different-people pair %# fails', (a, b) => {
    expect(decision(a, b)).toBe('fail');
  });
});
