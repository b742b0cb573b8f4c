/**
 * The recogniser seam: "read the text in this cropped image". The pipeline knows only this interface, so the
 * tesseract.js implementation can be swapped (or faked in tests) without touching layout and post-processing.
 */
import type { GrayImage } from './image.js';

/** Which model reads the crop: Chinese text (also reads digits) or Latin digits and letters. */
export type OcrScript = 'chinese' | 'latin';

/** How the crop is laid out: one text line, a block of lines (the address), or a whole page (baseline). */
export type OcrLayout = 'line' | 'block' | 'page';

export interface RecognizeOptions {
  script: OcrScript;
  layout: OcrLayout;
  /** Only these characters may be returned; empty or absent means no restriction. */
  whitelist?: string;
  /** Which card field the crop holds, for logs and scripted test engines; recognisers may ignore it. */
  field?: string;
}

export interface RecognizedChar {
  text: string;
  /** 0–1. */
  confidence: number;
}

export interface RecognizeResult {
  /** Recognised text, lines joined with '\n'. */
  text: string;
  /** 0–1, the recogniser's own mean confidence. */
  confidence: number;
  /** Per-character confidences where the engine reports them. */
  chars: RecognizedChar[];
}

export interface OcrEngine {
  recognize(image: GrayImage, options: RecognizeOptions): Promise<RecognizeResult>;
  /** Frees the engine's workers; the engine cannot be used afterwards. */
  terminate(): Promise<void>;
}
