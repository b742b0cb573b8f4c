import {
  ReceiptSignRequest,
  type ReceiptPayload,
  type SignedReceipt,
  encodeReceiptQr,
  receiptSigningText,
} from '../../core/contract/receipt.js';
import { CentralError, ValidationError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import type { StationIdentity } from './station-identity.js';

/** The part of the station's identity a receipt needs: its enrollment (station id) and its key. */
export type ReceiptIdentity = Pick<StationIdentity, 'enrollment' | 'sign'>;

/**
 * Signs the QR payload of a printed receipt with the station's enrolled Ed25519 key, so the central server
 * can later tell a genuine receipt from a forged or altered one (POST /api/v1/receipts/verify).
 *
 * `identity` is asked on every call rather than held: the station may enroll (or re-enroll) while running,
 * and the receipt must name the station id the server knows the key under. Pass the CentralService's own
 * identity (the one instance that sees enrollment changes), not a second one loaded from the same folder.
 */
export class ReceiptSigner {
  constructor(private readonly identity: () => Promise<ReceiptIdentity>) {}

  async sign(request: ReceiptSignRequest): Promise<SignedReceipt> {
    const parsed = ReceiptSignRequest.safeParse(request);
    // The host's dispatcher validates too; this is the signer's own boundary (no value is echoed).
    if (!parsed.success) throw new ValidationError('receipt sign request failed its schema');
    const identity = await this.identity();
    const enrollment = identity.enrollment;
    // Without an enrollment no server could ever verify the receipt: say so instead of printing a dud.
    if (!enrollment) throw new CentralError('ACCESS_DENIED', zhCN.central.notEnrolled, 'NOT_ENROLLED', false);
    const payload: ReceiptPayload = { id: parsed.data.id, h: parsed.data.contentSha256, s: enrollment.stationId, t: parsed.data.savedAt };
    const signature = Buffer.from(identity.sign(receiptSigningText(payload)), 'base64');
    return { qr: encodeReceiptQr(payload, new Uint8Array(signature)), payload };
  }
}
