import { z } from 'zod';
import { FingerprintError } from '../../../core/errors/fingerprint-error.js';

/**
 * Configuration of a Windows vendor SDK driver (the station config's fingerprint section can embed it).
 * Validated here because it comes from a file staff edit.
 */
export const VendorSdkConfig = z.strictObject({
  /** Which binding speaks to the DLL. Only ZKTeco's ZKFinger SDK (libzkfp.dll) has one so far. */
  vendor: z.enum(['zkteco']).default('zkteco'),
  /** Absolute path of the SDK's DLL, e.g. C:\Windows\System32\libzkfp.dll. */
  dllPath: z.string().min(1).max(500),
  deviceIndex: z.number().int().min(0).max(15).default(0),
  /** AcquireFingerprint is non-blocking: poll at this interval (public apps use a few hundred ms). */
  pollIntervalMs: z.number().int().min(20).max(2000).default(200),
  /**
   * DBMatch score at or above which two templates are the same finger. Vendor-specific and not confirmed
   * (spec §2.1 quotes ~15 for an older algorithm); set it from the vendor's documentation.
   */
  matchThreshold: z.number().int().min(1).max(1000).default(50),
  /** Template buffer size (public ZKFinger code uses 2048). */
  templateBufferSize: z.number().int().min(256).max(65_536).default(2048),
  /** Used when the SDK cannot report them (parameters 1, 2, 3). */
  imageWidth: z.number().int().min(64).max(2048).optional(),
  imageHeight: z.number().int().min(64).max(2048).optional(),
  dpi: z.number().int().min(100).max(2000).default(500),
});
export type VendorSdkConfig = z.infer<typeof VendorSdkConfig>;

export function parseVendorSdkConfig(raw: unknown): VendorSdkConfig {
  const parsed = VendorSdkConfig.safeParse(raw);
  if (!parsed.success) {
    // Paths only, never values: a config file may hold site details.
    throw new FingerprintError('config-invalid', parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', '));
  }
  return parsed.data;
}
