import { sha256Hex } from '../../core/crypto/sha256.js';
import { InternalError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { detectionFor, type FaceConfig } from '../../core/contract/face-config.js';
import type { FaceDetectionSession, FaceModelPort } from './face-api-port.js';
import { descriptorDistance, matchResult, type FaceMatchResult, type FaceTimings, type MatchContext } from './face-match.js';
import { frameQuality, GOOD_ENOUGH } from './frame-quality.js';
import { recognizerLabel } from './recognizer.js';
import { mapFace, selectSingleFace, type DetectedFace, type DetectionRejection, type ImageKind } from './face-rules.js';
import type { HeadPose } from './landmarks.js';
import { fitWithin, padImage, type RgbaImage } from './rgba.js';

export interface FaceAnalysisTimings {
  readonly detectMs: number;
  readonly descriptorMs: number;
  readonly totalMs: number;
}

export type FaceAnalysis =
  | {
      readonly ok: true;
      /** The face in source-picture pixels (after undoing any scaling or padding). */
      readonly face: DetectedFace;
      readonly pose: HeadPose;
      readonly descriptor: Float32Array;
      /** SHA-256 (hex) of the aligned crop's RGBA bytes the recognizer saw; absent for face-api's own chip. */
      readonly cropSha256?: string;
      /** Whether the face was found only on a padded copy (tight crop). */
      readonly padded: boolean;
      readonly timings: FaceAnalysisTimings;
    }
  | {
      readonly ok: false;
      readonly reason: DetectionRejection;
      /** Chinese, for the staff screen: 未检测到人脸 / 检测到多张人脸 / 请正对摄像头 … */
      readonly message: string;
      readonly faceCount: number;
      readonly faces: readonly DetectedFace[];
      readonly timings: FaceAnalysisTimings;
    };

/** What locate() finds: analyse()'s answer without the descriptor. */
export type FaceLocation = Exclude<FaceAnalysis, { ok: true }> | Omit<Extract<FaceAnalysis, { ok: true }>, 'descriptor' | 'cropSha256'>;

/** A reference to compare live frames with: a descriptor, and the hash of its aligned crop when known. */
export type FaceReference = ArrayLike<number> | { readonly descriptor: ArrayLike<number>; readonly cropSha256?: string };

export interface AnalyseOptions {
  /**
   * 'auto' (reference default): pad only when nothing is found; 'always': the caller knows the picture is a
   * tight crop (chip photo), saving a detection pass; 'never' (live default): camera frames have context.
   */
  readonly pad?: 'auto' | 'always' | 'never';
}

export const rejectionMessage: Record<DetectionRejection, string> = {
  'no-face': zhCN.face.detection.noFace,
  'multiple-faces': zhCN.face.detection.multipleFaces,
  'not-frontal': zhCN.face.detection.notFrontal,
  'too-small': zhCN.face.detection.tooSmall,
};

export type FaceVerification =
  | ({ readonly ok: true } & FaceMatchResult)
  | {
      readonly ok: false;
      /** Why no frame could be compared (the last frame's reason). */
      readonly reason: DetectionRejection;
      readonly message: string;
      readonly framesTried: number;
      readonly modelVersion: string;
      readonly timings: FaceTimings;
    };

const now = (): number => (typeof performance === 'undefined' ? Date.now() : performance.now());

/** One detection with the one-face rule applied; on success the session stays open for describe(). */
type Detected =
  | { readonly location: Exclude<FaceLocation, { ok: true }> }
  | {
      readonly location: Extract<FaceLocation, { ok: true }>;
      readonly session: FaceDetectionSession;
      readonly index: number;
      /** The face in the detected picture's own pixels, with that picture (for frame quality). */
      readonly detected: { readonly image: RgbaImage; readonly face: DetectedFace };
    };

const cropHash = (crop: RgbaImage | undefined): string | undefined => (crop ? sha256Hex(new Uint8Array(crop.data.buffer, crop.data.byteOffset, crop.data.byteLength)) : undefined);

/**
 * The face engine: detect (exactly one usable face) → align → describe → compare → decide, with the recognizer
 * and its calibrated thresholds chosen by configuration. Platform-neutral: it sees RGBA pictures and a
 * FaceModelPort (browser or Node, WASM).
 */
export class FaceEngine {
  readonly modelVersion: string;

  constructor(
    private readonly port: FaceModelPort,
    readonly config: FaceConfig,
    /** Set by the loader so that the first result can report what loading cost. */
    private modelLoadMs?: number,
  ) {
    this.modelVersion = port.modelVersion;
  }

  get backend(): string {
    return this.port.backend;
  }

  /**
   * The same loaded models with other match thresholds (a province bundle adopted between candidates): no
   * reload. Only for the recognizer these models are: thresholds of another net would mean nothing here.
   */
  withMatch(match: FaceConfig['match']): FaceEngine {
    if (match.recognizer !== this.config.match.recognizer) {
      throw new InternalError(`thresholds for ${match.recognizer} on an engine running ${this.config.match.recognizer}`);
    }
    return new FaceEngine(this.port, { ...this.config, match }, this.modelLoadMs);
  }

  /** `id@version` of the recognition net in use. */
  get recognizer(): string {
    return recognizerLabel(this.port.recognizer);
  }

  /**
   * Finds exactly one usable face and computes its descriptor. Reference pictures that show no face are tried
   * again padded (the detector misses tight crops such as the 102×126 chip photo).
   */
  async analyse(image: RgbaImage, kind: ImageKind, options: AnalyseOptions = {}): Promise<FaceAnalysis> {
    const found = await this.detectOne(image, kind, options);
    if (!('session' in found)) return found.location;
    try {
      return await this.describe(found, found.location.timings.totalMs, kind);
    } finally {
      found.session.dispose();
    }
  }

  /**
   * The same detection and one-face rules as analyse, without the descriptor: for callers that need only where
   * the face is (standard photo framing, liveness), so they do not pay for alignment and the recognition net.
   */
  async locate(image: RgbaImage, kind: ImageKind, options: AnalyseOptions = {}): Promise<FaceLocation> {
    const found = await this.detectOne(image, kind, options);
    if ('session' in found) found.session.dispose();
    return found.location;
  }

  private async describe(found: Extract<Detected, { session: FaceDetectionSession }>, spentMs: number, kind: ImageKind): Promise<Extract<FaceAnalysis, { ok: true }>> {
    const t1 = now();
    const { descriptor, crop } = await found.session.describe(found.index, { reference: kind === 'reference' });
    const descriptorMs = now() - t1;
    const cropSha256 = cropHash(crop);
    const { timings } = found.location;
    return {
      ...found.location,
      descriptor,
      ...(cropSha256 ? { cropSha256 } : {}),
      timings: { detectMs: timings.detectMs, descriptorMs, totalMs: spentMs + descriptorMs },
    };
  }

  private async detectOne(image: RgbaImage, kind: ImageKind, options: AnalyseOptions): Promise<Detected> {
    const started = now();
    const det = detectionFor(this.config.detection, kind);
    const fitted = fitWithin(image, det.maxInputSide);
    const pad = options.pad ?? (kind === 'reference' ? 'auto' : 'never');
    let offset = { x: 0, y: 0 };
    let padded = false;
    let detectedImage = fitted.image;
    let session: FaceDetectionSession;
    if (pad === 'always') {
      const p = padImage(fitted.image, det.padFactor);
      session = await this.port.detect(p.image, det);
      detectedImage = p.image;
      offset = p.offset;
      padded = true;
    } else {
      session = await this.port.detect(fitted.image, det);
    }
    let keep = false;
    try {
      if (session.faces.length === 0 && pad === 'auto' && det.padFactor > 1) {
        session.dispose();
        const p = padImage(fitted.image, det.padFactor);
        session = await this.port.detect(p.image, det);
        detectedImage = p.image;
        offset = p.offset;
        padded = true;
      }
      const detectMs = now() - started;
      // The offset is in the scaled picture's pixels, so it comes off before undoing the scale.
      const mapped = session.faces.map((f) => mapFace(f, fitted.scale, offset));
      const selection = selectSingleFace(mapped, image.width, kind, det);
      const timings = { detectMs, descriptorMs: 0, totalMs: now() - started };
      if (!selection.ok) {
        return {
          location: { ok: false, reason: selection.reason, message: rejectionMessage[selection.reason], faceCount: selection.faceCount, faces: mapped, timings },
        };
      }
      keep = true;
      return {
        location: { ok: true, face: mapped[selection.index]!, pose: selection.pose, padded, timings },
        session,
        index: selection.index,
        detected: { image: detectedImage, face: session.faces[selection.index]! },
      };
    } finally {
      if (!keep) session.dispose();
    }
  }

  private context(reference?: string, live?: string): MatchContext {
    const crops = reference || live ? { ...(reference ? { reference } : {}), ...(live ? { live } : {}) } : undefined;
    return { modelVersion: this.modelVersion, recognizer: this.recognizer, metric: this.port.recognizer.metric, ...(crops ? { crops } : {}) };
  }

  /** Distance and decision for two descriptors (e.g. a stored reference and a live one), in the recognizer's metric. */
  compare(reference: FaceReference, probe: FaceReference, timings: FaceTimings = { detectMs: 0, descriptorMs: 0, totalMs: 0 }): FaceMatchResult {
    const a = descriptorOf(reference);
    const b = descriptorOf(probe);
    return matchResult(descriptorDistance(a.descriptor, b.descriptor, this.port.recognizer.metric), this.config.match, this.context(a.cropSha256, b.cropSha256), this.withLoad(timings));
  }

  /**
   * Live frames against a reference: up to `match.frames` frames are detected one at a time (a camera supplies
   * them as they come), each usable one is scored for sharpness, pose and open eyes, and only the best is
   * described and compared. A frame already good enough ends the search. One comparison per check keeps the
   * impostor rate per check at the calibrated per-pair rate (the smallest distance over N frames would not).
   */
  async verify(reference: FaceReference, frames: Iterable<RgbaImage> | AsyncIterable<RgbaImage>): Promise<FaceVerification> {
    const started = now();
    const max = this.config.match.frames;
    const ref = descriptorOf(reference);
    let tried = 0;
    let best: { found: Extract<Detected, { session: FaceDetectionSession }>; score: number; index: number } | undefined;
    let lastReason: DetectionRejection = 'no-face';
    let detectMs = 0;
    try {
      for await (const frame of frames) {
        if (tried >= max) break;
        const index = tried++;
        const found = await this.detectOne(frame, 'live', {});
        detectMs += found.location.timings.detectMs;
        if (!('session' in found)) {
          lastReason = found.location.reason;
          continue;
        }
        const { score } = frameQuality(found.detected.image, found.detected.face, this.config.detection);
        if (!best || score > best.score) {
          best?.found.session.dispose();
          best = { found, score, index };
        } else {
          found.session.dispose();
        }
        if (score >= GOOD_ENOUGH) break;
      }
      if (!best) {
        const timings = this.withLoad({ detectMs, descriptorMs: 0, totalMs: now() - started });
        return { ok: false, reason: lastReason, message: rejectionMessage[lastReason], framesTried: tried, modelVersion: this.modelVersion, timings };
      }
      const live = await this.describe(best.found, 0, 'live');
      const distance = descriptorDistance(ref.descriptor, live.descriptor, this.port.recognizer.metric);
      const timings = this.withLoad({ detectMs, descriptorMs: live.timings.descriptorMs, totalMs: now() - started });
      return { ok: true, ...matchResult(distance, this.config.match, this.context(ref.cropSha256, live.cropSha256), timings, { tried, best: best.index }) };
    } finally {
      best?.found.session.dispose();
    }
  }

  private withLoad(timings: FaceTimings): FaceTimings {
    if (this.modelLoadMs === undefined) return timings;
    const modelLoadMs = this.modelLoadMs;
    this.modelLoadMs = undefined;
    return { ...timings, modelLoadMs };
  }
}

function descriptorOf(reference: FaceReference): { descriptor: ArrayLike<number>; cropSha256?: string } {
  return 'descriptor' in reference ? reference : { descriptor: reference };
}
