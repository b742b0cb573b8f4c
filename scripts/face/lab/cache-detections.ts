/**
 * Lab step 1: detections of every fixture photo as the calibration makes them (SSD reference, tiny@320 live,
 * chip reference), cached as JSON so recognizer/alignment experiments cost a minute, not a calibration (about 4
 * minutes): `npx tsx scripts/face/lab/cache-detections.ts`. Boxes and landmarks only. TEST USE ONLY.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FaceConfig } from '../../../core/contract/face-config.js';
import type { FaceLocation } from '../../../renderer/face/face-engine.js';
import { listFacePhotos } from '../../../test/support/face/fixtures.js';
import { readImage } from '../decode-image.js';
import { createNodeFaceEngine } from '../node-face-engine.js';
import { chipReference } from './lab-common.js';

const out = process.argv[2] ?? '/tmp/facelab/detections.json';
const config = FaceConfig.parse({ match: { recognizer: 'faceplugin-fr-feature' } });
const { engine } = await createNodeFaceEngine(config);
const photos = listFacePhotos();
const loc = (l: FaceLocation) => (l.ok ? { box: l.face.box, landmarks: l.face.landmarks, padded: l.padded } : { reason: l.reason });
const rows = [];
for (const [n, p] of photos.entries()) {
  const image = await readImage(p.file);
  const opts = p.tightCrop ? ({ pad: 'always' } as const) : {};
  const ref = await engine.locate(image, 'reference', opts);
  const live = await engine.locate(image, 'live', opts);
  const chip = ref.ok ? await engine.locate(chipReference(image, ref.face.box), 'reference') : undefined;
  rows.push({ id: p.id, identity: p.identity, group: p.group, tightCrop: p.tightCrop, ref: loc(ref), live: loc(live), chip: chip ? loc(chip) : undefined });
  if (n % 50 === 49) console.error(`${n + 1}/${photos.length}`);
}
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, JSON.stringify(rows));
console.error('written', out);
