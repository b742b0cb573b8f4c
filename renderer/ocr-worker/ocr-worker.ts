/// <reference lib="webworker" />
import { nationsByCode } from '../../core/idcard/nations.js';
import { toStationError } from '../../core/errors/station-error.js';
import { recognizeIdCard } from '../ocr/pipeline.js';
import { TesseractEngine } from '../ocr/tesseract-engine.js';
import { OcrRequest, type OcrReply } from './ocr-protocol.js';

/**
 * ID card OCR off the window's thread. One engine for the worker's life (tesseract's own workers load the
 * models once); language data, tesseract's worker and its WASM core come from the app's own files.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const base = new URL('/ocr/', scope.location.origin).href;
const engine = new TesseractEngine({ langPath: `${base}lang`, workerPath: `${base}worker.min.js`, corePath: `${base}core` });
let queue: Promise<unknown> = Promise.resolve();

scope.addEventListener('message', (event: MessageEvent) => {
  const parsed = OcrRequest.safeParse(event.data);
  if (!parsed.success) return;
  const request = parsed.data;
  // One card at a time: the engine's workers are shared by both sides of every card.
  queue = queue.then(async () => {
    let reply: OcrReply;
    try {
      const result = await recognizeIdCard({ front: request.front, back: request.back }, { engine, nations: nationsByCode });
      reply = { id: request.id, ok: true, result };
    } catch (error) {
      reply = { id: request.id, ok: false, message: toStationError(error).userMessage };
    }
    scope.postMessage(reply);
  });
});
