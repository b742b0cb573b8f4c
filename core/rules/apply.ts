/**
 * What the desk applies: the station's own settings (its config, as StationInfo carries them) under the active
 * province bundle. Pure, so the renderer, the host and tests agree on one answer.
 *
 * The built-in bundle (a station that never synced) changes nothing: it speaks for no province, so the station's
 * config stands exactly as it did before bundles existed (its own photo size, its own roster-age limit).
 */
import type { FaceConfig, PhotoSpecConfig } from '../contract/face-config.js';
import type { StationInfo } from '../contract/station-api.js';
import { zhCN } from '../i18n/zh-CN.js';
import { BUILTIN_VERSION_PREFIX, type RulesBundle, type SwitchableStep, switchableStepIds } from './bundle.js';

/** The steps a station config can switch, and the roster-age limit (StationInfo.policy). */
export type StationPolicy = StationInfo['policy'];

/** Whether `bundle` is the station's built-in default rather than a province's published rules. */
export function isBuiltinRules(bundle: Pick<RulesBundle, 'version'>): boolean {
  return bundle.version.startsWith(BUILTIN_VERSION_PREFIX);
}

export type EffectiveFace = {
  config: FaceConfig;
  /** bundle: the match thresholds are the province's; station: the station's own calibrated ones. */
  source: 'bundle' | 'station';
  /** Set when the bundle has thresholds the desk does not use (Chinese, for staff and supervisors). */
  ignoredReason?: string;
};

/**
 * The face config the desk runs. Thresholds are distances in one recognizer's own metric (cosine for one net,
 * Euclidean for another), so the bundle's apply only when they were set for the recognizer this station runs;
 * for another one they would mean nothing, and the station's calibrated config applies, saying why. Detection,
 * liveness and the photo spec are the station's either way (the photo spec: effectivePhotoSpec).
 *
 * Recognizers are compared by id (core/contract/face-config.ts RecognizerId): the id names the net and its
 * weights package; a new weights version would need a new id and a new calibration.
 */
export function effectiveFaceConfig(stationFace: FaceConfig, bundle: RulesBundle): EffectiveFace {
  const match = bundle.face;
  if (!match || isBuiltinRules(bundle)) return { config: stationFace, source: 'station' };
  if (match.recognizer !== stationFace.match.recognizer) {
    return { config: stationFace, source: 'station', ignoredReason: zhCN.rules.faceIgnored(match.recognizer, stationFace.match.recognizer) };
  }
  return { config: { ...stationFace, match }, source: 'bundle' };
}

/**
 * The standard photo spec the desk checks against: the bundle's size and file limit win over the station's.
 * The station's framing is in pixels of its own size (head width, eye line), so it is scaled to the bundle's
 * size: the same composition, not a 207 px head lost in a larger picture. Quality limits (brightness, sharpness,
 * upscaling …) are the station's: they describe its camera and light, not the province's paper.
 */
export function effectivePhotoSpec(stationPhoto: PhotoSpecConfig, bundle: RulesBundle): PhotoSpecConfig & { background?: 'white' | 'blue' | 'red' } {
  if (isBuiltinRules(bundle)) return stationPhoto;
  const { width, height, maxBytes, background } = bundle.photoSpec;
  const sx = width / stationPhoto.width;
  const sy = height / stationPhoto.height;
  return {
    ...stationPhoto,
    width,
    height,
    maxBytes,
    headWidthPx: Math.round(stationPhoto.headWidthPx * sx),
    headWidthTolerancePx: Math.round(stationPhoto.headWidthTolerancePx * sx),
    eyeLineFromTopPx: Math.round(stationPhoto.eyeLineFromTopPx * sy),
    ...(background ? { background } : {}),
  };
}

export type EffectivePolicy = {
  policy: StationPolicy;
  /** Steps the station config switches off that the bundle does not let it: the desk requires them anyway. */
  forced: SwitchableStep[];
  /** For staff when `forced` is not empty (Chinese). */
  notice?: string;
};

/**
 * The station policy under the bundle: a step the bundle does not list in `switchableSteps` is required whatever
 * the station config says; the roster-age limit is the stricter of the two (effectiveRosterMaxAgeHours).
 */
export function effectivePolicy(stationPolicy: StationPolicy, bundle: RulesBundle): EffectivePolicy {
  const policy: StationPolicy = { ...stationPolicy, rosterMaxAgeHours: effectiveRosterMaxAgeHours(stationPolicy.rosterMaxAgeHours, bundle) };
  const forced = switchableStepIds.filter((step) => stationPolicy[step] === 'off' && !bundle.switchableSteps.includes(step));
  for (const step of forced) policy[step] = 'required';
  if (forced.length === 0) return { policy, forced };
  return { policy, forced, notice: zhCN.rules.forcedSteps(forced.map((step) => zhCN.rules.steps[step]).join('、')) };
}

/** A point may be stricter than its province about roster age, never looser: the smaller limit applies. */
export function effectiveRosterMaxAgeHours(pointLimit: number, bundle: RulesBundle): number {
  if (isBuiltinRules(bundle)) return pointLimit;
  return Math.min(pointLimit, bundle.rosterMaxAgeHours);
}
