/**
 * Face threshold calibration on the shared fixtures (TEST USE ONLY, read in place): `npm run calibrate:face`
 * [-- --detector tiny] [--out docs/calibration/face.md]. Computes one descriptor per fixture photo with the
 * shipped engine, forms every genuine (same person) and impostor (different people) pair, and prints
 * genuine-accept / false-accept at the review band's edges, the threshold and dlib's 0.6, per subset. The same
 * table is written to the --out file (the README quotes it). Only aggregate figures: no names, no file names.
 *
 * It runs the detector and the recognition net over ~260 photos (about two minutes on this machine), which is
 * why it is a script and not a unit test; test/unit/face/thresholds.test.ts keeps a few fixed pairs.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FaceConfig } from '../core/contract/face-config.js';
import { faceFixturesAvailable, faceFixturesRoot, listFacePhotos } from '../test/support/face/fixtures.js';
import { readImage } from './face/decode-image.js';
import { createNodeFaceEngine } from './face/node-face-engine.js';
import { equalErrorRate, pairDistances, ratesAt, type DescribedPhoto, type PairDistances } from './face/pair-stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const detector = opt('--detector') === 'tiny' ? 'tiny' : 'ssd';
const outFile = path.resolve(ROOT, opt('--out') ?? 'docs/calibration/face.md');

if (!faceFixturesAvailable()) {
  console.error(`face fixtures not found under ${faceFixturesRoot} (set FACE_FIXTURES_DIR)`);
  process.exit(2);
}

const config = FaceConfig.parse({ detection: { detector } });
const { threshold, reviewBand } = config.match;
const { engine } = await createNodeFaceEngine(config);

const photos = listFacePhotos();
const described: DescribedPhoto[] = [];
const rejected = new Map<string, number>();
const started = performance.now();
for (const photo of photos) {
  const image = await readImage(photo.file);
  // The face-api.js fixtures are tight crops, like a chip photo: tell the engine, as the station will.
  const analysis = await engine.analyse(image, 'reference', photo.tightCrop ? { pad: 'always' } : {});
  if (analysis.ok) described.push({ identity: photo.identity, group: photo.group, descriptor: analysis.descriptor });
  else rejected.set(analysis.reason, (rejected.get(analysis.reason) ?? 0) + 1);
}
const seconds = (performance.now() - started) / 1000;

const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
const lines: string[] = [];
const out = (line = ''): void => {
  lines.push(line);
  console.log(line);
};

function table(name: string, pairs: PairDistances): void {
  const eer = equalErrorRate(pairs);
  out(`### ${name}`);
  out();
  out(`${pairs.genuine.length} genuine, ${pairs.impostor.length} impostor pairs; equal error rate ${pct(eer.rate)} at distance ${eer.at.toFixed(3)}.`);
  out();
  out('| distance below | meaning | genuine accepted | impostors accepted |');
  out('|---|---|---:|---:|');
  for (const [at, label] of [
    [reviewBand.lower, 'review band lower edge: 通过 below'],
    [threshold, 'nominal threshold'],
    [reviewBand.upper, 'review band upper edge: 不通过 above'],
    [0.6, "dlib's usual threshold"],
  ] as const) {
    const r = ratesAt(pairs, at);
    out(`| ${at.toFixed(2)} | ${label} | ${pct(r.genuineAccept)} | ${pct(r.falseAccept)} (${r.falseAcceptCount}) |`);
  }
  out();
}

out('# Face threshold calibration');
out();
out('Printed by `npm run calibrate:face` (scripts/calibrate-face.ts) on the shared fixtures (`../shared/fixtures/faces-lfw`, `faces`), test use only.');
out(`Engine: ${engine.modelVersion}, ${detector} detector, backend ${engine.backend}; thresholds from core/contract/face-config.ts`);
out(`(通过 below ${reviewBand.lower.toFixed(2)}, 需人工复核 ${reviewBand.lower.toFixed(2)}–${reviewBand.upper.toFixed(2)}, 不通过 above ${reviewBand.upper.toFixed(2)}).`);
out(`${described.length} of ${photos.length} photos gave exactly one usable face; rejected: ${JSON.stringify(Object.fromEntries(rejected))}.`);
out('Genuine accepted: share of same-person pairs with a distance below the value; impostors accepted: share of different-person pairs below it (count in brackets).');
out();
table('East Asian identities (LFW, 15 identities: the station population)', pairDistances(described, (p) => p.group === 'east-asian'));
table('Other identities (LFW non-East-Asian and the face-api / face_recognition sets)', pairDistances(described, (p) => p.group !== 'east-asian'));
table('All identities', pairDistances(described, () => true));

console.log(`(${photos.length} photos in ${seconds.toFixed(1)} s, ${((seconds * 1000) / photos.length).toFixed(0)} ms each)`);
await mkdir(path.dirname(outFile), { recursive: true });
await writeFile(outFile, `${lines.join('\n').trimEnd()}\n`);
console.log(`written to ${path.relative(ROOT, outFile)}`);
