/**
 * Where each field sits on the straightened card, as fractions of the card's width and height. Regions are
 * generous search areas; preprocessing then tightens them to the ink actually found, which absorbs the layout
 * differences between card batches and a few per cent of location error.
 */
import type { OcrLayout, OcrScript } from './engine.js';

/** Card size after straightening: 85.6 × 54 mm at about 300 dpi, so printed text is 28–36 px high. */
export const CARD_WIDTH = 1000;
export const CARD_HEIGHT = 631;

export interface FieldRegion {
  /** Fractions of the card: left, top, right, bottom. */
  box: readonly [number, number, number, number];
  script: OcrScript;
  layout: OcrLayout;
  whitelist?: string;
  /** Keep only the most prominent text line (line fields) or every line (blocks). */
  lines: 'one' | 'all';
  /**
   * Digit fields: drop ink blobs shorter than this fraction of the line height. Digits are single blobs of full
   * height; what is left of the 年月日 labels after preprocessing is fragments.
   */
  minBlobHeight?: number;
}

export type FrontFieldKey = 'name' | 'sexNation' | 'birth' | 'address' | 'idNumber';
export type BackFieldKey = 'issuingAuthority' | 'validity';

export const DIGITS = '0123456789';

export const FRONT_LAYOUT: Readonly<Record<FrontFieldKey, FieldRegion>> = {
  name: { box: [0.16, 0.08, 0.62, 0.225], script: 'chinese', layout: 'line', lines: 'one' },
  // Sex and nation share a line; read as one crop so the blue 民族 label (removed by preprocessing) cannot
  // shift the value out of a fixed sub-box.
  sexNation: { box: [0.16, 0.225, 0.62, 0.35], script: 'chinese', layout: 'line', lines: 'one' },
  birth: { box: [0.16, 0.35, 0.62, 0.475], script: 'latin', layout: 'line', whitelist: DIGITS, lines: 'one', minBlobHeight: 0.55 },
  address: { box: [0.16, 0.475, 0.625, 0.79], script: 'chinese', layout: 'block', lines: 'all' },
  idNumber: { box: [0.29, 0.78, 0.98, 0.95], script: 'latin', layout: 'line', whitelist: `${DIGITS}X`, lines: 'one', minBlobHeight: 0.55 },
};

export const BACK_LAYOUT: Readonly<Record<BackFieldKey, FieldRegion>> = {
  issuingAuthority: { box: [0.36, 0.69, 0.97, 0.81], script: 'chinese', layout: 'line', lines: 'one' },
  validity: { box: [0.36, 0.81, 0.97, 0.94], script: 'chinese', layout: 'line', whitelist: `${DIGITS}.-长期`, lines: 'one' },
};
