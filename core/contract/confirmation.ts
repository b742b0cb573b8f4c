import { z } from 'zod';
import { IdCardType } from './id-card.js';
import { CandidateType, CitizenIdString } from './roster.js';
import { SupervisorApproval } from './supervisor.js';
import { Actor } from './staff.js';
import { KioskField } from './kiosk.js';
import { RulesId, RulesVersion } from '../rules/bundle.js';
import { RecordOutcome } from './record-outcome.js';

export { RecordOutcome, recordOutcomes } from './record-outcome.js';

/**
 * The roster fields staff may correct at the desk when the candidate marks them 有误. The citizen number, the
 * registration number, the type and the photo identify the registration itself: those are corrected in the
 * registration system, never here (the report is still kept with the record).
 */
export const correctableFields = ['name', 'sex', 'major', 'examCity'] as const;
export const CorrectableField = z.enum(correctableFields);
export type CorrectableField = z.infer<typeof CorrectableField>;

/** What the candidate marked 有误 at the kiosk, as they sent it. */
export const CandidateReport = z.strictObject({
  fields: z.array(KioskField).min(1).max(9),
  note: z.string().max(200),
  at: z.iso.datetime({ offset: true }),
});
export type CandidateReport = z.infer<typeof CandidateReport>;

/** A value staff corrected after a report: both values kept, the new one typed (`manual`). */
export const FieldCorrection = z.strictObject({
  field: CorrectableField,
  from: z.string().max(100),
  to: z.string().min(1).max(100),
  source: z.literal('manual'),
  at: z.iso.datetime({ offset: true }),
});
export type FieldCorrection = z.infer<typeof FieldCorrection>;

/** Lower-case hex SHA-256: how blobs (photos, fingerprints, signatures) are addressed everywhere. */
export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lower-case hex SHA-256');

/** 资格审核, per paper: 已核验 (seen and right), 缺失 (not brought), 不符 (brought, but wrong or not valid). */
export const paperStatuses = ['verified', 'missing', 'mismatch'] as const;
export const PaperStatus = z.enum(paperStatuses);
export type PaperStatus = z.infer<typeof PaperStatus>;

/** Day in China Standard Time, e.g. the 待补材料 deadline. */
const CalendarDay = z.iso.date();

/** The reasons staff pick for 不通过 (labels in the catalogue: materials.rejectionReasons). */
export const rejectionReasonIds = ['not-eligible', 'paper-mismatch', 'paper-missing', 'suspected-forgery', 'withdrawn', 'other'] as const;
export const RejectionReasonId = z.enum(rejectionReasonIds);
export type RejectionReasonId = z.infer<typeof RejectionReasonId>;

export const EligibilityDecision = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('pass') }),
  z.strictObject({ kind: z.literal('reject'), reasons: z.array(RejectionReasonId).min(1).max(rejectionReasonIds.length), text: z.string().trim().max(200).optional() }),
  /** 待补材料: which papers (ids of `items`) and the last day the candidate may bring them. */
  z.strictObject({ kind: z.literal('pending'), missing: z.array(z.string().max(40)).min(1).max(20), until: CalendarDay, note: z.string().trim().max(200).optional() }),
]);
export type EligibilityDecision = z.infer<typeof EligibilityDecision>;

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
      /** What the desk concluded: `override` means a supervisor's 人工认证 let the candidate go ahead. */
      result: z.enum(['pass', 'fail', 'override']),
      /** The 人工认证 approval (in `approvals`) behind an `override`, so the two are linked, not inferred. */
      approvalId: z.uuid().optional(),
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
          /**
           * The engine's own decision (通过 / 需人工复核 / 不通过), kept apart from `result`: an overridden 需人工复核
           * and an overridden 不通过 are different exceptions. Older records lack it (derived from the figures).
           */
          decision: z.enum(['pass', 'review', 'fail']).optional(),
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
  /**
   * 资格审核: each paper of the candidate's type as staff judged it. `result` is what records made before issue 13
   * hold (and what day logs count): `pass` for 已核验, `fail` otherwise. Issue 13 adds, optionally, the three-way
   * `status` with a note and the SHA-256 of a photo of the paper (blob role `paper-<id>`), the province type the
   * papers came from (`rulesType`), and the decision: 通过, 不通过 (reasons from the list plus text) or 待补材料.
   */
  eligibility: z
    .strictObject({
      candidateType: CandidateType,
      rulesType: RulesId.optional(),
      /** The province type's label (e.g. 退役大学生士兵（区内）) as the bundle named it. */
      rulesTypeLabel: z.string().max(40).optional(),
      items: z
        .array(
          z.strictObject({
            id: z.string().max(40),
            /** The paper as the province bundle names it (the id alone means nothing outside the bundle). */
            label: z.string().max(60).optional(),
            result: z.enum(['pass', 'fail']),
            status: PaperStatus.optional(),
            note: z.string().trim().max(200).optional(),
            photo: Sha256Hex.optional(),
          }),
        )
        .max(20),
      decision: EligibilityDecision.optional(),
    })
    .optional(),
  /**
   * The earlier record of this candidate on this station that this one follows: the 待补材料 record a return visit
   * completes, or the confirmation a re-confirmation repeats. Carried to the server (the local `supersedes` is not).
   */
  follows: z.strictObject({ recordId: z.uuid(), kind: z.enum(['materials-completed', 'reconfirmation', 'after-rejection']) }).optional(),
  /** The candidate signed the confirmation and the integrity pledge at the kiosk. */
  pledge: z.strictObject({ signedAt: z.iso.datetime({ offset: true }), pledgeVersion: z.string().max(20) }).optional(),
  /** Fields the candidate marked 有误 at the kiosk (every report of this visit, in order). */
  candidateReports: z.array(CandidateReport).max(10).optional(),
  /** What staff corrected in answer, before the candidate confirmed the data again. */
  corrections: z.array(FieldCorrection).max(10).optional(),
  /** Supervisor approvals that let this record go ahead (stale roster, identity override …). */
  approvals: z.array(SupervisorApproval).max(10).optional(),
  /** 待补材料 (`pending-materials`): saved and synced, completed by a later visit's new version. */
  outcome: RecordOutcome,
  /** Reasons shown to staff for a rejection, from the catalogue. */
  reasons: z.array(z.string().max(200)).max(20),
  /** Blobs this record refers to, by role (e.g. 'standard-photo', 'signature'). */
  blobs: z.array(z.strictObject({ role: z.string().max(64), sha256: Sha256Hex })).max(32),
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
  /**
   * The province rules bundle (省级配置) in force when the record was made; 'builtin-1' for the built-in default.
   * The central server stores a record of a version it does not know for the point, flagged (ConfirmationResult.unknownRules).
   */
  rulesVersion: RulesVersion.optional(),
  /** Made in 培训模式: kept on this station only, never synced, purged when training ends. */
  training: z.literal(true).optional(),
});
export type ConfirmationContent = z.infer<typeof ConfirmationContent>;
