import { z } from 'zod';
import { IdCardOcrResult } from '../ocr/schema.js';

/** An image as pixels; ImageData structured-clones to exactly this shape. */
const Pixels = z.custom<{ width: number; height: number; data: Uint8ClampedArray }>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    'data' in value &&
    value.data instanceof Uint8ClampedArray &&
    'width' in value &&
    'height' in value &&
    typeof value.width === 'number' &&
    typeof value.height === 'number' &&
    value.width > 0 &&
    value.height > 0 &&
    value.width * value.height * 4 === value.data.length &&
    value.width * value.height <= 40_000_000,
);

export const OcrRequest = z.strictObject({
  id: z.number().int().nonnegative(),
  front: Pixels.optional(),
  back: Pixels.optional(),
});
export type OcrRequest = z.infer<typeof OcrRequest>;

/**
 * Load both engines now (staff opened the OCR panel), so that the first card does not wait for them: ~15 s on
 * the first card otherwise (npm run bench:ocr:chromium). No reply; a card sent after it waits for it.
 */
export const OcrWarmUp = z.strictObject({ warmUp: z.literal(true) });
export type OcrWarmUp = z.infer<typeof OcrWarmUp>;

/** What the window may send the worker. */
export const OcrMessage = z.union([OcrRequest, OcrWarmUp]);

export const OcrReply = z.discriminatedUnion('ok', [
  z.strictObject({ id: z.number().int().nonnegative(), ok: z.literal(true), result: IdCardOcrResult }),
  z.strictObject({ id: z.number().int().nonnegative(), ok: z.literal(false), message: z.string().max(500) }),
]);
export type OcrReply = z.infer<typeof OcrReply>;
