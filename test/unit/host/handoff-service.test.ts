import { createPublicKey, verify } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HandoffKeyInfo, SignedConfirmationUpload } from '../../../core/contract/central-api.js';
import { dayCloseRecordsDigest, dayCloseSigningText } from '../../../core/contract/day-close.js';
import { generateHandoffKeyPair, handoffKeyId, openBundle } from '../../../core/handoff/bundle.js';
import { InvalidStateError } from '../../../core/errors/station-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { verifyRecordSignature } from '../../../core/records/record-signature.js';
import { StationIdentity } from '../../../host/central/station-identity.js';
import { HandoffService, handoffFileName } from '../../../host/handoff/handoff-service.js';

const STATION_ID = '123e4567-e89b-42d3-a456-426614174000';
const supervisor = { accountId: 'sup01', name: '王主管', role: 'supervisor' as const };
const counts = { total: 1, confirmed: 1, rejected: 0, acknowledged: 0, handedOff: 1 };
const recordId = '223e4567-e89b-42d3-a456-426614174001';
const records = [{ id: recordId, citizenId: '410105200203140223', content: { outcome: 'confirmed' }, blobs: [] }];

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'handoff-service-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function enrolledIdentity(): Promise<StationIdentity> {
  const identity = await StationIdentity.load(dir);
  await identity.setEnrollment({ serverUrl: 'http://127.0.0.1:1', stationId: STATION_ID, pointCode: 'ZZ-01', pointName: '测试点', enrolledAt: '2026-12-03T08:00:00.000Z' });
  return identity;
}

function keyInfo(publicKey: Uint8Array): HandoffKeyInfo {
  return { keyId: handoffKeyId(publicKey), publicKey: Buffer.from(publicKey).toString('base64') };
}

function stationVerifier(identity: StationIdentity) {
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(identity.publicKey, 'base64').toString('base64url') }, format: 'jwk' });
  return (text: string, signature: Uint8Array) => verify(null, Buffer.from(text, 'utf8'), key, signature);
}

describe('HandoffService', () => {
  it('builds a bundle the server opens with its key: station, point and day from the enrollment, the day close signed', async () => {
    const identity = await enrolledIdentity();
    const server = generateHandoffKeyPair();
    const service = new HandoffService({ identity: async () => identity, serverKey: async () => keyInfo(server.publicKey), now: () => Date.parse('2026-12-03T10:00:00Z') });
    const built = (await service.build({ day: '2026-12-03', records, blobs: [], audit: [], dayClose: { day: '2026-12-03', closedBy: supervisor, counts, recordIds: [recordId] } }));
    expect(built.fileName).toBe(handoffFileName('ZZ-01', '2026-12-03', STATION_ID));
    expect(built.fileName).toBe('离线移交-ZZ-01-2026-12-03-123e4567.xqb');

    const check = stationVerifier(identity);
    const opened = await openBundle(built.file, server.privateKey, async (id) => (id === STATION_ID ? { revoked: false, verify: check } : undefined));
    expect(opened.payload).toMatchObject({ stationId: STATION_ID, pointCode: 'ZZ-01', day: '2026-12-03', createdAt: '2026-12-03T10:00:00.000Z', records });
    const dayClose = opened.payload.dayClose!;
    expect(dayClose).toEqual(built.dayClose);
    expect(dayClose.record).toMatchObject({ stationId: STATION_ID, pointCode: 'ZZ-01', closedBy: supervisor, counts, records: dayCloseRecordsDigest([recordId]) });
    expect(check(dayCloseSigningText(dayClose.record), Buffer.from(dayClose.signature, 'base64'))).toBe(true);
    // Each record signed by the station key for this station, as the online upload signs it.
    const [signed] = SignedConfirmationUpload.array().parse(opened.payload.records);
    expect(verifyRecordSignature(STATION_ID, signed!, signed!.signature, check)).toBe(true);
    expect(verifyRecordSignature(STATION_ID, { ...signed!, content: { outcome: 'rejected' } }, signed!.signature, check)).toBe(false);
  });

  it('refuses in Chinese when not enrolled, and when no server key is known', async () => {
    const bare = await StationIdentity.load(dir);
    const server = generateHandoffKeyPair();
    const notEnrolled = new HandoffService({ identity: async () => bare, serverKey: async () => keyInfo(server.publicKey) });
    await expect(notEnrolled.build({ day: '2026-12-03', records, blobs: [], audit: [] })).rejects.toThrow(InvalidStateError);
    await expect(notEnrolled.signDayClose({ day: '2026-12-03', closedBy: supervisor, counts, recordIds: [] })).rejects.toMatchObject({ userMessage: zhCN.handoff.build.notEnrolled });

    const identity = await enrolledIdentity();
    const noKey = new HandoffService({ identity: async () => identity, serverKey: async () => undefined });
    await expect(noKey.build({ day: '2026-12-03', records, blobs: [], audit: [] })).rejects.toMatchObject({ code: 'INVALID_STATE', userMessage: zhCN.handoff.build.noServerKey });
    // A key whose id does not match its bytes is never sealed to.
    const damaged = new HandoffService({ identity: async () => identity, serverKey: async () => ({ ...keyInfo(server.publicKey), keyId: '0'.repeat(32) }) });
    await expect(damaged.build({ day: '2026-12-03', records, blobs: [], audit: [] })).rejects.toMatchObject({ userMessage: zhCN.handoff.build.noServerKey });
  });

  it('keeps the server key with the enrollment across a reload, and an identity file without one still loads', async () => {
    const identity = await enrolledIdentity();
    const key = keyInfo(generateHandoffKeyPair().publicKey);
    expect((await StationIdentity.load(dir)).enrollment?.handoffKey).toBeUndefined();
    await identity.setHandoffKey(key);
    expect((await StationIdentity.load(dir)).enrollment?.handoffKey).toEqual(key);
  });

  it('gives each day close a new id (a re-close is a new version, never a conflict), and only for a supervisor', async () => {
    const identity = await enrolledIdentity();
    const service = new HandoffService({ identity: async () => identity, serverKey: async () => undefined });
    const draft = { day: '2026-12-03', closedBy: supervisor, counts, recordIds: [recordId] };
    const a = await service.signDayClose(draft);
    const b = await service.signDayClose(draft);
    expect(a.record.id).not.toBe(b.record.id);
    // Only a supervisor closes the day.
    const operator = { accountId: 'op01', name: '李操作员', role: 'operator' as const };
    await expect(service.signDayClose({ ...draft, closedBy: operator })).rejects.toMatchObject({ code: 'ACCESS_DENIED', userMessage: zhCN.handoff.build.needsSupervisor });
  });
});
