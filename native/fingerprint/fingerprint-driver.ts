/**
 * What the station needs from any fingerprint scanner, whatever talks to it: the R30x UART module over a
 * ByteTransport (r30x-driver.ts), a Windows vendor SDK through koffi (vendor-sdk/), or a future driver.
 * The host's device manager and the capture session only ever see these types.
 */
import type { FingerprintError } from '../../core/errors/fingerprint-error.js';

/** 8-bit grey, row-major, 0 = black ridge, 255 = white background. */
export interface GrayImage {
  width: number;
  height: number;
  dpi: number;
  pixels: Uint8Array;
}

/** A vendor template; `format` names the algorithm family, templates of different formats never compare. */
export interface FingerprintTemplate {
  format: string;
  bytes: Uint8Array;
}

/**
 * Quality on 0..100, higher is better. `scale` says whose number it is (spec §3): never compare values
 * across scales. 'image-v1' is this module's own image-based score (quality.ts).
 */
export interface QualityScore {
  scale: string;
  value: number;
}

export interface FingerprintCapture {
  image: GrayImage;
  /** Absent when the device cannot extract one (image-only drivers). */
  template: FingerprintTemplate | undefined;
  quality: QualityScore;
  /** The minimum quality that was asked for (recorded with the capture, as exam data specs require). */
  targetQuality: number;
  /** SHA-256 (hex) of the 8-bit pixel bytes, for the exam authority's image hash field. */
  imageSha256: string;
  /** ISO 8601. */
  capturedAt: string;
  durationMs: number;
}

export interface CaptureOptions {
  /** How long to wait for a finger and the whole transfer, in ms. */
  timeoutMs: number;
  /** 0..100; recorded with the capture. Drivers whose SDK can wait for a quality may use it. */
  targetQuality?: number;
  signal?: AbortSignal;
}

export interface FingerprintDeviceInfo {
  /** Driver family, e.g. 'r30x', 'vendor-sdk:zkfinger'. */
  driver: string;
  /** What staff see as the model (e.g. "R30x 指纹模块 COM3"); never personal data. */
  description: string;
  width: number;
  height: number;
  dpi: number;
  templateFormat: string;
  supports: { onDeviceMatch: boolean; imageUpload: boolean; antiSpoof: boolean };
}

export type FingerprintState = 'closed' | 'opening' | 'ready' | 'capturing' | 'fault' | 'disconnected';

export interface FingerprintStatus {
  state: FingerprintState;
  /** The last problem while state is 'fault' or 'disconnected'. */
  error?: FingerprintError;
}

/** One scanner, opened or not. */
export interface FingerprintDriver {
  readonly info: FingerprintDeviceInfo;
  open(): Promise<void>;
  close(): Promise<void>;
  status(): FingerprintStatus;
  onStatus(listener: (status: FingerprintStatus) => void): () => void;
  /** One capture: waits for a finger, returns image + template + quality; rejects with a FingerprintError. */
  capture(options: CaptureOptions): Promise<FingerprintCapture>;
  /** Cancels the capture in progress (it rejects with reason 'cancelled'); no-op when idle. */
  cancel(): void;
  /** The device's own 1:1 comparison score when it has one (higher = more alike; scale is the device's). */
  match?(a: FingerprintTemplate, b: FingerprintTemplate): Promise<number>;
  /** The score at or above which `match` means the same finger. */
  readonly matchThreshold?: number;
}

/** Something that can be opened, as found by a driver family's discovery. */
export interface FingerprintCandidate {
  driver: string;
  /** Stable within one run: a port path, a vendor SDK device index … */
  id: string;
  description: string;
}

/** A driver family: how to find its devices and make a driver for one. Vendor SDKs are added as factories. */
export interface FingerprintDriverFactory {
  readonly driver: string;
  discover(): Promise<FingerprintCandidate[]>;
  create(candidate: FingerprintCandidate): FingerprintDriver;
}
