import { type ErrorCode, StationError } from '../errors/station-error.js';
import { zhCN } from '../i18n/zh-CN.js';

/** Why a handoff bundle is refused; each has its own Chinese message in zhCN.handoff.refused. */
export const bundleRefusals = [
  'not-a-bundle',
  'too-large',
  'wrong-server-key',
  'tampered',
  'bad-signature',
  'station-unknown',
  'station-revoked',
  'content-invalid',
] as const;
export type BundleRefusal = (typeof bundleRefusals)[number];

const baseCode: Record<BundleRefusal, ErrorCode> = {
  'not-a-bundle': 'FILE_INVALID',
  'too-large': 'VALIDATION',
  'wrong-server-key': 'FILE_INVALID',
  tampered: 'FILE_INVALID',
  'bad-signature': 'UNAUTHORIZED',
  'station-unknown': 'ACCESS_DENIED',
  'station-revoked': 'ACCESS_DENIED',
  'content-invalid': 'FILE_INVALID',
};

/** A bundle that cannot be opened or must not be imported; `reason` is stable, the message is for the admin. */
export class HandoffBundleError extends StationError {
  override readonly reason: BundleRefusal;

  constructor(reason: BundleRefusal, detail: string) {
    super(baseCode[reason], zhCN.handoff.refused[reason], `${reason}: ${detail}`);
    this.reason = reason;
  }
}
