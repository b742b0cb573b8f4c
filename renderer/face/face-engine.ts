import { zhCN } from '../../core/i18n/zh-CN.js';
import type { FaceConfig } from '../../core/contract/face-config.js';
import type { FaceDetectionSession, FaceModelPort } from './face-api-port.js';
import { euclideanDistance, matchResult, type FaceMatchResult, type FaceTimings } from './face-match.js';
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
export type FaceLocation = Exclude<FaceAnalysis, { ok: true }> | (Omit<Extract<FaceAnalysis, { ok: true }>, 'descriptor'>);

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

/**
 * The face engine: detection with the exactly-one-face rule, 128-D descriptors, and the three-way decision.
 * Platform-neutral: it sees RGBA pictures and a FaceModelPort (browser WebGL/WASM or Node WASM).
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
   * Finds exactly one usable face and computes its descriptor. Reference pictures that show no face are tried
   * again padded (the detector misses tight crops such as the 102×126 chip photo).
   */
  async analyse(image: RgbaImage, kind: ImageKind, options: AnalyseOptions = {}): Promise<FaceAnalysis> {
    return this.run(image, kind, options, true);
  }

  /**
   * The same detection and one-face rules as analyse, without the descriptor: for callers that need only where
   * the face is (standard photo framing, liveness), so they do not pay for the recognition net.
   */
  async locate(image: RgbaImage, kind: ImageKind, options: AnalyseOptions = {}): Promise<FaceLocation> {
    return this.run(image, kind, options, false);
  }

  private async run(image: RgbaImage, kind: ImageKind, options: AnalyseOptions, describe: false): Promise<FaceLocation>;
  private async run(image: RgbaImage, kind: ImageKind, options: AnalyseOptions, describe: true): Promise<FaceAnalysis>;
  private async run(image: RgbaImage, kind: ImageKind, options: AnalyseOptions, describe: boolean): Promise<FaceAnalysis | FaceLocation> {
    const started = now();
    const det = this.config.detection;
    const fitted = fitWithin(image, det.maxInputSide);
    const pad = options.pad ?? (kind === 'reference' ? 'auto' : 'never');
    let offset = { x: 0, y: 0 };
    let padded = false;
    let session: FaceDetectionSession;
    if (pad === 'always') {
      const p = padImage(fitted.image, det.padFactor);
      session = await this.port.detect(p.image, det);
      offset = p.offset;
      padded = true;
    } else {
      session = await this.port.detect(fitted.image, det);
    }
    try {
      if (session.faces.length === 0 && pad === 'auto' && det.padFactor > 1) {
        session.dispose();
        const p = padImage(fitted.image, det.padFactor);
        session = await this.port.detect(p.image, det);
        offset = p.offset;
        padded = true;
      }
      const detectMs = now() - started;
      // The offset is in the scaled picture's pixels, so it comes off before undoing the scale.
      const mapped = session.faces.map((f) => mapFace(f, fitted.scale, offset));
      const selection = selectSingleFace(mapped, image.width, kind, det);
      if (!selection.ok) {
        return {
          ok: false,
          reason: selection.reason,
          message: rejectionMessage[selection.reason],
          faceCount: selection.faceCount,
          faces: mapped,
          timings: { detectMs, descriptorMs: 0, totalMs: now() - started },
        };
      }
      const face = mapped[selection.index]!;
      if (!describe) return { ok: true, face, pose: selection.pose, padded, timings: { detectMs, descriptorMs: 0, totalMs: now() - started } };
      const t1 = now();
      const descriptor = await session.describe(selection.index);
      const descriptorMs = now() - t1;
      return {
        ok: true,
        face,
        pose: selection.pose,
        descriptor,
        padded,
        timings: { detectMs, descriptorMs, totalMs: now() - started },
      };
    } finally {
      session.dispose();
    }
  }

  /** Distance and decision for two descriptors (e.g. a stored reference and a live one). */
  compare(reference: ArrayLike<number>, probe: ArrayLike<number>, timings: FaceTimings = { detectMs: 0, descriptorMs: 0, totalMs: 0 }): FaceMatchResult {
    return matchResult(euclideanDistance(reference, probe), this.config.match, this.modelVersion, this.withLoad(timings));
  }

  /**
   * Best of N live frames against a reference descriptor: frames are analysed one at a time (so a camera can
   * supply them as they come), the smallest distance counts, and a 'pass' stops early.
   */
  async verify(reference: ArrayLike<number>, frames: Iterable<RgbaImage> | AsyncIterable<RgbaImage>): Promise<FaceVerification> {
    const started = now();
    const max = this.config.match.frames;
    let tried = 0;
    let best: { distance: number; index: number } | undefined;
    let lastReason: DetectionRejection = 'no-face';
    let detectMs = 0;
    let descriptorMs = 0;
    for await (const frame of frames) {
      if (tried >= max) break;
      const index = tried++;
      const analysis = await this.analyse(frame, 'live');
      detectMs += analysis.timings.detectMs;
      descriptorMs += analysis.timings.descriptorMs;
      if (!analysis.ok) {
        lastReason = analysis.reason;
        continue;
      }
      const distance = euclideanDistance(reference, analysis.descriptor);
      if (!best || distance < best.distance) best = { distance, index };
      if (distance < this.config.match.reviewBand.lower) break;
    }
    const timings = this.withLoad({ detectMs, descriptorMs, totalMs: now() - started });
    if (!best) {
      return { ok: false, reason: lastReason, message: rejectionMessage[lastReason], framesTried: tried, modelVersion: this.modelVersion, timings };
    }
    return { ok: true, ...matchResult(best.distance, this.config.match, this.modelVersion, timings, { tried, best: best.index }) };
  }

  private withLoad(timings: FaceTimings): FaceTimings {
    if (this.modelLoadMs === undefined) return timings;
    const modelLoadMs = this.modelLoadMs;
    this.modelLoadMs = undefined;
    return { ...timings, modelLoadMs };
  }
}
