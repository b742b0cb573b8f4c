/**
 * ID card OCR: locate → straighten → crop per field → preprocess → recognise → repair and cross-check.
 *
 * No DOM and no Node: input is RGBA pixels (ImageData-shaped), the recogniser is the OcrEngine seam, so this
 * runs in a Web Worker in the app and in Node for the CLI and the benchmark.
 */
import { OcrError } from '../../core/errors/ocr-error.js';
import { cleanNumberText, repairCitizenNumber } from './citizen-number.js';
import type { OcrEngine, RecognizeResult } from './engine.js';
import { cleanChinese, matchNation, parseBirthLine, parseSex, parseValidity, plausibleName } from './fields.js';
import { isRgbaImage, toGray, warpPerspective, type GrayImage, type Quad, type RgbaImage } from './image.js';
import { BACK_LAYOUT, CARD_HEIGHT, CARD_WIDTH, FRONT_LAYOUT, type FieldRegion } from './layout.js';
import { locateCard, type CardLocation } from './locate.js';
import { prepareField, type PrepareOptions } from './preprocess.js';
import { addressBand, BACK_LINES, FRONT_LINES, lineCentres, shiftLayout, verticalOffset } from './align.js';
import { decideNumber, type NumberReading } from './number-accept.js';
import { snapNation } from './nation-snap.js';
import { correctAddressPrefix, correctAuthority, type RegionIndex } from './region-prefix.js';
import { BackResult, FrontResult, IdCardOcrResult, type OcrEngineName, type ReviewReason } from './schema.js';

/** Fields the pipeline crops, each read by one recogniser (or, for the number and dates, both when needed). */
export type OcrFieldKey = 'name' | 'sexNation' | 'birth' | 'address' | 'idNumber' | 'issuingAuthority' | 'validity';
export type FieldRoutes = Readonly<Record<OcrFieldKey, 'tesseract' | 'paddle'>>;

/**
 * The recogniser that reads each field first, measured with scripts/bench-ocr.ts on generated cards of every
 * tier: PP-OCRv4 for the Chinese fields (names, the 性别/民族 line, addresses, authorities), tesseract's digit
 * model for the number and the dates (fast, and exact on the monospaced digits); the other engine is asked for
 * the number and the dates only when the first reading does not hold.
 */
export const DEFAULT_ROUTES: FieldRoutes = {
  name: 'paddle',
  sexNation: 'paddle',
  birth: 'tesseract',
  address: 'paddle',
  idNumber: 'tesseract',
  issuingAuthority: 'paddle',
  validity: 'tesseract',
};

export interface IdCardOcrOptions {
  /** tesseract.js: the Latin digit model and, without `paddle`, every field (the pipeline before PP-OCR). */
  engine: OcrEngine;
  /** PP-OCRv4 recognition; when given, fields are read as `routes` say. */
  paddle?: OcrEngine | undefined;
  routes?: FieldRoutes | undefined;
  /** GB/T 2260 names to correct address and authority prefixes (with `paddle`). */
  regions?: RegionIndex | undefined;
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

async function read(engine: OcrEngine, card: GrayImage, region: FieldRegion, field: string, variant: PrepareOptions = {}): Promise<RecognizeResult> {
  const prepared = prepareField(card, region, variant);
  if (!prepared) return EMPTY_READ;
  return engine.recognize(prepared.image, {
    script: region.script,
    layout: region.layout,
    field,
    ...(region.whitelist === undefined ? {} : { whitelist: region.whitelist }),
  });
}

/**
 * Preprocessing variants per field, tried in order. Measured on generated cards (two seeds, 80 fronts): glyphs
 * about 32 px high read better than 40 px with the chi_sim model, a light unsharp mask helps blurred photos, and
 * different thresholds rescue different names, so names are read three ways and the readings vote. With true
 * corners 68 of those 80 names came out exact against 56 for the earlier single reading; with located corners
 * about 67 of 80 (which three variants, and voting or highest confidence, moved this by ±3 only: noise).
 */
const NAME_VARIANTS: readonly PrepareOptions[] = [
  { textHeight: 32, threshold: 0.65, sharpen: 1 },
  { textHeight: 32, tone: 'stretch' },
  { textHeight: 28 },
];
/**
 * The number is re-read (shifted crops, another scale) only while no reading passes the check character: a valid
 * GB 11643 check character is strong evidence, and most cards stop after the first reading.
 */
const NUMBER_VARIANTS: readonly PrepareOptions[] = [{}, { shift: [0, 0.015] }, { shift: [0, -0.015] }, { textHeight: 32, tone: 'stretch' }];

/**
 * Addresses and the issuing authority: 32 px glyphs read 20 of 40 generated addresses exactly against 14 at
 * 40 px (authorities 30 against 28), and faster.
 */
const ADDRESS_VARIANT: PrepareOptions = { textHeight: 32 };

const SEX_NATION_VARIANTS: readonly PrepareOptions[] = [{ textHeight: 28 }, {}, { textHeight: 32, tone: 'stretch' }];

/** Sex and nation share a line: 男 … 汉 (the 民族 label may survive as text). */
function splitSexNation(text: string, nations: ReadonlyMap<string, string> | undefined) {
  const clean = cleanChinese(text);
  const sex = parseSex(clean);
  const nationText = clean.replace(/^[^男女]*[男女]/u, '').replace(/^.*?民族/u, '').replace(/[性别民族]/gu, '');
  const nation = nations ? matchNation(nationText, nations) : undefined;
  return { sex, nationText, nation };
}

/** The first of two readings of the number that agree on all 18 characters. */
function consensus(reads: readonly RecognizeResult[]): RecognizeResult | undefined {
  const seen = new Map<string, RecognizeResult>();
  for (const r of reads) {
    const text = cleanNumberText(r.text).toUpperCase();
    if (text.length !== 18) continue;
    const earlier = seen.get(text);
    if (earlier) return earlier;
    seen.set(text, r);
  }
  return undefined;
}

/** The name most readings agree on (weighted by confidence), preferring readings that look like a name. */
function pickName(reads: readonly RecognizeResult[]): { text: string; read: RecognizeResult } {
  const all = reads.map((read) => ({ read, text: cleanChinese(read.text).replace(/^姓名/u, ''), conf: charConfidence(read) }));
  const plausible = all.filter((c) => plausibleName(c.text));
  const pool = plausible.length > 0 ? plausible : all;
  const votes = new Map<string, number>();
  for (const c of pool) votes.set(c.text, (votes.get(c.text) ?? 0) + c.conf);
  let best = pool[0] ?? { read: EMPTY_READ, text: '', conf: 0 };
  for (const c of pool) {
    const v = votes.get(c.text) ?? 0;
    const bv = votes.get(best.text) ?? 0;
    if (v > bv || (v === bv && c.conf > best.conf)) best = c;
  }
  return { text: best.text, read: best.read };
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
  if (options.paddle) return recognizeFrontRouted(image, options, options.paddle, timings);
  const reviewBelow = options.reviewBelow ?? 0.6;
  let t = now();
  const { location, gray } = straightenCard(image);
  timings['front.locate'] = now() - t;
  t = now();
  const e = options.engine;
  // The number and the birth line go to the Latin worker while the Chinese fields queue on the other: two
  // cores, two workers.
  const numberReads = (async () => {
    const reads: RecognizeResult[] = [];
    for (const variant of NUMBER_VARIANTS) {
      const r = await read(e, gray, FRONT_LAYOUT.idNumber, 'idNumber', variant);
      reads.push(r);
      const check = repairCitizenNumber(r.text, { today: options.today });
      if (check.parsed && check.repair !== 'substitution') break;
      // Two readings that agree on 18 characters: the card says so, valid or not (specimens and typos exist).
      if (consensus(reads) !== undefined) break;
    }
    return reads;
  })();
  const birthPromise = read(e, gray, FRONT_LAYOUT.birth, 'birth');
  const nameReads: RecognizeResult[] = [];
  for (const variant of NAME_VARIANTS) nameReads.push(await read(e, gray, FRONT_LAYOUT.name, 'name', variant));
  // Sex and nation: re-read only while the line does not parse into a sex and a known nation.
  let sexNationRead = EMPTY_READ;
  for (const variant of SEX_NATION_VARIANTS) {
    const r = await read(e, gray, FRONT_LAYOUT.sexNation, 'sexNation', variant);
    if (sexNationRead === EMPTY_READ) sexNationRead = r;
    const parsed = splitSexNation(r.text, options.nations);
    if (parsed.sex !== undefined && (options.nations === undefined || parsed.nation !== undefined)) {
      sexNationRead = r;
      break;
    }
  }
  const addressRead = await read(e, gray, FRONT_LAYOUT.address, 'address', ADDRESS_VARIANT);
  const birthRead = await birthPromise;
  const numberTexts = await numberReads;
  timings['front.recognise'] = now() - t;
  t = now();

  const cardReasons: ReviewReason[] = location.confidence < 0.45 ? ['card-uncertain'] : [];

  // Sex and nation share a line: 男 … 汉 (the 民族 label may survive as text).
  const { sex: sexRead, nationText } = splitSexNation(sexNationRead.text, options.nations);
  const sexNationConf = charConfidence(sexNationRead);

  const birthFromLine = parseBirthLine(birthRead.text);
  // 1. A reading that holds as read (or with look-alikes mapped). 2. Two readings that agree: the card's number,
  // valid or not (repaired only as a single reading would be). 3. The first reading, or another reading with a
  // character too many or too few, repaired when unique. 4. The first reading, flagged.
  const hints = (r: RecognizeResult) => ({ chars: r.chars, birthDate: birthFromLine, sex: sexRead, today: options.today });
  const repaired = numberTexts.map((r) => ({ r, result: repairCitizenNumber(r.text, hints(r)) }));
  const agreed = consensus(numberTexts);
  const first = repaired[0] ?? { r: EMPTY_READ, result: repairCitizenNumber('', hints(EMPTY_READ)) };
  const chosenNumber =
    repaired.find((x) => x.result.parsed && x.result.repair !== 'substitution') ??
    (agreed === undefined ? undefined : repaired.find((x) => x.r === agreed)) ??
    (first.result.parsed ? first : undefined) ??
    repaired.find((x) => x.result.parsed && cleanNumberText(x.r.text).length !== 18) ??
    first;
  const numberText = chosenNumber.r;
  const number = chosenNumber.result;
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

  const { text: nameText, read: nameRead } = pickName(nameReads);
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
  if (options.paddle) return recognizeBackRouted(image, options, options.paddle, timings);
  const reviewBelow = options.reviewBelow ?? 0.6;
  let t = now();
  const { location, gray } = straightenCard(image);
  timings['back.locate'] = now() - t;
  t = now();
  const authorityRead = read(options.engine, gray, BACK_LAYOUT.issuingAuthority, 'issuingAuthority', ADDRESS_VARIANT);
  const validityRead = await read(options.engine, gray, BACK_LAYOUT.validity, 'validity');
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

/** Field values with the engine that read them. */
function withEngine<T extends object>(field: T, engine: OcrEngineName): T & { engine: OcrEngineName } {
  return { ...field, engine };
}

/**
 * PP-OCR re-reads of a field it was unsure of: a contrast stretch keeps blurred strokes, a sharper threshold
 * drops a busy background. Measured on the strong and glare tiers (scripts/bench-ocr.ts --explain).
 */
const RETRY_VARIANTS: readonly PrepareOptions[] = [{ tone: 'stretch' }, { threshold: 0.65, sharpen: 1 }];
/** Below this mean (or a character below RETRY_MIN_CHAR) a reading is tried again. */
const RETRY_BELOW = 0.9;
const RETRY_MIN_CHAR = 0.6;

/**
 * Read a field, and again with the retry variants while the reading is unsure; the most confident reading of
 * those that `usable` accepts wins, a reading much shorter than the longest counting as having lost characters.
 */
async function readSure(
  engine: OcrEngine,
  card: GrayImage,
  region: FieldRegion,
  field: string,
  first: PrepareOptions,
  usable: (r: RecognizeResult) => boolean = () => true,
): Promise<RecognizeResult> {
  const reads = [await read(engine, card, region, field, first)];
  const sure = (r: RecognizeResult) => usable(r) && charConfidence(r) >= RETRY_BELOW && r.chars.every((c) => c.confidence >= RETRY_MIN_CHAR);
  for (const variant of RETRY_VARIANTS) {
    if (reads.some(sure)) break;
    reads.push(await read(engine, card, region, field, { ...first, ...variant }));
  }
  const longest = Math.max(...reads.map((r) => r.chars.length));
  const score = (r: RecognizeResult) => (usable(r) ? 1 : 0) + charConfidence(r) - (r.chars.length < longest * 0.85 ? 0.5 : 0);
  return reads.reduce((best, r) => (score(r) > score(best) ? r : best));
}

/**
 * The pipeline with two recognisers: each field goes to the engine `routes` name (PP-OCR for the Chinese
 * fields), the number is accepted only as decideNumber says, the nation snaps to the 56 names and the address
 * and authority prefixes to the GB/T 2260 names.
 */
async function recognizeFrontRouted(image: RgbaImage, options: IdCardOcrOptions, paddle: OcrEngine, timings: Record<string, number>): Promise<FrontResult> {
  const reviewBelow = options.reviewBelow ?? 0.6;
  const routes = options.routes ?? DEFAULT_ROUTES;
  const engines = { tesseract: options.engine, paddle } as const;
  const other = (k: 'tesseract' | 'paddle') => (k === 'tesseract' ? 'paddle' : 'tesseract');
  let t = now();
  const { location, gray } = straightenCard(image);
  const found = lineCentres(gray, FRONT_LINES.column);
  const dy = verticalOffset(found, FRONT_LINES);
  const front = shiftLayout(FRONT_LAYOUT, dy);
  const band = addressBand(found, dy);
  if (band) {
    const [l, , r] = front.address.box;
    front.address = { ...front.address, box: [l, band[0], r, band[1]] };
  }
  timings['front.locate'] = now() - t;
  t = now();
  // tesseract runs in its own workers, PP-OCR on this thread: the digit fields start first so both cores work.
  const numberFirst = read(engines[routes.idNumber], gray, front.idNumber, 'idNumber');
  const birthFirst = read(engines[routes.birth], gray, front.birth, 'birth');
  numberFirst.catch(() => undefined);
  birthFirst.catch(() => undefined);

  const nameEngine = routes.name;
  let nameRead = await readSure(engines[nameEngine], gray, front.name, 'name', {}, (r) => plausibleName(cleanChinese(r.text).replace(/^姓名/u, '')));
  let nameText = cleanChinese(nameRead.text).replace(/^姓名/u, '');
  let nameSource: OcrEngineName = nameEngine;
  if (!plausibleName(nameText)) {
    // The first engine made nothing of it that looks like a name: the other one's readings vote.
    const reads: RecognizeResult[] = [];
    for (const variant of NAME_VARIANTS) reads.push(await read(engines[other(nameEngine)], gray, front.name, 'name', variant));
    const picked = pickName(reads);
    if (plausibleName(picked.text)) {
      nameText = picked.text;
      nameRead = picked.read;
      nameSource = other(nameEngine);
    }
  }
  const sexNationRead = await readSure(engines[routes.sexNation], gray, front.sexNation, 'sexNation', {}, (r) => {
    const parsed = splitSexNation(r.text, undefined);
    return parsed.sex !== undefined && (options.nations === undefined || snapNation(parsed.nationText, options.nations)?.exact === true);
  });
  const addressRead = await readSure(engines[routes.address], gray, front.address, 'address', ADDRESS_VARIANT);

  const cardReasons: ReviewReason[] = location.confidence < 0.45 ? ['card-uncertain'] : [];
  const { sex: sexRead, nationText } = splitSexNation(sexNationRead.text, undefined);
  const sexNationConf = charConfidence(sexNationRead);

  // The printed birth date, read independently of the number so that it can confirm it.
  let birthRead = await birthFirst;
  let birthSource: OcrEngineName = routes.birth;
  let printedBirth = parseBirthLine(birthRead.text);
  if (printedBirth === undefined) {
    const second = await read(engines[other(routes.birth)], gray, front.birth, 'birth');
    const parsed = parseBirthLine(second.text);
    if (parsed !== undefined) {
      birthRead = second;
      birthSource = other(routes.birth);
      printedBirth = parsed;
    }
  }

  const readings: NumberReading[] = [{ engine: routes.idNumber, read: await numberFirst }];
  const evidence: { birthDate: string | undefined; sex: 'male' | 'female' | undefined; today: Date | undefined } = { birthDate: printedBirth, sex: sexRead, today: options.today };
  let decision = decideNumber(readings, evidence);
  if (!decision.accepted) {
    readings.push({ engine: other(routes.idNumber), read: await read(engines[other(routes.idNumber)], gray, front.idNumber, 'idNumber') });
    decision = decideNumber(readings, evidence);
  }
  // A valid number whose date the printed line contradicts: the line may be the misread one (no check character
  // protects it), so the other engine reads it too; only a reading that agrees counts.
  const numberDate = decision.parsed?.birthDate.replaceAll('-', '');
  if (!decision.accepted && numberDate !== undefined && printedBirth !== numberDate && birthSource === routes.birth) {
    const second = await read(engines[other(routes.birth)], gray, front.birth, 'birth');
    const parsed = parseBirthLine(second.text, numberDate);
    if (parsed === numberDate) {
      birthRead = second;
      birthSource = 'both';
      printedBirth = parsed;
      evidence.birthDate = parsed;
      decision = decideNumber(readings, evidence);
    }
  }
  // Still nothing that holds: tesseract's shifted and rescaled crops, as the single-engine pipeline does.
  for (const variant of NUMBER_VARIANTS.slice(1)) {
    if (decision.accepted) break;
    readings.push({ engine: 'tesseract', read: await read(options.engine, gray, front.idNumber, 'idNumber', variant) });
    decision = decideNumber(readings, evidence);
  }
  timings['front.recognise'] = now() - t;
  t = now();

  const numberReasons: ReviewReason[] = [...cardReasons, ...decision.reasons];
  if (decision.repair === 'substitution' && !numberReasons.includes('corrected')) numberReasons.push('corrected');
  const idNumber = withEngine(
    { ...makeField(decision.value.slice(0, 40), decision.confidence, numberReasons, reviewBelow), valid: decision.parsed !== undefined, repair: decision.repair },
    decision.engine,
  );
  const parsed = decision.parsed;

  const fromNumber = parsed?.birthDate.replaceAll('-', '');
  const birthDate8 = printedBirth ?? parseBirthLine(birthRead.text, fromNumber) ?? fromNumber ?? '';
  const birthReasons: ReviewReason[] = [...cardReasons];
  let birthConfidence = charConfidence(birthRead);
  if (fromNumber !== undefined && birthDate8 !== '') {
    if (birthDate8 !== fromNumber) birthReasons.push('birth-mismatch');
    else birthConfidence = Math.max(birthConfidence, 0.95);
  }
  const birthDate = withEngine(makeField(birthDate8, birthConfidence, birthReasons, reviewBelow), printedBirth === undefined && fromNumber !== undefined ? decision.engine : birthSource);

  const sexReasons: ReviewReason[] = [...cardReasons];
  let sexValue: 'male' | 'female' | '' = sexRead ?? '';
  let sexConfidence = sexNationConf;
  if (parsed) {
    if (sexRead === undefined) {
      sexValue = parsed.sex;
      sexConfidence = 0.9;
    } else if (sexRead !== parsed.sex) sexReasons.push('sex-mismatch');
    else sexConfidence = Math.max(sexConfidence, 0.95);
  }
  const sex = withEngine(makeField(sexValue, sexConfidence, sexReasons, reviewBelow), routes.sexNation);

  const nationReasons: ReviewReason[] = [...cardReasons];
  let nationValue = nationText;
  let nationCode: string | undefined;
  let nationConfidence = sexNationConf;
  if (options.nations) {
    const snap = snapNation(nationText, options.nations);
    if (snap) {
      nationValue = snap.name;
      nationCode = snap.code;
      nationConfidence = Math.min(nationConfidence, snap.confidence);
    } else if (nationText !== '') nationReasons.push('unknown-nation');
  }
  const nation = withEngine(
    { ...makeField(nationValue.slice(0, 20), nationConfidence, nationReasons, reviewBelow), ...(nationCode === undefined ? {} : { code: nationCode }) },
    routes.sexNation,
  );

  const nameConfidence = plausibleName(nameText) ? charConfidence(nameRead) : Math.min(0.3, charConfidence(nameRead));
  const name = withEngine(makeField(nameText.slice(0, 80), nameConfidence, [...cardReasons], reviewBelow), nameSource);

  let addressText = cleanChinese(addressRead.text).replace(/^住址/u, '');
  if (options.regions) addressText = correctAddressPrefix(addressText, options.regions, parsed?.number.slice(0, 6)).text;
  const address = withEngine(makeField(addressText.slice(0, 80), charConfidence(addressRead), [...cardReasons], reviewBelow), routes.address);

  timings['front.postprocess'] = now() - t;
  const result = { card: placement(location), name, sex, nation, birthDate, address, idNumber };
  const checked = FrontResult.safeParse(result);
  if (!checked.success) throw new OcrError('output-invalid', `front: ${checked.error.issues.length} schema issues`);
  return checked.data;
}

async function recognizeBackRouted(image: RgbaImage, options: IdCardOcrOptions, paddle: OcrEngine, timings: Record<string, number>): Promise<BackResult> {
  const reviewBelow = options.reviewBelow ?? 0.6;
  const routes = options.routes ?? DEFAULT_ROUTES;
  const engines = { tesseract: options.engine, paddle } as const;
  let t = now();
  const { location, gray } = straightenCard(image);
  const back = shiftLayout(BACK_LAYOUT, verticalOffset(lineCentres(gray, BACK_LINES.column), BACK_LINES));
  timings['back.locate'] = now() - t;
  t = now();
  const validityFirst = read(engines[routes.validity], gray, back.validity, 'validity');
  validityFirst.catch(() => undefined);
  const authority = await readSure(engines[routes.issuingAuthority], gray, back.issuingAuthority, 'issuingAuthority', ADDRESS_VARIANT, (r) =>
    /公安局/u.test(r.text),
  );
  let validityRead = await validityFirst;
  let validitySource: OcrEngineName = routes.validity;
  let validity = parseValidity(validityRead.text);
  if (!validity?.consistent) {
    const otherEngine = routes.validity === 'tesseract' ? 'paddle' : 'tesseract';
    const second = await read(engines[otherEngine], gray, back.validity, 'validity');
    const parsed = parseValidity(second.text);
    if (parsed && (parsed.consistent || !validity)) {
      validity = parsed;
      validityRead = second;
      validitySource = otherEngine;
    }
  }
  timings['back.recognise'] = now() - t;

  const cardReasons: ReviewReason[] = location.confidence < 0.45 ? ['card-uncertain'] : [];
  let authorityText = cleanChinese(authority.text).replace(/^签发机关/u, '');
  if (options.regions) authorityText = correctAuthority(authorityText, options.regions).text;
  const issuingAuthority = withEngine(makeField(authorityText.slice(0, 80), charConfidence(authority), [...cardReasons], reviewBelow), routes.issuingAuthority);

  const validityReasons: ReviewReason[] = [...cardReasons];
  let validityConfidence = charConfidence(validityRead);
  if (!validity || !validity.consistent) validityReasons.push('validity-invalid');
  else validityConfidence = Math.max(validityConfidence, 0.9);
  const validFrom = withEngine(makeField(validity?.value.from ?? '', validityConfidence, validityReasons, reviewBelow), validitySource);
  const validTo = withEngine(makeField(validity?.value.to ?? '', validityConfidence, validityReasons, reviewBelow), validitySource);

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
