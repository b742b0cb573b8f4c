import { defaultFaceConfig, type FaceConfig, type PhotoSpecConfig } from '../../core/contract/face-config.js';
import type { StationInfo } from '../../core/contract/station-api.js';
import { effectiveFaceConfig, effectivePhotoSpec, effectivePolicy, type EffectiveFace, type EffectivePolicy, type StationPolicy } from '../../core/rules/apply.js';
import type { RulesBundle } from '../../core/rules/bundle.js';

/**
 * The settings the desk works by: the station's (from the host's StationInfo) under the active rules bundle
 * (core/rules/apply.ts). Getters, read at the moment of use, so a bundle adopted between candidates applies to
 * the next one with nothing else to update. Results are kept per (info, bundle) pair: stores compare configs by
 * identity (the face engine loader), and a new object on every call would look like a change each time.
 */
export interface DeskSettings {
  /** Face config with the bundle's thresholds when they are for this station's recognizer. */
  face(): EffectiveFace;
  faceConfig(): FaceConfig;
  /** The standard photo spec: the bundle's size and file limit, the station's framing scaled to it. */
  photoSpec(): PhotoSpecConfig;
  /** undefined until the host said what the station is. */
  policy(): StationPolicy | undefined;
  /** The policy with the steps the bundle forced on, and the notice for staff. */
  effectivePolicy(): EffectivePolicy | undefined;
}

export function deskSettings(deps: { info: () => StationInfo | undefined; bundle: () => RulesBundle }): DeskSettings {
  type Derived = { face: EffectiveFace; photo: PhotoSpecConfig; policy: EffectivePolicy | undefined };
  let cached: { info: StationInfo | undefined; bundle: RulesBundle; derived: Derived } | undefined;
  const derived = (): Derived => {
    const info = deps.info();
    const bundle = deps.bundle();
    if (cached && cached.info === info && cached.bundle === bundle) return cached.derived;
    const face = effectiveFaceConfig(info?.face ?? defaultFaceConfig, bundle);
    const photo = effectivePhotoSpec(face.config.photo, bundle);
    const result: Derived = { face: { ...face, config: { ...face.config, photo } }, photo, policy: info ? effectivePolicy(info.policy, bundle) : undefined };
    cached = { info, bundle, derived: result };
    return result;
  };
  return {
    face: () => derived().face,
    faceConfig: () => derived().face.config,
    photoSpec: () => derived().photo,
    policy: () => derived().policy?.policy,
    effectivePolicy: () => derived().policy,
  };
}
