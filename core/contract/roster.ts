import { z } from 'zod';
import { isValidDocumentNumber } from '../citizen-id/document-number.js';

/** Candidate categories of 专升本 registration; labels live in the text catalogue. */
export const candidateTypes = [
  'fresh-graduate', // 应届
  'past-graduate', // 往届
  'veteran', // 退役大学生士兵
  'award-exempt', // 获奖免试
  'special-plan', // 专项计划/脱贫家庭
  'grassroots-service', // 三支一扶/西部计划
  'vocational-expansion', // 高职扩招
  'other',
] as const;
export const CandidateType = z.enum(candidateTypes);
export type CandidateType = z.infer<typeof CandidateType>;

export const Sex = z.enum(['male', 'female']);
export type Sex = z.infer<typeof Sex>;

export const ConfirmationStatus = z.enum(['pending', 'confirmed', 'rejected']);
export type ConfirmationStatus = z.infer<typeof ConfirmationStatus>;

const MAX_PHOTO_DATA_URL = 256 * 1024;
/** Photos travel as data URLs of a small set of raster/vector types; <img> never runs script from them. */
export const PhotoDataUrl = z
  .string()
  .max(MAX_PHOTO_DATA_URL)
  .regex(/^data:image\/(?:jpeg|png|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$/, 'photo must be a base64 image data URL');

const shortText = (max: number) => z.string().trim().min(1).max(max);

/**
 * The candidate's identity document number in its normalised form (core/citizen-id/document-number.ts): a
 * resident citizen number (GB 11643, 18 characters), or a foreign permanent resident ID card number, 2017
 * layout (3 upper-case letters + 12 digits) or 2023 layout (18 characters from `9`, MOD 11-2 like GB 11643).
 * The name stays: most holders are residents, and it is the key of rosters and records everywhere.
 */
export const CitizenIdString = z
  .string()
  .regex(/^(?:\d{17}[\dX]|[A-Z]{3}\d{12})$/, 'citizen id must be 18 characters, or 3 letters and 12 digits')
  .refine(isValidDocumentNumber, 'citizen id failed document number validation');

/** One online registration as downloaded for this confirmation point. */
export const RosterEntry = z.strictObject({
  registrationNo: z.string().regex(/^[0-9A-Z]{6,20}$/),
  citizenId: CitizenIdString,
  name: shortText(50),
  sex: Sex,
  candidateType: CandidateType,
  major: shortText(100),
  examCity: shortText(50),
  confirmationPoint: shortText(100),
  phone: z.string().regex(/^1\d{10}$/).optional(),
  photo: PhotoDataUrl.optional(),
  status: ConfirmationStatus,
});
export type RosterEntry = z.infer<typeof RosterEntry>;

export const RosterSeed = z.strictObject({
  pointCode: z.string().regex(/^[0-9A-Z-]{2,32}$/),
  pointName: shortText(100),
  generatedAt: z.iso.datetime({ offset: true }),
  synthetic: z.boolean(),
  entries: z.array(RosterEntry).max(100_000),
});
export type RosterSeed = z.infer<typeof RosterSeed>;
