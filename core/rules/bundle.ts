/**
 * 省级配置 (province rules): what a province's exam office decides for its confirmation points, as one
 * versioned bundle the central server signs and stations download with the roster (issue 13 item 4): the
 * candidate types and the papers each must show, the pledge text and how it must be read, the photo spec, face
 * thresholds, the roster-age limit and which steps a point may switch off.
 *
 * A station that never synced uses BUILTIN_RULES (core/rules/builtin.ts), the same shape. A new bundle is
 * adopted between candidates only, and each confirmation record names the version it was made under.
 * Signing and verification: core/rules/signing.ts.
 */
import { z } from 'zod';
import { CandidateType } from '../contract/roster.js';
import { FaceMatchConfig, PhotoSpecConfig } from '../contract/face-config.js';

export const RULES_FORMAT = 1;
/** The version of the built-in default: never a published one (publishing refuses the `builtin-` prefix). */
export const BUILTIN_RULES_VERSION = 'builtin-1';
export const BUILTIN_VERSION_PREFIX = 'builtin-';

/** Ids of types, materials: stable ASCII (they go into records and day counts), kebab-case. */
export const RulesId = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'id: lower-case ASCII letters, digits and -, at most 40');
/** e.g. "NM-ZSB-2027.1": what records are stamped with. */
export const RulesVersion = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'version: ASCII letters, digits, . _ -, at most 40');
export type RulesVersion = z.infer<typeof RulesVersion>;

const text = (max: number) => z.string().trim().min(1).max(max);

/** The steps a province may let a point switch off (the point's station config then decides). */
export const switchableStepIds = ['faceCheck', 'standardPhoto', 'fingerprints'] as const;
export const SwitchableStep = z.enum(switchableStepIds);
export type SwitchableStep = z.infer<typeof SwitchableStep>;

export const RulesMaterial = z.strictObject({
  id: RulesId,
  /** What staff check, as the province names it (e.g. 居民身份证原件). */
  label: text(60),
  /** A line under the label: what counts, who checks it. */
  hint: text(200).optional(),
  /** Shown when staff mark it 不通过; absent: a generic reason with the label. */
  rejectReason: text(100).optional(),
  /** false: checked when the candidate has it, never a reason to refuse. */
  required: z.boolean(),
});
export type RulesMaterial = z.infer<typeof RulesMaterial>;

export const RulesCandidateType = z.strictObject({
  id: RulesId,
  /** As the province names it (e.g. 退役大学生士兵（区内）). */
  label: text(40),
  /**
   * The roster's national categories (RosterEntry.candidateType) this type covers: how a roster entry finds its
   * type (see resolveCandidateType). Several types may share one category (区内 / 区外): staff then choose.
   */
  rosterTypes: z.array(CandidateType).min(1).max(8),
  materials: z.array(RulesMaterial).min(1).max(20),
});
export type RulesCandidateType = z.infer<typeof RulesCandidateType>;

export const RulesPledge = z.strictObject({
  /** Stamped on the signature record (today's kiosk pledgeVersion). */
  version: RulesVersion,
  title: text(60),
  paragraphs: z.array(text(500)).min(1).max(20),
  /** The candidate may sign only after the pledge was on screen this long. */
  minReadSeconds: z.number().int().min(0).max(300),
  /** The candidate must scroll to its last line before signing. */
  requireScrollToEnd: z.boolean(),
});
export type RulesPledge = z.infer<typeof RulesPledge>;

export const RulesPhotoSpec = z.strictObject({
  width: PhotoSpecConfig.unwrap().shape.width.unwrap(),
  height: PhotoSpecConfig.unwrap().shape.height.unwrap(),
  maxBytes: PhotoSpecConfig.unwrap().shape.maxBytes.unwrap(),
  background: z.enum(['white', 'blue', 'red']).optional(),
});
export type RulesPhotoSpec = z.infer<typeof RulesPhotoSpec>;

export const RulesBundle = z
  .strictObject({
    format: z.literal(RULES_FORMAT),
    version: RulesVersion,
    /** 内蒙古自治区, 湖南省 … (builtin: 通用). */
    province: text(20),
    examKind: z.enum(['专升本', '成人高考', '自学考试', '研究生', '其他']),
    issuedAt: z.iso.datetime({ offset: true }),
    candidateTypes: z.array(RulesCandidateType).min(1).max(40),
    pledge: RulesPledge,
    photoSpec: RulesPhotoSpec,
    /**
     * Face thresholds for one recognizer (core/contract/face-config.ts). Absent: the station's calibrated config.
     * They apply only when the station runs that recognizer (thresholds mean nothing for another net).
     */
    face: FaceMatchConfig.optional(),
    /** Confirmations pause on a roster older than this (a point may be stricter, never looser). */
    rosterMaxAgeHours: z.number().int().min(1).max(24 * 30),
    /** Steps a point may switch off in its station config; any other step is required whatever it says. */
    switchableSteps: z.array(SwitchableStep).max(switchableStepIds.length),
  })
  .superRefine((bundle, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const typeIds = new Set<string>();
    bundle.candidateTypes.forEach((type, t) => {
      if (typeIds.has(type.id)) issue(['candidateTypes', t, 'id'], `candidate type id "${type.id}" appears twice`);
      typeIds.add(type.id);
      const materialIds = new Set<string>();
      type.materials.forEach((material, m) => {
        if (materialIds.has(material.id)) issue(['candidateTypes', t, 'materials', m, 'id'], `material id "${material.id}" appears twice in "${type.id}"`);
        materialIds.add(material.id);
      });
      if (!type.materials.some((material) => material.required)) issue(['candidateTypes', t, 'materials'], `"${type.id}" has no required material`);
      if (new Set(type.rosterTypes).size !== type.rosterTypes.length) issue(['candidateTypes', t, 'rosterTypes'], `"${type.id}" names a roster type twice`);
    });
    const labels = new Set<string>();
    bundle.candidateTypes.forEach((type, t) => {
      if (labels.has(type.label)) issue(['candidateTypes', t, 'label'], `candidate type label "${type.label}" appears twice`);
      labels.add(type.label);
    });
    // One material id means one paper across the bundle: the same id with two labels would mix up the records.
    const materialLabels = new Map<string, string>();
    bundle.candidateTypes.forEach((type, t) =>
      type.materials.forEach((material, m) => {
        const seen = materialLabels.get(material.id);
        if (seen !== undefined && seen !== material.label) issue(['candidateTypes', t, 'materials', m, 'label'], `material "${material.id}" has two labels`);
        materialLabels.set(material.id, material.label);
      }),
    );
    if (new Set(bundle.switchableSteps).size !== bundle.switchableSteps.length) issue(['switchableSteps'], 'a step appears twice');
  });
export type RulesBundle = z.infer<typeof RulesBundle>;

/** The materials that must pass for a type (optional ones are judged but never refuse). */
export function requiredMaterials(type: RulesCandidateType): RulesMaterial[] {
  return type.materials.filter((material) => material.required);
}

export type CandidateTypeResolution =
  /** Exactly one type fits the roster entry. */
  | { kind: 'match'; type: RulesCandidateType }
  /** Several fit (区内 / 区外) or none does: staff choose among `choices` (all types when none fits). */
  | { kind: 'choose'; choices: RulesCandidateType[] };

/**
 * The bundle type of a roster entry. The roster carries a national category (RosterEntry.candidateType); a
 * roster imported against a province bundle may carry the bundle's own type id there in future, so an exact id
 * match wins first, then the types whose rosterTypes include the category.
 */
export function resolveCandidateType(bundle: RulesBundle, rosterType: string): CandidateTypeResolution {
  const exact = bundle.candidateTypes.find((type) => type.id === rosterType);
  if (exact) return { kind: 'match', type: exact };
  const covering = bundle.candidateTypes.filter((type) => (type.rosterTypes as readonly string[]).includes(rosterType));
  if (covering.length === 1) return { kind: 'match', type: covering[0]! };
  return { kind: 'choose', choices: covering.length > 1 ? covering : [...bundle.candidateTypes] };
}

/** Whether the point's config may switch `step` off under these rules. */
export function maySwitchOff(bundle: RulesBundle, step: SwitchableStep): boolean {
  return bundle.switchableSteps.includes(step);
}
