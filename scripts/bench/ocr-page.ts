/**
 * Runs inside Chromium (bundled by ocr-chromium.ts with esbuild): starts the app's own OCR worker
 * (renderer/ocr-worker/ocr-worker.ts, bundled as the app bundles it) and sends it the bench's cards one at a
 * time, as the staff window's OCR store does, timing each reply. The first request is sent right after the
 * worker is created, so its time is what the first card costs on a fresh window (engines loading included).
 */
import type { OcrReply, OcrRequest } from '../../renderer/ocr-worker/ocr-protocol.js';

export interface OcrBenchParams {
  readonly cards: readonly { readonly front: { url: string; width: number; height: number }; readonly back: { url: string; width: number; height: number } }[];
  readonly workerUrl: string;
  /** Send the worker its warm-up message at once and wait this long before the first card (staff choosing files). */
  readonly warmMs?: number;
}

export interface OcrBenchCard {
  readonly ms: number;
  readonly ok: boolean;
  /** Values read (synthetic people only), so the runner can score them; never printed. */
  readonly values: Readonly<Record<string, string>>;
  readonly flagged: readonly string[];
  /** The pipeline's own stage times (locate, recognise, postprocess per side). */
  readonly timings: Readonly<Record<string, number>>;
}

export interface OcrBenchOutcome {
  readonly cards: readonly OcrBenchCard[];
  /** Worker created → first reply (load of both engines + the first card). */
  readonly firstReplyMs: number;
}

async function pixels(source: { url: string; width: number; height: number }): Promise<{ width: number; height: number; data: Uint8ClampedArray }> {
  const response = await fetch(source.url);
  if (!response.ok) throw new Error(`HTTP ${response.status} for a card image`);
  return { width: source.width, height: source.height, data: new Uint8ClampedArray(await response.arrayBuffer()) };
}

/** Starts the worker, then answers when told to go: the runner measures memory between the two. */
function startWorker(workerUrl: string): Worker {
  const worker = new Worker(workerUrl, { type: 'module', name: 'ocr' });
  (globalThis as unknown as { ocrWorker: Worker }).ocrWorker = worker;
  return worker;
}

async function runOcrBench(params: OcrBenchParams): Promise<OcrBenchOutcome> {
  const images = await Promise.all(params.cards.map(async (c) => ({ front: await pixels(c.front), back: await pixels(c.back) })));
  const started = performance.now();
  const worker = startWorker(params.workerUrl);
  const ask = (request: OcrRequest) =>
    new Promise<OcrReply>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<OcrReply>) => resolve(event.data);
      worker.onerror = (event) => reject(new Error(event.message));
      worker.postMessage(request);
    });
  if (params.warmMs !== undefined) {
    worker.postMessage({ warmUp: true });
    await new Promise((resolve) => setTimeout(resolve, params.warmMs));
  }
  const cards: OcrBenchCard[] = [];
  let firstReplyMs = 0;
  for (const [id, image] of images.entries()) {
    const t0 = performance.now();
    const reply = await ask({ id, front: image.front, back: image.back });
    const ms = performance.now() - t0;
    if (id === 0) firstReplyMs = performance.now() - started;
    const values: Record<string, string> = {};
    const flagged: string[] = [];
    if (reply.ok) {
      for (const side of [reply.result.front, reply.result.back]) {
        if (!side) continue;
        for (const [key, field] of Object.entries(side)) {
          if (key === 'card' || typeof field !== 'object' || field === null || !('value' in field)) continue;
          values[key] = String(field.value);
          if ('needsReview' in field && field.needsReview) flagged.push(key);
        }
      }
    }
    cards.push({ ms, ok: reply.ok, values, flagged, timings: reply.ok ? reply.result.timings : {} });
  }
  return { cards, firstReplyMs };
}

const exposed = globalThis as unknown as { runOcrBench: typeof runOcrBench };
exposed.runOcrBench = runOcrBench;
