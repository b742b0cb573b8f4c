/// <reference lib="webworker" />
import { nationsByCode } from '../../core/idcard/nations.js';
import { toStationError } from '../../core/errors/station-error.js';
import { PaddleEngine, type OrtModule } from '../ocr/paddle-engine.js';
import { recognizeIdCard } from '../ocr/pipeline.js';
import { regionIndex } from '../ocr/regions.js';
import { TesseractEngine } from '../ocr/tesseract-engine.js';
import { OcrMessage, type OcrReply } from './ocr-protocol.js';

/**
 * ID card OCR off the window's thread. One pair of engines for the worker's life: tesseract.js (its own
 * workers, the digit fields) and PP-OCRv4 recognition on onnxruntime-web (WASM, single thread, on this worker's
 * thread; the Chinese fields). Every file comes from the app's own origin: tesseract's language data, worker
 * and core under /ocr/, the PP-OCR model and dictionary under /ocr/paddle/, ORT's WASM under /ocr/ort/.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const base = new URL('/ocr/', scope.location.origin).href;
const ortBase = new URL('/ocr/ort/', scope.location.origin).href;
const engine = new TesseractEngine({ langPath: `${base}lang`, workerPath: `${base}worker.min.js`, corePath: `${base}core` });

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${String(response.status)} for ${url}`);
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * Loaded as soon as the worker starts (the window creates it for the first card). Without it (a failed load)
 * the worker reads every field with tesseract, as before PP-OCR: slower and less accurate, never worse than that.
 */
const paddleReady: Promise<PaddleEngine | undefined> = (async () => {
  try {
    const ort = (await import('onnxruntime-web/wasm')) as unknown as OrtModule;
    // Before the first session: ORT would otherwise look for its WASM next to its own script (or a CDN).
    ort.env.wasm.wasmPaths = ortBase;
    const [model, dictionary] = await Promise.all([fetchBytes(`${base}paddle/rec.onnx`), fetchBytes(`${base}paddle/keys.txt`)]);
    const paddle = new PaddleEngine({ ort, model, dictionary: new TextDecoder().decode(dictionary) });
    await paddle.warmUp();
    return paddle;
  } catch (error) {
    console.warn('PP-OCR recognizer unavailable; OCR falls back to tesseract only', toStationError(error).detail);
    return undefined;
  }
})();

let queue: Promise<unknown> = Promise.resolve();

scope.addEventListener('message', (event: MessageEvent) => {
  const parsed = OcrMessage.safeParse(event.data);
  if (!parsed.success) return;
  if ('warmUp' in parsed.data) {
    // A failed load is not reported here: the card that needs the engine reports it (or falls back to tesseract).
    queue = queue.then(() => Promise.all([paddleReady, engine.warmUp()]).catch(() => undefined));
    return;
  }
  const request = parsed.data;
  // One card at a time: the engines are shared by both sides of every card.
  queue = queue.then(async () => {
    let reply: OcrReply;
    try {
      const paddle = await paddleReady;
      const result = await recognizeIdCard(
        { front: request.front, back: request.back },
        { engine, nations: nationsByCode, ...(paddle ? { paddle, regions: regionIndex() } : {}) },
      );
      reply = { id: request.id, ok: true, result };
    } catch (error) {
      reply = { id: request.id, ok: false, message: toStationError(error).userMessage };
    }
    scope.postMessage(reply);
  });
});
