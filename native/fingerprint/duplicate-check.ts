/**
 * Did the candidate present the same finger twice (e.g. the right index again when the left was asked for)?
 * Two kinds of evidence: the device's own template comparison (R30x Match) when the driver has one and both
 * templates are in its format, and the image similarity of similarity.ts. Either saying "same" flags the pair:
 * the cost of a false flag is one more capture, the cost of a missed one is a wrong record.
 */
import type { FingerprintCapture, FingerprintDriver } from './fingerprint-driver.js';
import { DEFAULT_SIMILARITY_THRESHOLD, imageSimilarity } from './similarity.js';

export interface DuplicateEvidence {
  method: 'device-match' | 'image-similarity';
  score: number;
  threshold: number;
  same: boolean;
}

export interface DuplicateVerdict {
  duplicate: boolean;
  evidence: DuplicateEvidence[];
}

export interface DuplicateCheckOptions {
  /** The driver whose match() compares the templates; omitted or without match(): images only. */
  driver?: Pick<FingerprintDriver, 'match' | 'matchThreshold' | 'info'>;
  imageThreshold?: number;
  /** false skips the image comparison (about 0.1 s) when the device match is trusted alone. */
  useImage?: boolean;
}

export async function checkDuplicate(a: FingerprintCapture, b: FingerprintCapture, options: DuplicateCheckOptions = {}): Promise<DuplicateVerdict> {
  const evidence: DuplicateEvidence[] = [];
  const driver = options.driver;
  if (
    driver?.match &&
    a.template &&
    b.template &&
    a.template.format === driver.info.templateFormat &&
    b.template.format === driver.info.templateFormat
  ) {
    const score = await driver.match(a.template, b.template);
    const threshold = driver.matchThreshold ?? 1;
    evidence.push({ method: 'device-match', score, threshold, same: score >= threshold });
  }
  if (options.useImage !== false || evidence.length === 0) {
    const threshold = options.imageThreshold ?? DEFAULT_SIMILARITY_THRESHOLD;
    const score = imageSimilarity(a.image, b.image);
    evidence.push({ method: 'image-similarity', score, threshold, same: score >= threshold });
  }
  return { duplicate: evidence.some((e) => e.same), evidence };
}
