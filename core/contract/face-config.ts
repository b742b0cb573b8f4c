import { z } from 'zod';

/**
 * Face engine configuration. Defaults come from the calibration by scripts/calibrate-face.ts on the
 * shared fixtures (LFW East Asian identities and others); see the figures quoted beside each value. They are a
 * starting point: ID-card photo vs live camera is a harder pairing than the news photos they were measured on.
 */
/**
 * The recognition net behind the engine (renderer/face/recognizer.ts). Chosen by measurement: see
 * docs/calibration/face.md (`npm run calibrate:face`) for each one's figures on the fixtures.
 */
export const RecognizerId = z.enum(['faceplugin-fr-feature', 'faceapi-dlib']);
export type RecognizerId = z.infer<typeof RecognizerId>;
export const DEFAULT_RECOGNIZER: RecognizerId = 'faceplugin-fr-feature';

/**
 * Calibrated pass / review / fail edges per recognizer, used when the config names a recognizer but no
 * thresholds (thresholds are only meaningful for the net they were measured on). Distances: for
 * faceplugin-fr-feature 1 − cosine similarity, for faceapi-dlib Euclidean.
 */
export const calibratedThresholds: Readonly<Record<RecognizerId, { threshold: number; reviewBand: { lower: number; upper: number } }>> = {
  /**
   * East Asian fixture pairs (SSD references, tiny@320 live frames, alignment on fr_landmark's points;
   * docs/calibration/face.md): 通过 below 0.51 is the 0.1 % impostor operating point (97.1 % of genuine pairs pass,
   * 6 of 6,195 impostor pairs; 0.01 % would be 0.47 and 94.7 %); 不通过 above 0.62 turned away no East Asian
   * genuine pair (0.6 % over all identities), while the ~2 % of impostor pairs between the edges go to a person
   * (需人工复核). With 102×126 chip references (described as the mean of ten crops) 0.51 passes 91.3 % of genuine
   * pairs at 0.06 % impostors; their own 0.1 % point is 0.53 (94.0 %).
   */
  'faceplugin-fr-feature': { threshold: 0.52, reviewBand: { lower: 0.51, upper: 0.62 } },
  /**
   * East Asian fixture pairs (SSD detector): distance < 0.40 accepted 74.6 % genuine and 0.27 % impostor
   * (18 of 6,608, 14 of them between the same two look-alike men); > 0.50 rejected 2.6 % genuine; at 0.45
   * 90.6 % genuine / 1.4 % impostor. dlib's own 0.6 accepted 50.5 % of impostor pairs.
   */
  'faceapi-dlib': { threshold: 0.45, reviewBand: { lower: 0.4, upper: 0.5 } },
};

type RawMatch = { recognizer?: unknown; threshold?: unknown; reviewBand?: { lower?: unknown; upper?: unknown } };

/** Missing thresholds come from the named (or default) recognizer's calibration. */
function withCalibratedDefaults(raw: unknown): unknown {
  if (raw === undefined || raw === null) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const m = raw as RawMatch;
  const id = RecognizerId.safeParse(m.recognizer ?? DEFAULT_RECOGNIZER);
  if (!id.success) return raw;
  const cal = calibratedThresholds[id.data];
  const band = m.reviewBand && typeof m.reviewBand === 'object' ? m.reviewBand : {};
  return {
    ...m,
    recognizer: id.data,
    threshold: m.threshold ?? cal.threshold,
    reviewBand: { ...band, lower: band.lower ?? cal.reviewBand.lower, upper: band.upper ?? cal.reviewBand.upper },
  };
}

export const FaceMatchConfig = z.preprocess(
  withCalibratedDefaults,
  z
    .strictObject({
      recognizer: RecognizerId,
      /**
       * The nominal cut reported with each result (distance below it counts as a match); the decision itself uses
       * the review band around it. Defaults: calibratedThresholds for the recognizer.
       */
      threshold: z.number().min(0.2).max(1),
      /** Below `lower` the result is 'pass', above `upper` 'fail', in between 需人工复核. */
      reviewBand: z.strictObject({
        lower: z.number().min(0).max(1.5),
        upper: z.number().min(0).max(1.5),
      }),
      /**
       * Live frames looked at per check. The sharpest, most frontal one with open eyes is compared (one
       * comparison per check, so the impostor rate per check is the calibrated per-pair rate); a frame that is
       * already good enough ends the search early.
       */
      frames: z.number().int().min(1).max(30).default(5),
    })
    .refine((m) => m.reviewBand.lower <= m.threshold && m.threshold <= m.reviewBand.upper, {
      message: 'reviewBand must contain threshold (lower ≤ threshold ≤ upper)',
    }),
);
export type FaceMatchConfig = z.infer<typeof FaceMatchConfig>;

export const FaceDetectionConfig = z
  .strictObject({
    /**
     * 'ssd' (SSD MobileNet v1) or 'tiny' (Tiny Face Detector). On the fixtures both give the same match
     * figures within ~2 points, tiny is ~3× faster on WASM (0.12 vs 0.35 s per picture) but found no face in
     * two frontal LFW photos and needed padding twice as often; SSD is the default, tiny for slow machines.
     */
    detector: z.enum(['ssd', 'tiny']).default('ssd'),
    /**
     * Live camera frames may use another detector than reference photos: the reference is analysed once per
     * candidate, a live frame several times per check, so the check's speed is the live detector's. Absent: the
     * same as `detector`. See docs/calibration/face.md for what each combination costs in accuracy.
     */
    liveDetector: z.enum(['ssd', 'tiny']).optional().default('tiny'),
    /**
     * Tiny detector input size for live frames (absent: tinyInputSize). Default tiny at 320 for live frames, SSD
     * for references: on the fixtures the East Asian genuine accept at 0.1 % impostors was 95.71 % against 96.05 %
     * with SSD on both sides, at ~90 ms per frame in Chromium (WASM) against ~370 ms (npm run bench:face).
     */
    liveTinyInputSize: z.number().int().min(128).max(640).multipleOf(32).optional().default(320),
    minConfidence: z.number().min(0.1).max(0.99).default(0.5),
    /** Tiny detector input size (multiple of 32): larger finds smaller faces, slower. */
    tinyInputSize: z.number().int().min(128).max(640).multipleOf(32).default(416),
    /** Pictures are scaled down to this longest side first: the detector works at ≤ 512 px anyway. */
    maxInputSide: z.number().int().min(256).max(4096).default(1024),
    /** Smallest usable face in a live frame (box width, px at source resolution). */
    minFacePx: z.number().int().min(20).max(1000).default(60),
    /**
     * The same for reference photos, which cannot be retaken: a 102×126 chip photo framed per the ID-photo spec
     * (head ~58 % of the width) shows a face box of only ~50–65 px. Below this the reference is refused.
     */
    minReferenceFacePx: z.number().int().min(20).max(1000).default(32),
    /** Live frames only: the face must span at least this fraction of the frame width (candidate close enough). */
    minLiveFaceFraction: z.number().min(0).max(1).default(0.15),
    /**
     * A second face counts only when at least this fraction of the largest face's width; smaller ones are
     * people far behind the candidate. 0 makes every detected face count.
     */
    secondFaceRatio: z.number().min(0).max(1).default(0.6),
    /**
     * Frontal check: |nose offset from the eye midpoint| / eye distance. 0 is straight on; ~0.5 is a half
     * profile. Measured: frontal fixtures stay under ~0.2.
     */
    maxYawRatio: z.number().min(0.05).max(1).default(0.35),
    /** Frontal check: eye line tilt in degrees. */
    maxRollDeg: z.number().min(1).max(45).default(20),
    /**
     * Reference photos (ID chip, roster) are tight crops: pad by this factor when nothing is found at first.
     * 2 = a canvas twice the size.
     */
    padFactor: z.number().min(1).max(4).default(2),
  })
  .prefault({});
export type FaceDetectionConfig = z.infer<typeof FaceDetectionConfig>;

/** The detection settings for one kind of picture: live frames take liveDetector / liveTinyInputSize when set. */
export function detectionFor(detection: FaceDetectionConfig, kind: 'reference' | 'live'): FaceDetectionConfig {
  if (kind === 'reference') return detection;
  return { ...detection, detector: detection.liveDetector ?? detection.detector, tinyInputSize: detection.liveTinyInputSize ?? detection.tinyInputSize };
}

/** Every detector a config uses (the models to load). */
export function detectorsOf(detection: FaceDetectionConfig): FaceDetectionConfig['detector'][] {
  return [...new Set([detection.detector, detection.liveDetector ?? detection.detector])];
}

export const LivenessConfig = z
  .strictObject({
    /** Off by default: a blink or a head turn stops only printed photos, and it slows every candidate. */
    enabled: z.boolean().default(false),
    mode: z.enum(['blink', 'turn']).default('blink'),
    timeoutMs: z.number().int().min(1000).max(30_000).default(6000),
    /** Eye aspect ratio below which an eye counts as closed, and above which as open again. */
    earClosed: z.number().min(0.05).max(0.4).default(0.2),
    earOpen: z.number().min(0.1).max(0.5).default(0.26),
    /** Head turn: yaw ratio (as in detection.maxYawRatio) to reach on one side before returning to the centre. */
    turnYawRatio: z.number().min(0.1).max(1).default(0.3),
    centreYawRatio: z.number().min(0.02).max(0.5).default(0.12),
  })
  .refine((l) => l.earClosed < l.earOpen, { message: 'earClosed must be below earOpen' })
  .prefault({});
export type LivenessConfig = z.infer<typeof LivenessConfig>;

/**
 * The exam photo spec. Defaults follow the common 358×441 px (35×45 mm at 260 dpi) registration photo with
 * head width 207 ± 14 px as in GA 461 ID-photo practice; check against the exam authority's notice per exam.
 */
export const PhotoSpecConfig = z
  .strictObject({
    width: z.number().int().min(100).max(2000).default(358),
    height: z.number().int().min(100).max(2000).default(441),
    maxBytes: z.number().int().min(5_000).max(2_000_000).default(60 * 1024),
    /** JPEG qualities tried from the first down until the file fits maxBytes. */
    startQuality: z.number().min(0.3).max(1).default(0.92),
    minQuality: z.number().min(0.2).max(1).default(0.5),
    qualityStep: z.number().min(0.01).max(0.3).default(0.06),
    /** Head width (cheek to cheek, jaw landmarks 0–16 × headWidthPerJaw) in the finished photo, px. */
    headWidthPx: z.number().int().min(20).max(2000).default(207),
    headWidthTolerancePx: z.number().int().min(0).max(500).default(14),
    /** Jaw landmark span → head width (hair and ears add to the jaw span). */
    headWidthPerJaw: z.number().min(1).max(1.6).default(1.15),
    /** Eye line position in the finished photo, px from the top. */
    eyeLineFromTopPx: z.number().int().min(10).max(2000).default(200),
    /** Upscaling beyond this factor means the face was too small in the camera frame (the photo would be soft). */
    maxUpscale: z.number().min(1).max(4).default(1.6),
    /** Part of the crop that may lie outside the camera frame (filled with white) before it counts as off-centre. */
    maxOutsideFraction: z.number().min(0).max(0.5).default(0.02),
    /** Face luminance mean (0–255) and standard deviation bounds. */
    minBrightness: z.number().min(0).max(255).default(70),
    maxBrightness: z.number().min(0).max(255).default(210),
    minContrast: z.number().min(0).max(128).default(22),
    /** Variance of the Laplacian over the face, at a fixed 160 px face width. */
    minSharpness: z.number().min(0).max(10_000).default(40),
    /** Background strips (top corners beside the head): largest allowed luminance standard deviation. */
    maxBackgroundStdDev: z.number().min(0).max(128).default(18),
    maxRollDeg: z.number().min(1).max(45).default(8),
  })
  .prefault({});
export type PhotoSpecConfig = z.infer<typeof PhotoSpecConfig>;

export const FaceConfig = z
  .strictObject({
    match: FaceMatchConfig.prefault({}),
    detection: FaceDetectionConfig,
    liveness: LivenessConfig,
    photo: PhotoSpecConfig,
  })
  .prefault({});
export type FaceConfig = z.infer<typeof FaceConfig>;

export const defaultFaceConfig: FaceConfig = FaceConfig.parse(undefined);
