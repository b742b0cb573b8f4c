import { z } from 'zod';
import { IdCardType } from './id-card.js';
import { CandidateType, CitizenIdString } from './roster.js';
import { SupervisorApproval } from './supervisor.js';
import { Actor } from './staff.js';

/** Lower-case hex SHA-256: how blobs (photos, fingerprints, signatures) are addressed everywhere. */
export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lower-case hex SHA-256');

/**
 * The rules version a station applies when no province rules bundle is installed: the eligibility catalogue and
 * checks built into the app. Records carry the version they were judged under (`rulesVersion`, below).
 */
export const BUILTIN_RULES_VERSION = 'builtin-1';
/** A rules version as records carry it: the built-in one or a province bundle's (e.g. `NM-2027-1`). */
export const RulesVersion = z.string().regex(/^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$/, 'rules version: 1–40 of A–Z, a–z, 0–9, . _ -');

/**
 * What a station concluded about one candidate. Later steps (face check, photo, fingerprints, materials,
 * pledge) add their sections; a record's content never changes once saved, a correction is a new version.
 */
export const ConfirmationContent = z.strictObject({
  candidate: z.strictObject({
    citizenId: CitizenIdString,
    registrationNo: z.string().regex(/^[0-9A-Z]{6,20}$/),
    name: z.string().min(1).max(50),
  }),
  identification: z.strictObject({
    source: z.enum(['manual', 'chip', 'ocr']),
    cardType: IdCardType.optional(),
    /** Per card field: read from the chip, by OCR, or typed/corrected by staff. */
    fieldSources: z.record(z.string().max(30), z.enum(['chip', 'ocr', 'manual'])).optional(),
  }),
  /** 身份核验: how staff established that the person is the card holder. */
  identityCheck: z
    .strictObject({
      method: z.enum(['visual', 'face']),
      result: z.enum(['pass', 'fail', 'override']),
      /**
       * Face comparison figures (issue 5): distance, threshold, model. Issue 14 adds, optionally (older records
       * stay valid), what a later recalibration needs to audit the decision: the recognizer (`id@version`), the
       * distance's metric, the review band in force, and the SHA-256 of the aligned crops the recognizer saw.
       */
      face: z
        .strictObject({
          distance: z.number().min(0).max(10),
          threshold: z.number().min(0).max(10),
          modelVersion: z.string().max(120),
          recognizer: z.string().max(60).optional(),
          metric: z.enum(['cosine', 'euclidean']).optional(),
          reviewBand: z.strictObject({ lower: z.number().min(0).max(10), upper: z.number().min(0).max(10) }).optional(),
          crops: z.strictObject({ reference: Sha256Hex.optional(), live: Sha256Hex.optional() }).optional(),
        })
        .optional(),
    })
    .optional(),
  /** 信息采集: the standard exam photo and its quality figures (the JPEG is the 'standard-photo' blob). */
  standardPhoto: z
    .strictObject({
      widthPx: z.number().int().positive().max(4000),
      heightPx: z.number().int().positive().max(4000),
      bytes: z.number().int().positive().max(2 * 1024 * 1024),
      quality: z.record(z.string().max(40), z.number()).optional(),
    })
    .optional(),
  /**
   * 信息采集: one entry per finger asked for. Images and templates are blobs ('fingerprint-image-<finger>',
   * 'fingerprint-template-<finger>'); an unavailable finger carries the supervisor approval that excused it.
   */
  fingerprints: z
    .array(
      z.strictObject({
        /** GB/T finger code: 1–5 right thumb…little, 6–10 left thumb…little. */
        finger: z.number().int().min(1).max(10),
        status: z.enum(['captured', 'unavailable']),
        quality: z.number().min(0).max(100).optional(),
        attempts: z.number().int().min(0).max(20),
        reason: z.string().max(200).optional(),
        approvalId: z.uuid().optional(),
      }),
    )
    .max(10)
    .optional(),
  /** The ID card chip returned fingerprint data (kept as the 'chip-fingerprint' blob; matching needs the vendor algorithm). */
  chipFingerprint: z.boolean().optional(),
  /** 资格审核: each required paper for the candidate's type, as staff judged it. */
  eligibility: z
    .strictObject({
      candidateType: CandidateType,
      items: z.array(z.strictObject({ id: z.string().max(40), result: z.enum(['pass', 'fail']) })).max(20),
    })
    .optional(),
  /** The candidate signed the confirmation and the integrity pledge at the kiosk. */
  pledge: z.strictObject({ signedAt: z.iso.datetime({ offset: true }), pledgeVersion: z.string().max(20) }).optional(),
  /** Supervisor approvals that let this record go ahead (stale roster, identity override …). */
  approvals: z.array(SupervisorApproval).max(10).optional(),
  /**
   * The eligibility rules the record was judged under (issue 13): BUILTIN_RULES_VERSION or a province bundle's
   * version. Optional and additive: records saved before rules bundles have none. The central server accepts a
   * version it does not know and flags the record (ConfirmationResult.unknownRules) for supervisors.
   */
  rulesVersion: RulesVersion.optional(),
  outcome: z.enum(['confirmed', 'rejected']),
  /** Reasons shown to staff for a rejection, from the catalogue. */
  reasons: z.array(z.string().max(200)).max(20),
  /** Blobs this record refers to, by role (e.g. 'standard-photo', 'signature'). */
  blobs: z.array(z.strictObject({ role: z.string().max(40), sha256: Sha256Hex })).max(32),
  decidedAt: z.iso.datetime({ offset: true }),
  /** The signed-in account that made this record (issue 12); records saved before sign-in existed have none. */
  actor: Actor.optional(),
  /**
   * A supervisor's 复核 decision on the record this one supersedes: the same content plus this section, saved as
   * a new version (records stay frozen). `approved` clears the item from the review queue; `annotated` keeps a note.
   */
  review: z
    .strictObject({
      decision: z.enum(['approved', 'annotated']),
      note: z.string().trim().max(500),
      by: Actor,
      at: z.iso.datetime({ offset: true }),
    })
    .optional(),
  /** Made in 培训模式: kept on this station only, never synced, purged when training ends. */
  training: z.literal(true).optional(),
});
export type ConfirmationContent = z.infer<typeof ConfirmationContent>;
