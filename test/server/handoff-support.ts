import { randomUUID, sign } from 'node:crypto';
import { type DayClose, type SignedDayClose, dayCloseRecordsDigest, dayCloseSigningText } from '../../core/contract/day-close.js';
import { type HandoffPayloadInput, sealBundle } from '../../core/handoff/bundle.js';
import type { TestStation } from './support/harness.js';
import { citizenId, contentBlobs, sha256Hex, signRecordAs } from './support/harness.js';

/** Test pieces for handoff bundles, their records and day closes, signed like the station's host does. */
export function stationSigner(station: TestStation): (text: string) => string {
  return (text) => sign(null, Buffer.from(text, 'utf8'), station.privateKey).toString('base64');
}

export interface Item {
  [key: string]: unknown;
  id: string;
  citizenId: string;
  content: Record<string, unknown>;
  blobs: string[];
}

export function record(n: number, blobs: string[] = []): Item {
  return { id: randomUUID(), citizenId: citizenId(n), content: { outcome: 'confirmed', n, blobs: contentBlobs(blobs) }, blobs };
}

export function blob(bytes: Buffer): { sha256: string; mime: 'image/jpeg'; base64: string } {
  return { sha256: sha256Hex(bytes), mime: 'image/jpeg', base64: bytes.toString('base64') };
}

export function signedDayClose(station: TestStation, overrides: Partial<DayClose> = {}, ids: string[] = []): SignedDayClose {
  const record: DayClose = {
    id: randomUUID(),
    stationId: station.id,
    pointCode: station.pointCode,
    day: '2026-11-24',
    closedAt: '2026-11-24T18:00:00.000+08:00',
    closedBy: { accountId: 'sup01', name: '王主管', role: 'supervisor' },
    counts: { total: ids.length, confirmed: ids.length, rejected: 0, acknowledged: 0, handedOff: ids.length },
    records: dayCloseRecordsDigest(ids),
    ...overrides,
  };
  return { record, signature: stationSigner(station)(dayCloseSigningText(record)) };
}

export async function bundleFor(
  station: TestStation,
  serverPublicKeyBase64: string,
  parts: Partial<HandoffPayloadInput> = {},
  signer: (text: string) => string = stationSigner(station),
): Promise<Uint8Array> {
  return sealBundle({
    payload: {
      stationId: station.id,
      pointCode: station.pointCode,
      day: '2026-11-24',
      createdAt: '2026-11-24T18:05:00.000+08:00',
      blobs: [],
      audit: [],
      ...parts,
      // Signed like the station's host signs bundle records (a record that carries a signature keeps it).
      records: (parts.records ?? []).map((one) => signRecordAs(station, one)),
    },
    recipientPublicKey: new Uint8Array(Buffer.from(serverPublicKeyBase64, 'base64')),
    sign: signer,
  });
}
