/**
 * ID card OCR: locate → straighten → crop per field → preprocess → recognise → repair and cross-check.
 *
 * No DOM and no Node: input is RGBA pixels (ImageData-shaped), the recogniser is the OcrEngine seam, so this
 * runs in a Web Worker in the app and in Node for the CLI and the benchmark.
 */
import { OcrError } from '../../core/errors/ocr-error.js';
import { repairCitizenNumber } from './citizen-number.js';
import type { OcrEngine, RecognizeResult } from './engine.js';
import { cleanChinese, matchNation, parseBirthLine, parseSex, parseValidity, plausibleName } from './fields.js';
import { isRgbaImage, toGray, warpPerspective, type GrayImage, type Quad, type RgbaImage } from './image.js';
import { BACK_LAYOUT, CARD_HEIGHT, CARD_WIDTH, FRONT_LAYOUT, type FieldRegion } from './layout.js';
import { locateCard, type CardLocation } from './locate.js';
import { prepareField } from './preprocess.js';
import { BackResult, FrontResult, IdCardOcrResult, type ReviewReason } from './schema.js';

export interface IdCardOcrOptions {
  engine: OcrEngine;
  /**
   * GB/T 3304 nation table (code → short name as printed, e.g. '01' → '汉') to check and snap the 民族 reading.
   * Without it the nation is reported as read and flagged only on low confidence.
   */
  nations?: ReadonlyMap<string, string> | undefined;
  /** Reference date for "birth date not in the future"; default now. */
  today?: Date | undefined;
  /** Fields below this confidence (0–1) need review. Default 0.6. */
  reviewBelow?: number | undefined;
}

export interface IdCardImages {
  /** 人像面. */
  front?: RgbaImage | undefined;
  /** 国徽面. */
  back?: RgbaImage | undefined;
}

const EMPTY_READ: RecognizeResult = { text: '', confidence: 0, chars: [] };

const now = (): number => globalThis.performance.now();

interface Straightened {
  location: CardLocation;
  gray: GrayImage;
}

/** Locate the card and straighten it to CARD_WIDTH × CARD_HEIGHT, brightest channel. */
export function straightenCard(image: RgbaImage): Straightened {
  if (!isRgbaImage(image) || image.width < 64 || image.height < 40) {
    throw new OcrError('image-invalid', `bad image ${String(image.width)}x${String(image.height)}`);
  }
  const location = locateCard(image);
  let card: RgbaImage;
  try {
    card = warpPerspective(image, location.quad, CARD_WIDTH, CARD_HEIGHT);
  } catch (error) {
    throw new OcrError('card-not-found', 'degenerate card outline', { cause: error });
  }
  return { location, gray: toGray(card, 'max') };
}

async function read(engine: OcrEngine, card: GrayImage, region: FieldRegion): Promise<RecognizeResult> {
  const prepared = prepareField(card, region);
  if (!prepared) return EMPTY_READ;
  return engine.recognize(prepared.image, {
    script: region.script,
    layout: region.layout,
    ...(region.whitelist === undefined ? {} : { whitelist: region.whitelist }),
  });
}

function placement(location: CardLocation): FrontResult['card'] {
  const q = location.quad;
  const pt = (i: number) => ({ x: Math.round((q[i]?.x ?? 0) * 10) / 10, y: Math.round((q[i]?.y ?? 0) * 10) / 10 });
  return { quad: [pt(0), pt(1), pt(2), pt(3)], confidence: location.confidence, method: location.method };
}

function clamp01(v: number): number {
  return Math.max(0, Math.min(1, Number.isFinite(v) ? v : 0));
}

function makeField<T extends string>(value: T | '', confidence: number, reasons: ReviewReason[], reviewBelow: number) {
  const all = [...reasons];
  if (value === '') all.push('not-read');
  else if (confidence < reviewBelow) all.push('low-confidence');
  const unique = [...new Set(all)];
  return { value, confidence: clamp01(value === '' ? 0 : confidence), needsReview: unique.length > 0, reasons: unique };
}

/** Mean per-character confidence (LSTM line confidences are often far lower than the characters'). */
function charConfidence(r: RecognizeResult): number {
  if (r.chars.length === 0) return r.confidence;
  return r.chars.reduce((s, c) => s + c.confidence, 0) / r.chars.length;
}

export async function recognizeFront(
  image: RgbaImage,
  options: IdCardOcrOptions,
  timings: Record<string, number> = {},
): Promise<FrontResult> {
  const reviewBelow = options.reviewBelow ?? 0.6;
  let t = now();
  const { location, gray } = straightenCard(image);
  timings['front.locate'] = now() - t;
  t = now();
  const e = options.engine;
  // The number goes to the Latin worker while the Chinese fields queue on the other: two cores, two workers.
  const numberRead = read(e, gray, FRONT_LAYOUT.idNumber);
  const nameRead = await read(e, gray, FRONT_LAYOUT.name);
  const sexNationRead = await read(e, gray, FRONT_LAYOUT.sexNation);
  const birthRead = await read(e, gray, FRONT_LAYOUT.birth);
  const addressRead = await read(e, gray, FRONT_LAYOUT.address);
  const numberText = await numberRead;
  timings['front.recognise'] = now() - t;
  t = now();

  const cardReasons: ReviewReason[] = location.confidence < 0.45 ? ['card-uncertain'] : [];

  // Sex and nation share a line: 男 … 汉 (the 民族 label may survive as text).
  const sexNationText = cleanChinese(sexNationRead.text);
  const sexRead = parseSex(sexNationText);
  const nationText = sexNationText.replace(/[男女]/gu, '').replace(/^.*?民族/u, '').replace(/[性别民族]/gu, '');
  const sexNationConf = charConfidence(sexNationRead);

  const birthFromLine = parseBirthLine(birthRead.text);
  const number = repairCitizenNumber(numberText.text, {
    chars: numberText.chars,
    birthDate: birthFromLine,
    sex: sexRead,
    today: options.today,
  });
  const numberReasons: ReviewReason[] = [...cardReasons];
  if (!number.parsed) numberReasons.push('check-digit');
  if (number.repair === 'substitution') numberReasons.push('corrected');
  const numberConfidence = number.parsed ? (number.repair === 'substitution' ? 0.7 : 0.99) : Math.min(0.5, charConfidence(numberText));
  const idNumber = {
    ...makeField(number.value, numberConfidence, numberReasons, reviewBelow),
    valid: number.parsed !== undefined,
    repair: number.repair,
  };

  // Birth date: the printed line, checked against the number (which encodes it).
  const fromNumber = number.parsed?.birthDate.replaceAll('-', '');
  const birthDate8 = parseBirthLine(birthRead.text, fromNumber) ?? fromNumber ?? '';
  const birthReasons: ReviewReason[] = [...cardReasons];
  let birthConfidence = charConfidence(birthRead);
  if (fromNumber !== undefined && birthDate8 !== '') {
    if (birthDate8 !== fromNumber) birthReasons.push('birth-mismatch');
    else birthConfidence = Math.max(birthConfidence, 0.95);
  }
  const birthDate = makeField(birthDate8, birthConfidence, birthReasons, reviewBelow);

  const sexReasons: ReviewReason[] = [...cardReasons];
  let sexValue: 'male' | 'female' | '' = sexRead ?? '';
  let sexConfidence = sexNationConf;
  if (number.parsed) {
    if (sexRead === undefined) {
      // Unreadable on the card but encoded in a valid number: prefill from the number.
      sexValue = number.parsed.sex;
      sexConfidence = 0.9;
    } else if (sexRead !== number.parsed.sex) sexReasons.push('sex-mismatch');
    else sexConfidence = Math.max(sexConfidence, 0.95);
  }
  const sex = makeField(sexValue, sexConfidence, sexReasons, reviewBelow);

  const nationReasons: ReviewReason[] = [...cardReasons];
  let nationValue = nationText;
  let nationCode: string | undefined;
  let nationConfidence = sexNationConf;
  if (options.nations) {
    const match = matchNation(nationText, options.nations);
    if (match) {
      nationValue = match.name;
      nationCode = match.code;
      if (!match.exact) nationConfidence = Math.min(nationConfidence, 0.65);
    } else if (nationText !== '') nationReasons.push('unknown-nation');
  }
  const nation = {
    ...makeField(nationValue.slice(0, 20), nationConfidence, nationReasons, reviewBelow),
    ...(nationCode === undefined ? {} : { code: nationCode }),
  };

  const nameText = cleanChinese(nameRead.text).replace(/^姓名/u, '');
  const nameReasons: ReviewReason[] = [...cardReasons];
  const nameConfidence = plausibleName(nameText) ? charConfidence(nameRead) : Math.min(0.3, charConfidence(nameRead));
  const name = makeField(nameText.slice(0, 80), nameConfidence, nameReasons, reviewBelow);

  const addressText = cleanChinese(addressRead.text).replace(/^住址/u, '');
  const address = makeField(addressText.slice(0, 80), charConfidence(addressRead), [...cardReasons], reviewBelow);

  timings['front.postprocess'] = now() - t;
  const result = { card: placement(location), name, sex, nation, birthDate, address, idNumber };
  const checked = FrontResult.safeParse(result);
  if (!checked.success) throw new OcrError('output-invalid', `front: ${checked.error.issues.length} schema issues`);
  return checked.data;
}

export async function recognizeBack(
  image: RgbaImage,
  options: IdCardOcrOptions,
  timings: Record<string, number> = {},
): Promise<BackResult> {
  const reviewBelow = options.reviewBelow ?? 0.6;
  let t = now();
  const { location, gray } = straightenCard(image);
  timings['back.locate'] = now() - t;
  t = now();
  const authorityRead = read(options.engine, gray, BACK_LAYOUT.issuingAuthority);
  const validityRead = await read(options.engine, gray, BACK_LAYOUT.validity);
  const authority = await authorityRead;
  timings['back.recognise'] = now() - t;

  const cardReasons: ReviewReason[] = location.confidence < 0.45 ? ['card-uncertain'] : [];
  const authorityText = cleanChinese(authority.text).replace(/^签发机关/u, '');
  const issuingAuthority = makeField(authorityText.slice(0, 80), charConfidence(authority), [...cardReasons], reviewBelow);

  const validity = parseValidity(validityRead.text);
  const validityReasons: ReviewReason[] = [...cardReasons];
  let validityConfidence = charConfidence(validityRead);
  if (!validity) validityReasons.push('validity-invalid');
  else if (!validity.consistent) validityReasons.push('validity-invalid');
  else validityConfidence = Math.max(validityConfidence, 0.9);
  const validFrom = makeField(validity?.value.from ?? '', validityConfidence, validityReasons, reviewBelow);
  const validTo = makeField(validity?.value.to ?? '', validityConfidence, validityReasons, reviewBelow);

  const result = { card: placement(location), issuingAuthority, validFrom, validTo };
  const checked = BackResult.safeParse(result);
  if (!checked.success) throw new OcrError('output-invalid', `back: ${checked.error.issues.length} schema issues`);
  return checked.data;
}

/**
 * Read one or both sides of a resident ID card. Sides run one after another (each already keeps both
 * recogniser workers busy). Throws OcrError for unusable images or a failed engine; low-quality readings are not
 * errors, they come back flagged `needsReview`.
 */
export async function recognizeIdCard(images: IdCardImages, options: IdCardOcrOptions): Promise<IdCardOcrResult> {
  if (!images.front && !images.back) throw new OcrError('image-invalid', 'no image given');
  const timings: Record<string, number> = {};
  const start = now();
  const front = images.front ? await recognizeFront(images.front, options, timings) : undefined;
  const back = images.back ? await recognizeBack(images.back, options, timings) : undefined;
  timings['total'] = now() - start;
  for (const k of Object.keys(timings)) timings[k] = Math.round((timings[k] ?? 0) * 10) / 10;
  const fields = [
    ...(front ? [front.name, front.sex, front.nation, front.birthDate, front.address, front.idNumber] : []),
    ...(back ? [back.issuingAuthority, back.validFrom, back.validTo] : []),
  ];
  const result = {
    ...(front ? { front } : {}),
    ...(back ? { back } : {}),
    needsReview: fields.some((f) => f.needsReview),
    timings,
  };
  const checked = IdCardOcrResult.safeParse(result);
  if (!checked.success) throw new OcrError('output-invalid', `result: ${checked.error.issues.length} schema issues`);
  return checked.data;
}

export type { Quad };
