/**
 * ID card OCR from image files, offline.
 *
 *   npx tsx scripts/ocr.ts card.jpg [--back back.jpg]
 *   npx tsx scripts/ocr.ts --back back.jpg
 *
 * Prints JSON: fields with confidence, review flags and the engine that read each (PP-OCRv4 or tesseract, as
 * the app routes them; --tesseract-only for the single-engine pipeline), the card outline, and timings
 * (including model load).
 * The output contains the card's personal data; it goes to stdout only, never to a log.
 */
import { recognizeIdCard } from '../renderer/ocr/pipeline.js';
import { OcrError } from '../core/errors/ocr-error.js';
import { regionIndex } from '../renderer/ocr/regions.js';
import { createNodeEngine, createNodePaddleEngine, decodeImageFile, nationTable } from '../test/support/ocr/node-adapter.js';

function usage(): never {
  console.error('usage: tsx scripts/ocr.ts <front.jpg|png> [--back <back.jpg|png>] [--tesseract-only]');
  process.exit(2);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let front: string | undefined;
  let back: string | undefined;
  let tesseractOnly = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--back') back = args[++i] ?? usage();
    else if (a === '--tesseract-only') tesseractOnly = true;
    else if (a === '--help' || a === '-h') usage();
    else if (a !== undefined && !a.startsWith('--') && front === undefined) front = a;
    else usage();
  }
  if (front === undefined && back === undefined) usage();

  const decodeStart = performance.now();
  const images = {
    ...(front === undefined ? {} : { front: decodeImageFile(front) }),
    ...(back === undefined ? {} : { back: decodeImageFile(back) }),
  };
  const decodeMs = performance.now() - decodeStart;
  const engine = createNodeEngine();
  const paddle = tesseractOnly ? undefined : await createNodePaddleEngine();
  try {
    const loadStart = performance.now();
    await Promise.all([engine.warmUp(), paddle?.warmUp()]);
    const loadMs = performance.now() - loadStart;
    const result = await recognizeIdCard(images, { engine, nations: nationTable(), ...(paddle ? { paddle, regions: regionIndex() } : {}) });
    const timings = { ...result.timings, decode: Math.round(decodeMs), modelLoad: Math.round(loadMs) };
    process.stdout.write(`${JSON.stringify({ ...result, timings }, null, 2)}\n`);
  } finally {
    await paddle?.terminate();
    await engine.terminate();
  }
}

main().catch((error: unknown) => {
  if (error instanceof OcrError) console.error(`${error.userMessage} (${error.detail ?? error.code})`);
  else console.error(error instanceof Error ? `${error.name}: ${error.message}` : 'ocr failed');
  process.exitCode = 1;
});
