import { zhCN } from '../i18n/zh-CN.js';
import { StationError, type ErrorCode } from './station-error.js';

/**
 * A failure of a fingerprint scanner: its byte protocol (R30x/AS60x UART), the module's confirmation codes,
 * a vendor SDK, or the capture itself. `reason` is for code (retry, recover, which message); the Chinese
 * message says what staff should do. Modelled on CardReaderError; the ErrorCode is chosen per reason so the
 * existing codes keep their meaning (TIMEOUT for waiting that ran out, VALIDATION for bad configuration).
 */
export const fingerprintReasons = [
  // Byte protocol
  'bad-length',
  'bad-checksum',
  'bad-packet-id',
  'truncated',
  'unexpected-reply',
  'bad-payload',
  'timeout',
  'disconnected',
  // Module or capture
  'status',
  'no-finger',
  'poor-image',
  'finger-lifted',
  'wrong-password',
  'cancelled',
  'busy',
  'not-open',
  // Vendor SDK slot
  'sdk-not-available',
  'sdk-unsupported-platform',
  'sdk-load-failed',
  'sdk-error',
  'config-invalid',
] as const;
export type FingerprintReason = (typeof fingerprintReasons)[number];

const codeFor: Partial<Record<FingerprintReason, ErrorCode>> = {
  timeout: 'TIMEOUT',
  'no-finger': 'TIMEOUT',
  'config-invalid': 'VALIDATION',
  busy: 'INVALID_STATE',
  'not-open': 'INVALID_STATE',
};

const text = zhCN.fingerprint;

function defaultMessage(reason: FingerprintReason, confirmationCode: number | undefined, sdkCode: number | undefined): string {
  switch (reason) {
    case 'bad-length':
    case 'bad-checksum':
    case 'bad-packet-id':
    case 'truncated':
    case 'unexpected-reply':
      return text.transfer;
    case 'bad-payload':
      return text.badPayload;
    case 'timeout':
      return text.timeout;
    case 'disconnected':
      return text.disconnected;
    case 'status':
      return statusMessage(confirmationCode ?? 0xff);
    case 'no-finger':
      return text.noFinger;
    case 'poor-image':
      return text.poorImage;
    case 'finger-lifted':
      return text.fingerLifted;
    case 'wrong-password':
      return text.wrongPassword;
    case 'cancelled':
      return text.cancelled;
    case 'busy':
      return text.busy;
    case 'not-open':
      return text.notOpen;
    case 'sdk-not-available':
      return text.sdkNotAvailable;
    case 'sdk-unsupported-platform':
      return text.sdkUnsupportedPlatform;
    case 'sdk-load-failed':
      return text.sdkLoadFailed;
    case 'sdk-error':
      return text.sdkError(sdkCode ?? 0);
    case 'config-invalid':
      return text.configInvalid;
  }
}

/** The catalogue's message for an R30x confirmation code. */
export function statusMessage(code: number): string {
  return text.status[code] ?? text.unknownStatus(code.toString(16).toUpperCase().padStart(2, '0'));
}

export interface FingerprintErrorExtra {
  /** The R30x confirmation code when reason is 'status' (or a status-derived reason such as 'poor-image'). */
  confirmationCode?: number;
  /** The vendor SDK's return code when reason is 'sdk-error'. */
  sdkCode?: number;
  /** Overrides the catalogue's message for the reason (e.g. a quality message with numbers). */
  userMessage?: string;
  cause?: unknown;
}

export class FingerprintError extends StationError {
  override readonly reason: FingerprintReason;
  readonly confirmationCode: number | undefined;
  readonly sdkCode: number | undefined;

  constructor(reason: FingerprintReason, detail: string, extra: FingerprintErrorExtra = {}) {
    super(
      codeFor[reason] ?? 'DEVICE',
      extra.userMessage ?? defaultMessage(reason, extra.confirmationCode, extra.sdkCode),
      `${reason}: ${detail}`,
      extra.cause === undefined ? undefined : { cause: extra.cause },
    );
    this.reason = reason;
    this.confirmationCode = extra.confirmationCode;
    this.sdkCode = extra.sdkCode;
    // Transfer glitches and a missing finger can succeed on the next try; configuration and SDK loading cannot.
    this.retryable = !['sdk-not-available', 'sdk-unsupported-platform', 'sdk-load-failed', 'config-invalid', 'wrong-password'].includes(reason);
  }
}
