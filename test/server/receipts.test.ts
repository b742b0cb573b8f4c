import { randomUUID, sign } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfirmationBatchReply } from '../../core/contract/central-api.js';
import type { ConfirmationContent } from '../../core/contract/confirmation.js';
import {
  RECEIPT_VERIFY_PATH,
  ReceiptVerifyReply,
  encodeReceiptQr,
  parseReceiptQr,
  receiptSigningText,
} from '../../core/contract/receipt.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { canonicalJson } from '../../core/util/canonical-json.js';
import { ReceiptSigner, type ReceiptIdentity } from '../../host/central/receipt-signer.js';
import { StationIdentity } from '../../host/central/station-identity.js';
import { describeEachDatabase } from './support/databases.js';
import {
  type TestServer,
  type TestStation,
  adminRequest,
  citizenId,
  createPoint,
  enrollStation,
  expectApiError,
  json,
  newKeyPair,
  sha256Hex,
  signRecordAs,
  signedRequest,
  startServer,
} from './support/harness.js';

const m = zhCN.central.receipts;

function identityOf(station: TestStation): ReceiptIdentity {
  return {
    enrollment: { serverUrl: 'http://127.0.0.1:1', stationId: station.id, pointCode: station.pointCode, pointName: 'x', enrolledAt: new Date().toISOString() },
    sign: (text) => sign(null, Buffer.from(text, 'utf8'), station.privateKey).toString('base64'),
  };
}

function contentFor(n: number): ConfirmationContent {
  return {
    candidate: { citizenId: citizenId(n), registrationNo: `2026410${String(n).padStart(5, '0')}`, name: '林晓雨' },
    identification: { source: 'chip', cardType: 'resident' },
    outcome: 'confirmed',
    reasons: [],
    blobs: [],
    decidedAt: '2026-11-24T01:05:00.000Z',
  };
}

/** Saves like the station (its content hash) and uploads through the signed batch route. */
async function upload(server: TestServer, station: TestStation, content: ConfirmationContent) {
  const id = randomUUID();
  const response = await signedRequest(server, station, {
    method: 'POST',
    url: '/api/v1/confirmations/batch',
    body: { confirmations: [signRecordAs(station, { id, citizenId: content.candidate.citizenId, content, blobs: [] })] },
  });
  expect(response.statusCode, response.body).toBe(200);
  expect(ConfirmationBatchReply.parse(json(response)).results[0]?.status).toBe('accepted');
  return { id, contentSha256: sha256Hex(canonicalJson(content)), savedAt: '2026-11-24T01:05:01.000Z' };
}

async function verify(server: TestServer, qr: string): Promise<ReceiptVerifyReply> {
  const response = await server.app.inject({ method: 'POST', url: RECEIPT_VERIFY_PATH, payload: { qr } });
  expect(response.statusCode, response.body).toBe(200);
  return ReceiptVerifyReply.parse(json(response));
}

describeEachDatabase('receipt verification', (handle) => {
  it('verifies a synced record, masked, and tells not-yet-received from mismatch', async () => {
    const server = startServer(handle.db);
    await createPoint(server.app, 'ZZ-JS-01', '郑州市金水区现场确认点');
    const station = await enrollStation(server.app, 'ZZ-JS-01', '3号工位');
    const signer = new ReceiptSigner(async () => identityOf(station));

    const record = await upload(server, station, contentFor(7));
    const receipt = await signer.sign(record);
    expect(receipt.payload).toEqual({ id: record.id, h: record.contentSha256, s: station.id, t: record.savedAt });
    const response = await server.app.inject({ method: 'POST', url: RECEIPT_VERIFY_PATH, payload: { qr: receipt.qr } });
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain(citizenId(7));
    expect(response.body).not.toContain('晓雨');
    expect(ReceiptVerifyReply.parse(json(response))).toEqual({
      status: 'verified',
      message: m.verified,
      confirmationId: record.id,
      savedAt: record.savedAt,
      station: { name: '3号工位', revoked: false },
      point: { code: 'ZZ-JS-01', name: '郑州市金水区现场确认点' },
      record: {
        outcome: 'confirmed',
        decidedAt: '2026-11-24T01:05:00.000Z',
        receivedAt: new Date(server.clock.ms).toISOString(),
        maskedName: '林**',
        maskedCitizenId: `410105********${citizenId(7).slice(-4)}`,
      },
    });

    // Saved and printed while offline: a good signature, nothing on the server yet.
    const offline = await signer.sign({ ...record, id: randomUUID() });
    const pending = await verify(server, offline.qr);
    expect(pending).toMatchObject({ status: 'not-yet-received', message: m.notYetReceived, station: { name: '3号工位' } });
    expect(pending.record).toBeUndefined();

    // Signed by the station, but the server's record has other content (a receipt printed for other data).
    const other = await signer.sign({ ...record, contentSha256: sha256Hex('something else') });
    expect(await verify(server, other.qr)).toMatchObject({ status: 'mismatch', message: m.mismatch });
  });

  it('refuses forged and altered receipts, and names unknown stations', async () => {
    const server = startServer(handle.db);
    await createPoint(server.app, 'ZZ-JS-01');
    const station = await enrollStation(server.app, 'ZZ-JS-01');
    const second = await enrollStation(server.app, 'ZZ-JS-01', '2号工位');
    const record = await upload(server, station, contentFor(8));
    const genuine = await new ReceiptSigner(async () => identityOf(station)).sign(record);

    // Another key claiming to be the station.
    const forger = { ...station, ...newKeyPair() };
    const forged = await new ReceiptSigner(async () => identityOf(forger)).sign(record);
    expect(await verify(server, forged.qr)).toEqual({ status: 'bad-signature', message: m.badSignature });

    // The genuine signature over an altered time.
    const parsed = parseReceiptQr(genuine.qr);
    if (!parsed.ok) throw new Error('genuine receipt did not parse');
    const altered = encodeReceiptQr({ ...parsed.payload, t: '2026-11-25T01:05:01.000Z' }, parsed.signature);
    expect((await verify(server, altered)).status).toBe('bad-signature');

    // Another enrolled station signing this station's record id: its own signature, but not its record.
    const borrowed = await new ReceiptSigner(async () => identityOf(second)).sign(record);
    expect((await verify(server, borrowed.qr)).status).toBe('mismatch');

    const unknown = await new ReceiptSigner(async () => identityOf({ ...station, id: randomUUID() })).sign(record);
    expect(await verify(server, unknown.qr)).toEqual({ status: 'unknown-station', message: m.unknownStation });
  });

  it('still verifies what a station signed before it was revoked, and says so', async () => {
    const server = startServer(handle.db);
    await createPoint(server.app, 'ZZ-JS-01');
    const station = await enrollStation(server.app, 'ZZ-JS-01');
    const signer = new ReceiptSigner(async () => identityOf(station));
    const record = await upload(server, station, contentFor(9));
    const receipt = await signer.sign(record);
    const never = await signer.sign({ ...record, id: randomUUID() });
    const revoked = await adminRequest(server.app, 'POST', `/api/v1/admin/stations/${station.id}/revoke`);
    expect(revoked.statusCode).toBe(200);

    expect(await verify(server, receipt.qr)).toMatchObject({
      status: 'verified',
      message: m.verified + m.stationRevokedNote,
      station: { revoked: true, revokedAt: new Date(server.clock.ms).toISOString() },
    });
    expect(await verify(server, never.qr)).toMatchObject({ status: 'not-yet-received', message: m.notYetReceivedRevoked, station: { revoked: true } });
  });

  it('answers typed errors for what is not a receipt, without echoing it', async () => {
    const server = startServer(handle.db);
    const notReceipt = await server.app.inject({ method: 'POST', url: RECEIPT_VERIFY_PATH, payload: { qr: 'XCQR1.bm90.aGVsbG8' } });
    const error = expectApiError(notReceipt, 400, 'VALIDATION');
    expect(error.message).toBe(m.notAReceipt);
    expect(notReceipt.body).not.toContain('bm90');
    expectApiError(await server.app.inject({ method: 'POST', url: RECEIPT_VERIFY_PATH, payload: { qr: '' } }), 400, 'VALIDATION');
    expectApiError(await server.app.inject({ method: 'POST', url: RECEIPT_VERIFY_PATH, payload: { qr: 'x', more: 1 } }), 400, 'VALIDATION');
    expectApiError(
      await server.app.inject({ method: 'POST', url: RECEIPT_VERIFY_PATH, payload: { qr: 'X'.repeat(5000) } }),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    expectApiError(
      await server.app.inject({ method: 'POST', url: RECEIPT_VERIFY_PATH, headers: { 'content-type': 'text/plain' }, payload: 'XCQR1.a.b' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });
});

describe('receipt signer with the station identity', () => {
  it('refuses to sign before enrollment and signs with the enrolled station id after', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'receipt-signer-'));
    try {
      const identity = await StationIdentity.load(dir);
      const signer = new ReceiptSigner(async () => identity);
      const request = { id: randomUUID(), contentSha256: 'b'.repeat(64), savedAt: '2026-11-24T01:05:01.000Z' };
      await expect(signer.sign(request)).rejects.toMatchObject({ code: 'ACCESS_DENIED', reason: 'NOT_ENROLLED', userMessage: zhCN.central.notEnrolled });
      await expect(signer.sign({ ...request, contentSha256: 'nope' })).rejects.toMatchObject({ code: 'VALIDATION' });
      const stationId = randomUUID();
      await identity.setEnrollment({ serverUrl: 'http://127.0.0.1:1', stationId, pointCode: 'ZZ-JS-01', pointName: 'x', enrolledAt: new Date().toISOString() });
      const receipt = await signer.sign(request);
      const parsed = parseReceiptQr(receipt.qr);
      expect(parsed.ok && parsed.payload.s).toBe(stationId);
      expect(parsed.ok && parsed.signingText).toBe(receiptSigningText(receipt.payload));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
