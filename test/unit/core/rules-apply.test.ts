import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FaceConfig, calibratedThresholds, defaultFaceConfig } from '../../../core/contract/face-config.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { effectiveFaceConfig, effectivePhotoSpec, effectivePolicy, effectiveRosterMaxAgeHours, isBuiltinRules, type StationPolicy } from '../../../core/rules/apply.js';
import { RulesBundle } from '../../../core/rules/bundle.js';
import { BUILTIN_RULES } from '../../../core/rules/builtin.js';

const nm = RulesBundle.parse(JSON.parse(readFileSync('server/sample-data/rules/nm-zsb-2027.json', 'utf8')));
const hn = RulesBundle.parse(JSON.parse(readFileSync('server/sample-data/rules/hn-zsb-2027.json', 'utf8')));

const allOff: StationPolicy = { rosterMaxAgeHours: 48, faceCheck: 'off', standardPhoto: 'off', fingerprints: 'off' };
const allOn: StationPolicy = { rosterMaxAgeHours: 24, faceCheck: 'required', standardPhoto: 'required', fingerprints: 'required' };

describe('effective face config', () => {
  it('takes the bundle thresholds when they are for the recognizer the station runs, keeping its detection', () => {
    const station = FaceConfig.parse({ detection: { detector: 'tiny' } });
    expect(station.match.recognizer).toBe(nm.face?.recognizer);
    const { config, source, ignoredReason } = effectiveFaceConfig(station, nm);
    expect(source).toBe('bundle');
    expect(ignoredReason).toBeUndefined();
    expect(config.match).toEqual({ recognizer: 'faceplugin-fr-feature', threshold: 0.48, reviewBand: { lower: 0.47, upper: 0.62 }, frames: 5 });
    expect(config.detection).toEqual(station.detection);
    expect(config.photo).toEqual(station.photo);
    // The station's own object is not changed.
    expect(station.match.threshold).toBe(calibratedThresholds['faceplugin-fr-feature'].threshold);
  });

  it('keeps the station calibration, and says why, when the bundle thresholds are for another recognizer', () => {
    const station = FaceConfig.parse({ match: { recognizer: 'faceapi-dlib' } });
    const result = effectiveFaceConfig(station, nm);
    expect(result.source).toBe('station');
    expect(result.config).toBe(station);
    expect(result.config.match).toMatchObject({ recognizer: 'faceapi-dlib', threshold: 0.45 });
    expect(result.ignoredReason).toBe(zhCN.rules.faceIgnored('faceplugin-fr-feature', 'faceapi-dlib'));
    expect(result.ignoredReason).toContain('faceapi-dlib');
  });

  it('is the station config, without a reason, when the bundle sets no thresholds or is the built-in one', () => {
    expect(hn.face).toBeUndefined();
    expect(effectiveFaceConfig(defaultFaceConfig, hn)).toEqual({ config: defaultFaceConfig, source: 'station' });
    expect(effectiveFaceConfig(defaultFaceConfig, BUILTIN_RULES)).toEqual({ config: defaultFaceConfig, source: 'station' });
    // Even a built-in bundle that had thresholds would not speak for a province.
    expect(effectiveFaceConfig(defaultFaceConfig, { ...BUILTIN_RULES, face: nm.face }).source).toBe('station');
  });
});

describe('effective photo spec', () => {
  it('takes the bundle size, file limit and background, scaling the station framing to the new size', () => {
    const station = defaultFaceConfig.photo;
    const spec = effectivePhotoSpec(station, nm);
    expect(spec).toMatchObject({ width: 480, height: 640, maxBytes: 200_000, background: 'white' });
    // 207 px of 358 → the same share of 480; the eye line at the same share of the height.
    expect(spec.headWidthPx).toBe(Math.round((207 * 480) / 358));
    expect(spec.headWidthTolerancePx).toBe(Math.round((14 * 480) / 358));
    expect(spec.eyeLineFromTopPx).toBe(Math.round((200 * 640) / 441));
    // Camera and light limits stay the station's.
    expect(spec.minSharpness).toBe(station.minSharpness);
    expect(spec.maxUpscale).toBe(station.maxUpscale);
  });

  it('changes only what the bundle sets when its size is the station size', () => {
    const spec = effectivePhotoSpec(defaultFaceConfig.photo, hn);
    expect(spec).toEqual({ ...defaultFaceConfig.photo, maxBytes: 61_440, background: 'blue' });
  });

  it('leaves a never-synced station exactly as configured, even with its own size', () => {
    expect(effectivePhotoSpec(defaultFaceConfig.photo, BUILTIN_RULES)).toBe(defaultFaceConfig.photo);
    const custom = FaceConfig.parse({ photo: { width: 390, height: 567, maxBytes: 40_000 } }).photo;
    expect(effectivePhotoSpec(custom, BUILTIN_RULES)).toEqual(custom);
  });
});

describe('effective policy', () => {
  it('requires every step the bundle does not let the point switch off, and names them', () => {
    expect(nm.switchableSteps).toEqual(['fingerprints']);
    const { policy, forced, notice } = effectivePolicy(allOff, nm);
    expect(policy).toEqual({ rosterMaxAgeHours: 24, faceCheck: 'required', standardPhoto: 'required', fingerprints: 'off' });
    expect(forced).toEqual(['faceCheck', 'standardPhoto']);
    expect(notice).toBe(zhCN.rules.forcedSteps('人脸核验、标准照采集'));
  });

  it('forces nothing when the station already requires the steps, or the bundle lets it switch them', () => {
    expect(effectivePolicy(allOn, nm)).toEqual({ policy: allOn, forced: [] });
    const photoOff = { ...allOn, standardPhoto: 'off' } as const;
    expect(hn.switchableSteps).toContain('standardPhoto');
    expect(effectivePolicy(photoOff, hn)).toEqual({ policy: { ...photoOff, rosterMaxAgeHours: 12 }, forced: [] });
  });

  it('changes nothing under the built-in rules (every step switchable, no roster limit of its own)', () => {
    expect(effectivePolicy(allOff, BUILTIN_RULES)).toEqual({ policy: allOff, forced: [] });
  });

  it('does not change the station policy object', () => {
    const station = { ...allOff };
    effectivePolicy(station, nm);
    expect(station).toEqual(allOff);
  });
});

describe('effective roster age limit', () => {
  it('is the stricter of the point and the province', () => {
    expect(effectiveRosterMaxAgeHours(48, nm)).toBe(24);
    expect(effectiveRosterMaxAgeHours(6, nm)).toBe(6);
    expect(effectiveRosterMaxAgeHours(24, hn)).toBe(12);
  });

  it('is the point limit under the built-in rules, even above their 24 h', () => {
    expect(isBuiltinRules(BUILTIN_RULES)).toBe(true);
    expect(isBuiltinRules(nm)).toBe(false);
    expect(effectiveRosterMaxAgeHours(72, BUILTIN_RULES)).toBe(72);
  });
});
