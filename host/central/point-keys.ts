import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { PointKeysReply, type PointStationKey } from '../../core/contract/central-api.js';
import {
  parseReceiptQr,
  type ReceiptOfflineStatus,
  type ReceiptOfflineVerifyReply,
} from '../../core/contract/receipt.js';
import { FileInvalidError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { readTextIfExists, safeJson, writeJsonAtomic } from '../services/staff-accounts-store.js';

export const POINT_KEYS_FILE = 'point-keys.json';

const PointKeysFile = PointKeysReply.extend({
  version: z.literal(1),
  downloadedAt: z.iso.datetime({ offset: true }),
});
export type StoredPointKeys = z.infer<typeof PointKeysFile>;

/**
 * The public keys of the point's stations as last downloaded (GET /api/v1/station/point-keys, with the staff
 * accounts after a roster sync), kept in the station's data folder so receipts verify offline. Public keys and
 * station names only; each download replaces the whole list.
 */
export class PointKeysStore {
  readonly #file: string;

  constructor(dataDir: string) {
    this.#file = path.join(dataDir, POINT_KEYS_FILE);
  }

  /** undefined: nothing downloaded yet. A damaged file is an error, never an empty list. */
  async load(): Promise<StoredPointKeys | undefined> {
    const text = await readTextIfExists(this.#file);
    if (text === undefined) return undefined;
    const parsed = PointKeysFile.safeParse(safeJson(text));
    if (!parsed.success) throw new FileInvalidError('point keys file unreadable', zhCN.receipts.keysInvalid);
    return parsed.data;
  }

  async save(reply: PointKeysReply, downloadedAt: Date): Promise<void> {
    await writeJsonAtomic(this.#file, PointKeysFile.parse({ version: 1, ...reply, downloadedAt: downloadedAt.toISOString() }));
  }
}

function publicKeyOf(station: PointStationKey): KeyObject | undefined {
  try {
    // The JWK `x` member is the raw 32-byte Ed25519 key, base64url (RFC 8037).
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(station.publicKey, 'base64').toString('base64url') }, format: 'jwk' });
  } catch {
    return undefined;
  }
}

/**
 * receipts.verifyOffline: the receipt's signature against the key of the station it names, among the point's
 * stations as downloaded. Whether the server holds the record (and with this content) only the server can say;
 * the reply says so. Never throws for a scanned text: every input is answered with a status.
 */
export function verifyReceiptOffline(qr: string, keys: StoredPointKeys | undefined): ReceiptOfflineVerifyReply {
  const m = zhCN.receipts.offline;
  const answer = (status: ReceiptOfflineStatus, extra: Partial<ReceiptOfflineVerifyReply> = {}, note = ''): ReceiptOfflineVerifyReply => ({
    status,
    message: m[status] + note,
    ...(keys ? { keysDownloadedAt: keys.downloadedAt } : {}),
    ...extra,
  });
  const parsed = parseReceiptQr(qr);
  if (!parsed.ok) return answer('malformed');
  const station = keys?.stations.find((candidate) => candidate.stationId === parsed.payload.s);
  if (!station) return answer('unknown-station', {}, keys ? '' : m.noKeys);
  const key = publicKeyOf(station);
  let good = false;
  try {
    good = key !== undefined && verify(null, Buffer.from(parsed.signingText, 'utf8'), key, parsed.signature);
  } catch {
    good = false;
  }
  if (!good) return answer('bad-signature');
  const revoked = station.revokedAt !== undefined;
  return answer(
    'verified-signature',
    { confirmationId: parsed.payload.id, savedAt: parsed.payload.t, station: { id: station.stationId, name: station.name, revoked } },
    revoked ? m.revokedNote : '',
  );
}
