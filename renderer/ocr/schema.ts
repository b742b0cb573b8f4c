/**
 * The OCR result as a schema. OCR output is a trust boundary (it comes from a recogniser fed with a photo, and
 * may cross from a Web Worker), so the pipeline validates what it returns and consumers may validate again.
 */
import { z } from 'zod';

export const ReviewReason = z.enum([
  'low-confidence',
  'not-read',
  'check-digit',
  'corrected',
  'birth-mismatch',
  'sex-mismatch',
  'unknown-nation',
  'validity-invalid',
  'card-uncertain',
]);
export type ReviewReason = z.infer<typeof ReviewReason>;

export const OcrEngineName = z.enum(['tesseract', 'paddle', 'both']);
export type OcrEngineName = z.infer<typeof OcrEngineName>;

const field = <T extends z.ZodType<string>>(value: T) =>
  z.strictObject({
    /** The value to prefill; '' when nothing usable was read. */
    value,
    /** 0–1. */
    confidence: z.number().min(0).max(1),
    /** Highlight for the operator: low confidence or a failed cross-check. */
    needsReview: z.boolean(),
    reasons: z.array(ReviewReason).max(9),
    /** Which recogniser's reading the value comes from ('both': two engines agreed). */
    engine: OcrEngineName.optional(),
  });

const empty = z.literal('');
const date8 = z.string().regex(/^\d{8}$/);

export const TextField = field(z.string().max(80));
export type TextField = z.infer<typeof TextField>;

export const SexField = field(z.union([z.enum(['male', 'female']), empty]));
export const NationField = field(z.string().max(20)).extend({
  /** GB/T 3304 code when the reading matched the table. */
  code: z.string().regex(/^\d{2}$/).optional(),
});
export const DateField = field(z.union([date8, empty]));
export const ValidToField = field(z.union([date8, z.literal('长期'), empty]));
export const NumberField = field(z.union([z.string().regex(/^[0-9]{17}[0-9X]$/), z.string().max(40)])).extend({
  /** Whether the check character holds for `value`. */
  valid: z.boolean(),
  repair: z.enum(['none', 'confusion', 'substitution']),
});

const point = z.strictObject({ x: z.number().finite(), y: z.number().finite() });
export const CardPlacement = z.strictObject({
  /** Card corners in the source image: top-left, top-right, bottom-right, bottom-left. */
  quad: z.tuple([point, point, point, point]),
  confidence: z.number().min(0).max(1),
  method: z.enum(['edges', 'frame']),
});

export const FrontResult = z.strictObject({
  card: CardPlacement,
  name: TextField,
  sex: SexField,
  nation: NationField,
  /** `YYYYMMDD`, as IdCardData.birthDate. */
  birthDate: DateField,
  address: TextField,
  idNumber: NumberField,
});
export type FrontResult = z.infer<typeof FrontResult>;

export const BackResult = z.strictObject({
  card: CardPlacement,
  issuingAuthority: TextField,
  /** `YYYYMMDD`, as IdCardData.validFrom. */
  validFrom: DateField,
  /** `YYYYMMDD` or 长期, as IdCardData.validTo. */
  validTo: ValidToField,
});
export type BackResult = z.infer<typeof BackResult>;

export const IdCardOcrResult = z.strictObject({
  front: FrontResult.optional(),
  back: BackResult.optional(),
  /** Any field needs the operator's attention. */
  needsReview: z.boolean(),
  /** Milliseconds per stage, for the status line and the benchmark. */
  timings: z.record(z.string().max(40), z.number().min(0)),
});
export type IdCardOcrResult = z.infer<typeof IdCardOcrResult>;
