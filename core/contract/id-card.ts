import { z } from 'zod';

/** Document types by the text block's marker character (spec §6). */
export const IdCardType = z.enum(['resident', 'hmt-residence', 'foreign-2017', 'foreign-2023', 'unknown']);
export type IdCardType = z.infer<typeof IdCardType>;

/** GB/T 2261.1 sex codes: 1 male, 2 female, 0 unknown, 9 not stated; anything else stays 'unknown'. */
export const CardSex = z.enum(['male', 'female', 'unknown', 'not-stated']);
export type CardSex = z.infer<typeof CardSex>;

const text = (max: number) => z.string().max(max);
const yyyymmdd = z.string().regex(/^\d{8}$/);
const base64 = (maxBytes: number) =>
  z
    .string()
    .max(Math.ceil(maxBytes / 3) * 4)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/);

/**
 * One card as decoded from the chip. Text values have trailing padding removed; a field that is all
 * padding on the card is absent here. Every value came from the chip (`source: 'chip'`).
 */
export const IdCardData = z.strictObject({
  source: z.literal('chip'),
  cardType: IdCardType,
  /** Chinese name (may be empty on foreigner cards, which then carry englishName). */
  name: text(60),
  englishName: text(120).optional(),
  sex: CardSex,
  sexCode: text(2),
  /** Two-digit GB/T 3304 code and its name (resident cards only); unknown codes keep the code, no name. */
  nationCode: text(4).optional(),
  nation: text(20).optional(),
  birthDate: text(16),
  address: text(80).optional(),
  /** Citizen number, permit number or card number as stored. */
  idNumber: text(40),
  issuingAuthority: text(40).optional(),
  validFrom: text(16),
  /** YYYYMMDD, or 长期 for long-term cards. */
  validTo: text(16),
  /** Residence permit (J) only. */
  travelPermitNumber: text(20).optional(),
  issueCount: text(4).optional(),
  /** Foreigner cards: GB/T 2659 alpha-3 nationality. */
  nationality: text(6).optional(),
  cardVersion: text(4).optional(),
  authorityCode: text(8).optional(),
  renewalCount: text(4).optional(),
  /** The raw 1024-byte WLT photo, base64; decoding needs a vendor library (see photo decoder). */
  photoWlt: base64(1024).optional(),
  /** A decoded photo when a decoder is installed. */
  photo: z.string().max(256 * 1024).regex(/^data:image\/(?:bmp|png|jpeg);base64,[A-Za-z0-9+/]+={0,2}$/).optional(),
  /** Chip fingerprint templates (0, 512 or 1024 bytes), base64; kept for the fingerprint step only. */
  fingerprint: base64(1024).optional(),
});
export type IdCardData = z.infer<typeof IdCardData>;

export const isDate8 = (value: string): boolean => yyyymmdd.safeParse(value).success;
