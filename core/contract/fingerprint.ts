import { z } from 'zod';
import { Sha256Hex } from './confirmation.js';

/**
 * The fingerprint step between the staff window and the host. Captures, templates and the duplicate check
 * stay where the driver is (the host): the window gets a PNG to show and figures to record, and names
 * captures by id when it asks whether two of them are the same finger.
 */

const base64 = (maxBytes: number) =>
  z
    .string()
    .max(Math.ceil(maxBytes / 3) * 4)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/);

/** GB/T (ISO/IEC 19794) finger position: 1–5 right thumb…little, 6–10 left thumb…little. */
export const FingerPosition = z.number().int().min(1).max(10);
export type FingerPosition = z.infer<typeof FingerPosition>;

/** Largest image PNG a capture may return (a 256×288 R30x image is ~40 KB; vendor sensors are larger). */
export const MAX_FINGERPRINT_PNG_BYTES = 512 * 1024;
/** Vendor templates are a few hundred bytes to a few kilobytes. */
export const MAX_FINGERPRINT_TEMPLATE_BYTES = 16 * 1024;

export const FingerprintCaptureRequest = z.strictObject({
  finger: FingerPosition,
  /**
   * The confirmation session the capture belongs to: the host keeps captures for the duplicate check of
   * one session only and forgets older ones when a new session starts capturing.
   */
  sessionId: z.uuid().optional(),
  /** Minimum accepted quality on the driver's 0..100 scale (default 40). */
  targetQuality: z.number().int().min(0).max(100).optional(),
  /** Attempts before the best capture is kept anyway (default 3). */
  maxAttempts: z.number().int().min(1).max(10).optional(),
  /** Per attempt: waiting for the finger plus the transfer (default 15 s). */
  timeoutMs: z.number().int().min(500).max(120_000).optional(),
});
export type FingerprintCaptureRequest = z.infer<typeof FingerprintCaptureRequest>;

export const FingerprintCaptureResult = z.strictObject({
  /** Names this capture in fingerprint.checkDuplicate (held in the host for the session). */
  captureId: z.uuid(),
  finger: FingerPosition,
  /** The best attempt's quality, 0..100. */
  quality: z.number().int().min(0).max(100),
  /** Whose quality number it is (e.g. 'image-v1'); never compare across scales. */
  qualityScale: z.string().max(40),
  targetQuality: z.number().int().min(0).max(100),
  attempts: z.number().int().min(1).max(10),
  /** The best attempt reached targetQuality; false means staff may keep it or retake. */
  accepted: z.boolean(),
  /** 8-bit grayscale PNG of the best attempt. */
  imagePng: base64(MAX_FINGERPRINT_PNG_BYTES),
  width: z.number().int().positive().max(2048),
  height: z.number().int().positive().max(2048),
  dpi: z.number().int().positive().max(2000),
  template: base64(MAX_FINGERPRINT_TEMPLATE_BYTES).optional(),
  templateFormat: z.string().max(40).optional(),
  /** SHA-256 of the 8-bit pixel bytes (the exam authority's image hash field), not of the PNG. */
  imageSha256: Sha256Hex,
  capturedAt: z.iso.datetime({ offset: true }),
});
export type FingerprintCaptureResult = z.infer<typeof FingerprintCaptureResult>;

export const FingerprintDuplicateRequest = z.strictObject({
  first: z.uuid(),
  second: z.uuid(),
});
export type FingerprintDuplicateRequest = z.infer<typeof FingerprintDuplicateRequest>;

export const FingerprintDuplicateVerdict = z.strictObject({
  duplicate: z.boolean(),
  evidence: z
    .array(
      z.strictObject({
        method: z.enum(['device-match', 'image-similarity']),
        score: z.number(),
        threshold: z.number(),
        same: z.boolean(),
      }),
    )
    .max(4),
});
export type FingerprintDuplicateVerdict = z.infer<typeof FingerprintDuplicateVerdict>;

/** Sent while fingerprint.capture runs, so staff can prompt the candidate. */
export const FingerprintProgressEvent = z.strictObject({
  finger: FingerPosition,
  attempt: z.number().int().min(1).max(10),
  maxAttempts: z.number().int().min(1).max(10),
  /** 'waiting': the sensor waits for the finger; 'result': an attempt ended (quality or a problem). */
  phase: z.enum(['waiting', 'result']),
  quality: z.number().int().min(0).max(100).optional(),
  /** What to tell the candidate, in Chinese. */
  message: z.string().max(300),
});
export type FingerprintProgressEvent = z.infer<typeof FingerprintProgressEvent>;

const r30xInstructions = [
  'any',
  'genImg',
  'img2Tz',
  'match',
  'upChar',
  'downChar',
  'upImage',
  'readSysPara',
  'vfyPwd',
] as const;

/** Mirror of the simulator's R30xFault (native/fingerprint/simulator/virtual-r30x.ts), validated. */
export const SimulatedScannerFault = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('no-reply') }),
  z.strictObject({ kind: z.literal('bad-checksum'), dataPacket: z.number().int().min(0).max(1000).optional() }),
  z.strictObject({ kind: z.literal('confirm'), code: z.number().int().min(0).max(255) }),
  z.strictObject({ kind: z.literal('no-finger') }),
  z.strictObject({ kind: z.literal('poor-quality'), quality: z.number().min(0).max(1).optional() }),
  z.strictObject({ kind: z.literal('removed-mid-upload'), afterPackets: z.number().int().min(0).max(1000).optional() }),
  z.strictObject({ kind: z.literal('stray-bytes') }),
  z.strictObject({ kind: z.literal('delay'), ms: z.number().int().min(0).max(30_000) }),
]);
export type SimulatedScannerFault = z.infer<typeof SimulatedScannerFault>;

/** Drives the simulated fingerprint scanner (demo and tests); refused when a real scanner is in use. */
export const SimulatedScannerAction = z.discriminatedUnion('action', [
  /** A finger on the sensor: the same id always has the same ridges; quality 0..1 (default 0.85). */
  z.strictObject({
    action: z.literal('place'),
    fingerId: z.string().regex(/^[0-9A-Za-z_:.-]{1,40}$/),
    quality: z.number().min(0).max(1).optional(),
  }),
  z.strictObject({ action: z.literal('lift') }),
  z.strictObject({
    action: z.literal('fault'),
    fault: SimulatedScannerFault,
    options: z.strictObject({ on: z.enum(r30xInstructions).optional(), sticky: z.boolean().optional() }).optional(),
  }),
  z.strictObject({ action: z.literal('clear-faults') }),
  z.strictObject({ action: z.literal('unplug') }),
  z.strictObject({ action: z.literal('replug') }),
]);
export type SimulatedScannerAction = z.infer<typeof SimulatedScannerAction>;

/** The fingerprint step's settings from the station config, as the staff window gets them in station.info. */
export const FingerprintSettings = z.strictObject({
  /** Fingers asked for, in order. */
  fingers: z.array(FingerPosition).min(1).max(4),
  qualityThreshold: z.number().int().min(0).max(100),
  maxAttempts: z.number().int().min(1).max(10),
});
export type FingerprintSettings = z.infer<typeof FingerprintSettings>;
