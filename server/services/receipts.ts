import { z } from 'zod';
import { maskCitizenId } from '../../core/citizen-id/citizen-id.js';
import { ValidationError } from '../../core/errors/station-error.js';
import { maskName, parseReceiptQr, type ReceiptVerifyReply } from '../../core/contract/receipt.js';
import { RecordOutcome } from '../../core/contract/record-outcome.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { canonicalJson } from '../../core/util/canonical-json.js';
import { ed25519PublicKeyFromRaw, verifyEd25519 } from '../crypto/ed25519.js';
import { sha256Hex } from '../../core/crypto/sha256.js';
import type { Queryable } from '../db/database.js';
import { queryOne } from '../db/rows.js';
import { findStation } from './stations.js';

const RecordRow = z.object({
  station_id: z.string(),
  citizen_id: z.string(),
  content: z.json(),
  received_at: z.date(),
});

/** The few fields a verifier may see, read leniently: content is the station's record, not our schema. */
const ContentView = z.object({
  candidate: z.object({ name: z.string().optional() }).optional(),
  outcome: RecordOutcome.optional(),
  decidedAt: z.iso.datetime({ offset: true }).optional(),
});

/**
 * Checks a receipt's QR text: signature by the named station's registered key (revoked or not: what it signed
 * before revocation stays true), then the stored record by id and its content hash. Answers a status rather
 * than an error for every well-formed receipt, so a verifier page can explain each case.
 */
export async function verifyReceipt(db: Queryable, qr: string): Promise<ReceiptVerifyReply> {
  const m = zhCN.central.receipts;
  const parsed = parseReceiptQr(qr);
  if (!parsed.ok) throw new ValidationError(`receipt qr: ${parsed.reason}`, m.notAReceipt);
  const { payload } = parsed;

  const station = await findStation(db, payload.s);
  if (!station) return { status: 'unknown-station', message: m.unknownStation };
  const key = ed25519PublicKeyFromRaw(station.publicKey);
  if (!key || !verifyEd25519(key, parsed.signingText, parsed.signature)) return { status: 'bad-signature', message: m.badSignature };

  const point = await queryOne(db, z.object({ code: z.string(), name: z.string() }), 'SELECT code, name FROM points WHERE code = $1', [
    station.pointCode,
  ]);
  const revoked = station.revokedAt !== null;
  const known = {
    confirmationId: payload.id,
    savedAt: payload.t,
    station: { name: station.name, revoked, ...(station.revokedAt ? { revokedAt: station.revokedAt.toISOString() } : {}) },
    ...(point ? { point } : {}),
  };
  const note = revoked ? m.stationRevokedNote : '';

  const record = await queryOne(db, RecordRow, 'SELECT station_id, citizen_id, content, received_at FROM confirmations WHERE id = $1', [
    payload.id,
  ]);
  if (!record) return { status: 'not-yet-received', message: revoked ? m.notYetReceivedRevoked : m.notYetReceived, ...known };
  // jsonb gives back the same values (keys reordered): the canonical form makes the hash the station's again.
  if (record.station_id !== station.id || sha256Hex(canonicalJson(record.content)) !== payload.h) {
    return { status: 'mismatch', message: m.mismatch + note, ...known };
  }
  const view = ContentView.safeParse(record.content);
  const content = view.success ? view.data : {};
  const name = content.candidate?.name;
  return {
    status: 'verified',
    message: m.verified + note,
    ...known,
    record: {
      ...(content.outcome ? { outcome: content.outcome } : {}),
      ...(content.decidedAt ? { decidedAt: content.decidedAt } : {}),
      receivedAt: record.received_at.toISOString(),
      ...(name ? { maskedName: maskName(name) } : {}),
      maskedCitizenId: maskCitizenId(record.citizen_id),
    },
  };
}
