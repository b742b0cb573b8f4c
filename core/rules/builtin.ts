import { candidateTypes } from '../contract/roster.js';
import { defaultFaceConfig } from '../contract/face-config.js';
import { materialsByType } from '../eligibility/materials.js';
import { zhCN } from '../i18n/zh-CN.js';
import { BUILTIN_RULES_VERSION, RULES_FORMAT, RulesBundle, switchableStepIds } from './bundle.js';

/**
 * The rules of a station that never synced: today's hard-coded types and papers (core/eligibility/materials.ts,
 * labels from the catalogue), the kiosk's pledge, the default photo spec and roster-age limit, every step
 * switchable (the station config decides, as before). No face thresholds: the station's calibrated config
 * applies. The pledge asks for no reading time, as before bundles existed; provinces set theirs.
 */
export const BUILTIN_RULES: RulesBundle = RulesBundle.parse({
  format: RULES_FORMAT,
  version: BUILTIN_RULES_VERSION,
  province: '通用',
  examKind: '专升本',
  issuedAt: '2026-01-01T00:00:00+08:00',
  candidateTypes: candidateTypes.map((id) => ({
    id,
    label: zhCN.candidate.types[id],
    rosterTypes: [id],
    materials: materialsByType[id].map((material) => ({
      id: material,
      label: zhCN.materials.items[material],
      rejectReason: zhCN.materials.rejectReasons[material],
      required: true,
    })),
  })),
  pledge: {
    version: zhCN.kiosk.pledgeVersion,
    title: zhCN.kiosk.pledgeTitle,
    paragraphs: [...zhCN.kiosk.pledge],
    minReadSeconds: 0,
    requireScrollToEnd: false,
  },
  photoSpec: { width: defaultFaceConfig.photo.width, height: defaultFaceConfig.photo.height, maxBytes: defaultFaceConfig.photo.maxBytes },
  rosterMaxAgeHours: 24,
  switchableSteps: [...switchableStepIds],
});
