import { zhCN } from '../../core/i18n/zh-CN.js';
import type { PhotoSpecConfig } from '../../core/contract/face-config.js';
import type { DetectedFace } from '../face/face-rules.js';
import { eyeCentres, headPose } from '../face/landmarks.js';
import { resampleRegion, toLuma, type Box, type Point, type RgbaImage } from '../face/rgba.js';
import { clipBox, laplacianVariance, lumaStats } from './image-measures.js';

/** Every check a standard photo can fail; each has one retake instruction in zhCN.face.photo.checks. */
export const photoChecks = [
  'no-face',
  'multiple-faces',
  'face-too-small',
  'face-too-large',
  'off-centre',
  'tilted',
  'too-dark',
  'too-bright',
  'low-contrast',
  'blurred',
  'background',
] as const;
export type PhotoCheck = (typeof photoChecks)[number];

const guidance: Record<PhotoCheck, string> = {
  'no-face': zhCN.face.photo.checks.noFace,
  'multiple-faces': zhCN.face.photo.checks.multipleFaces,
  'face-too-small': zhCN.face.photo.checks.faceTooSmall,
  'face-too-large': zhCN.face.photo.checks.faceTooLarge,
  'off-centre': zhCN.face.photo.checks.offCentre,
  tilted: zhCN.face.photo.checks.tilted,
  'too-dark': zhCN.face.photo.checks.tooDark,
  'too-bright': zhCN.face.photo.checks.tooBright,
  'low-contrast': zhCN.face.photo.checks.lowContrast,
  blurred: zhCN.face.photo.checks.blurred,
  background: zhCN.face.photo.checks.background,
};

export function retakeGuidance(check: PhotoCheck): string {
  return guidance[check];
}

/** Where the standard photo comes from in the camera frame, and at what scale (output px per source px). */
export interface CropPlan {
  readonly region: Box;
  readonly scale: number;
  /** Share of the region outside the camera frame (would be filled white). */
  readonly outsideFraction: number;
  readonly rollDeg: number;
  /** Head width in the finished photo, px (spec.headWidthPx by construction). */
  readonly headWidthPx: number;
}

/**
 * Frames the head as the spec asks: head width (jaw span × headWidthPerJaw) scaled to headWidthPx, the eye
 * line at eyeLineFromTopPx, horizontally centred between the eyes.
 */
export function planStandardCrop(face: DetectedFace, frame: { width: number; height: number }, spec: PhotoSpecConfig): CropPlan {
  const pose = headPose(face.landmarks);
  const { left, right } = eyeCentres(face.landmarks);
  const eyes: Point = { x: (left.x + right.x) / 2, y: (left.y + right.y) / 2 };
  const headWidthSrc = Math.max(1, pose.jawWidth * spec.headWidthPerJaw);
  const scale = spec.headWidthPx / headWidthSrc;
  const width = spec.width / scale;
  const height = spec.height / scale;
  const region = { x: eyes.x - width / 2, y: eyes.y - spec.eyeLineFromTopPx / scale, width, height };
  const inside = clipBox(region, frame.width, frame.height);
  const outsideFraction = 1 - (inside.width * inside.height) / (width * height);
  return { region, scale, outsideFraction: Math.max(0, outsideFraction), rollDeg: pose.rollDeg, headWidthPx: spec.headWidthPx };
}

export function renderStandardPhoto(frame: RgbaImage, plan: CropPlan, spec: PhotoSpecConfig): RgbaImage {
  return resampleRegion(frame, plan.region, spec.width, spec.height, [255, 255, 255]);
}

export interface PhotoMeasures {
  readonly faceCount: number;
  readonly scale?: number;
  readonly outsideFraction?: number;
  readonly rollDeg?: number;
  readonly brightness?: number;
  readonly contrast?: number;
  readonly sharpness?: number;
  readonly backgroundStdDev?: number;
}

export interface PhotoFailure {
  readonly check: PhotoCheck;
  /** Chinese retake instruction. */
  readonly message: string;
}

export interface PhotoQualityResult {
  readonly ok: boolean;
  readonly failures: readonly PhotoFailure[];
  readonly measures: PhotoMeasures;
  /** The standard photo (spec size) when a single face could be framed, even if other checks failed. */
  readonly photo?: RgbaImage;
  readonly plan?: CropPlan;
}

export interface PhotoQualityOptions {
  /** Faces smaller than this share of the largest face's width are ignored (as in face detection config). */
  readonly secondFaceRatio?: number;
}

/** The face's own area in the standard photo: jaw span wide, eyebrows to chin high (skin, eyes, mouth). */
function faceRegionInPhoto(face: DetectedFace, plan: CropPlan): Box {
  const lm = face.landmarks;
  const xs = [0, 16].map((i) => lm[i]?.x ?? 0);
  const top = Math.min(lm[19]?.y ?? 0, lm[24]?.y ?? 0);
  const chin = lm[8]?.y ?? 0;
  const toPhoto = (x: number, y: number): Point => ({ x: (x - plan.region.x) * plan.scale, y: (y - plan.region.y) * plan.scale });
  const a = toPhoto(Math.min(...xs), top);
  const b = toPhoto(Math.max(...xs), chin);
  // Inset a little: the jaw line is the face's edge, and the background must not count as face.
  const insetX = (b.x - a.x) * 0.12;
  return { x: a.x + insetX, y: a.y, width: b.x - a.x - 2 * insetX, height: b.y - a.y };
}

/**
 * Background patches: the two top corners beside the head, where a plain backdrop should show. Measured per
 * patch and the worst counts (one cluttered side is enough to fail).
 */
function backgroundPatches(spec: PhotoSpecConfig): Box[] {
  const headLeft = (spec.width - spec.headWidthPx) / 2;
  const w = Math.max(8, headLeft * 0.7);
  const h = spec.eyeLineFromTopPx * 0.6;
  const m = Math.round(spec.width * 0.02);
  return [
    { x: m, y: m, width: w, height: h },
    { x: spec.width - m - w, y: m, width: w, height: h },
  ];
}

/**
 * All standard-photo checks on one camera frame, given every face the detector found in it (source pixels).
 * Pure: the caller runs detection (FaceEngine.analyse or the port) and supplies the faces.
 */
export function checkStandardPhoto(
  frame: RgbaImage,
  faces: readonly DetectedFace[],
  spec: PhotoSpecConfig,
  options: PhotoQualityOptions = {},
): PhotoQualityResult {
  const fail = (checks: PhotoCheck[], measures: PhotoMeasures, extra: Pick<PhotoQualityResult, 'photo' | 'plan'> = {}): PhotoQualityResult => ({
    ok: checks.length === 0,
    failures: checks.map((check) => ({ check, message: guidance[check] })),
    measures,
    ...extra,
  });
  if (faces.length === 0) return fail(['no-face'], { faceCount: 0 });
  const main = faces.reduce((a, b) => (b.box.width > a.box.width ? b : a));
  const ratio = options.secondFaceRatio ?? 0.6;
  const counted = faces.filter((f) => f === main || f.box.width >= main.box.width * ratio).length;
  if (counted > 1) return fail(['multiple-faces'], { faceCount: counted });

  const plan = planStandardCrop(main, frame, spec);
  const failed: PhotoCheck[] = [];
  const tooLarge = plan.region.width > frame.width || plan.region.height > frame.height;
  if (plan.scale > spec.maxUpscale) failed.push('face-too-small');
  if (tooLarge) failed.push('face-too-large');
  else if (plan.outsideFraction > spec.maxOutsideFraction) failed.push('off-centre');
  if (Math.abs(plan.rollDeg) > spec.maxRollDeg) failed.push('tilted');

  const photo = renderStandardPhoto(frame, plan, spec);
  const luma = toLuma(photo);
  const faceBox = clipBox(faceRegionInPhoto(main, plan), photo.width, photo.height);
  const face = lumaStats(luma, photo.width, faceBox);
  const exposureFailed = failed.length;
  if (face.mean < spec.minBrightness) failed.push('too-dark');
  else if (face.mean > spec.maxBrightness) failed.push('too-bright');
  if (face.stdDev < spec.minContrast) failed.push('low-contrast');
  const sharpness = laplacianVariance(luma, photo.width, photo.height, faceBox);
  // The Laplacian's variance scales with contrast squared: on a dark or flat picture it reads low however sharp
  // the lens is, so "blurred" would send the candidate to fix the wrong thing. Light first.
  if (failed.length === exposureFailed && sharpness < spec.minSharpness) failed.push('blurred');
  const backgroundStdDev = Math.max(
    ...backgroundPatches(spec).map((p) => lumaStats(luma, photo.width, clipBox(p, photo.width, photo.height)).stdDev),
  );
  // A crop that runs off the frame is white there, which would read as a clean backdrop; only judge real pixels.
  if (plan.outsideFraction <= spec.maxOutsideFraction && backgroundStdDev > spec.maxBackgroundStdDev) failed.push('background');

  const measures: PhotoMeasures = {
    faceCount: 1,
    scale: round(plan.scale),
    outsideFraction: round(plan.outsideFraction),
    rollDeg: round(plan.rollDeg),
    brightness: round(face.mean),
    contrast: round(face.stdDev),
    sharpness: round(sharpness),
    backgroundStdDev: round(backgroundStdDev),
  };
  return fail(failed, measures, { photo, plan });
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** JPEG encoder seam: canvas in the browser (encodeJpegCanvas), jpeg-js in Node. Quality in 0–1. */
export type JpegEncoder = (image: RgbaImage, quality: number) => Promise<Uint8Array> | Uint8Array;

export interface EncodedPhoto {
  readonly bytes: Uint8Array;
  readonly quality: number;
  /** Qualities tried, highest first, ending with the one used. */
  readonly attempts: number;
}

/**
 * Encodes at decreasing quality until the file fits spec.maxBytes. Returns null when even minQuality is too
 * big (a noisy picture): the caller asks for a retake (zhCN.face.photo.checks.tooLarge) rather than ship mush.
 */
export async function encodeWithinLimit(photo: RgbaImage, encode: JpegEncoder, spec: PhotoSpecConfig): Promise<EncodedPhoto | null> {
  let attempts = 0;
  for (let q = spec.startQuality; q >= spec.minQuality - 1e-9; q -= spec.qualityStep) {
    attempts++;
    const quality = Math.round(q * 100) / 100;
    const bytes = await encode(photo, quality);
    if (bytes.byteLength <= spec.maxBytes) return { bytes, quality, attempts };
  }
  return null;
}
