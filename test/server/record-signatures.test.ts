import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeEach, expect, it } from 'vitest';
import { ConfirmationBatchReply, ConfirmationListReply, type ConfirmationResult, HandoffKeyInfo } from '../../core/contract/central-api.js';
import { BUILTIN_RULES_VERSION } from '../../core/rules/bundle.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { decodeRecordSignature, encodeRecordSignature } from '../../core/records/record-signature.js';
import { importHandoffBundle } from '../../server/services/handoff-import.js';
import { countRows, describeEachDatabase } from './support/databases.js';
import {
  HAN,
  type RecordItem,
  type TestServer,
  type TestStation,
  adminRequest,
  citizenId,
  contentBlobs,
  createPoint,
  enrollStation,
  json,
  newKeyPair,
  sha256Hex,
  signRecordAs,
  signedRequest,
  startServer,
} from './support/harness.js';
import { blob, bundleFor } from './handoff-support.js';

interface Item extends RecordItem {
  citizenId: string;
  content: Record<string, unknown>;
  blobs: string[];
}

function item(n: number, blobs: string[] = [], content: Record<string, unknown> = {}): Item {
  return { id: randomUUID(), citizenId: citizenId(n), content: { outcome: 'confirmed', n, blobs: contentBlobs(blobs), ...content }, blobs };
}

/** The signature with one bit of one byte changed (still 64 bytes of base64url). */
function flipped(signature: string, byte: number): string {
  const bytes = decodeRecordSignature(signature);
  if (!bytes) throw new Error('not a record signature');
  bytes[byte]! ^= 0x01;
  return encodeRecordSignature(bytes);
}

function signatureOf(signed: RecordItem): string {
  if (typeof signed['signature'] !== 'string') throw new Error('not signed');
  return signed['signature'];
}

describeEachDatabase('signed confirmation records', (handle) => {
  let server: TestServer;
  let station: TestStation;

  beforeEach(async () => {
    server = startServer(handle.db);
    await createPoint(server.app, 'P1', '一号确认点');
    station = await enrollStation(server.app, 'P1');
  });

  const stored = () => countRows(handle.db, 'SELECT count(*) FROM confirmations');

  /** Sends the items as they are (sign them first with signRecordAs). */
  async function send(items: RecordItem[], by = station): Promise<ConfirmationResult[]> {
    const response = await signedRequest(server, by, { method: 'POST', url: '/api/v1/confirmations/batch', body: { confirmations: items } });
    expect(response.statusCode, response.body).toBe(200);
    return ConfirmationBatchReply.parse(json(response)).results;
  }

  async function listed() {
    const response = await adminRequest(server.app, 'GET', '/api/v1/admin/confirmations?point=P1');
    expect(response.statusCode, response.body).toBe(200);
    return ConfirmationListReply.parse(json(response)).confirmations;
  }

  function expectRefused(result: ConfirmationResult | undefined, code: string, message: string): void {
    expect(result?.status).toBe('invalid');
    expect(result?.error?.code).toBe(code);
    expect(result?.error?.message).toBe(message);
    expect(result?.error?.message).toMatch(HAN);
  }

  it('accepts a record signed by the sending station, keeps the signature, and the admin listing verifies it', async () => {
    const photo = randomBytes(1024);
    const put = await signedRequest(server, station, { method: 'PUT', url: `/api/v1/blobs/${sha256Hex(photo)}`, body: photo, contentType: 'image/jpeg' });
    expect(put.statusCode, put.body).toBe(200);
    const signed = signRecordAs(station, item(1, [sha256Hex(photo)]));
    expect(await send([signed])).toEqual([{ id: signed.id, status: 'accepted' }]);

    const { rows } = await handle.db.query('SELECT signature FROM confirmations WHERE id = $1', [signed.id]);
    expect(encodeRecordSignature(rows[0]?.['signature'] as Uint8Array)).toBe(signatureOf(signed));
    const [record] = await listed();
    expect(record).toMatchObject({ id: signed.id, signature: signatureOf(signed), signatureValid: true, unknownRules: false });

    // The same record again is a duplicate, and the stored record stays verifiable: altered in the database, it no longer verifies.
    expect((await send([signed]))[0]?.status).toBe('duplicate');
    await handle.db.query(`UPDATE confirmations SET content = jsonb_set(content, '{outcome}', '"rejected"') WHERE id = $1`, [signed.id]);
    expect((await listed())[0]).toMatchObject({ id: signed.id, signatureValid: false });
  });

  it('refuses an unsigned record as invalid with its own reason, storing nothing', async () => {
    const [result] = await send([item(2)]);
    expectRefused(result, 'BAD_SIGNATURE', zhCN.central.confirmations.unsigned);
    expect(await stored()).toBe(0);
  });

  it('refuses a bad signature (a byte changed, another key, content changed after signing, signed for another station) and stores the good record of the batch', async () => {
    const other = await enrollStation(server.app, 'P1', '2号工位');
    const oneByte = signRecordAs(station, item(3));
    const anotherKey = signRecordAs(station, item(4), { key: newKeyPair().privateKey });
    const signedThenChanged = signRecordAs(station, item(5));
    const changed = { ...signedThenChanged, content: { ...signedThenChanged.content, outcome: 'rejected' } };
    const addedBlob = { ...signRecordAs(station, item(6)), blobs: [sha256Hex('x')], content: { ...item(6).content, blobs: contentBlobs([sha256Hex('x')]) } };
    // Another enrolled station's genuine signature, sent by this one: it names the other station, not the sender.
    const othersRecord = signRecordAs(other, item(7));
    const notBase64 = { ...item(8), signature: '!'.repeat(86) };
    const tooShort = { ...item(9), signature: 'AAAA' };
    const good = signRecordAs(station, item(10));

    const bad = [{ ...oneByte, signature: flipped(signatureOf(oneByte), 17) }, anotherKey, changed, addedBlob, othersRecord, notBase64, tooShort];
    const results = await send([...bad, good]);
    for (const result of results.slice(0, bad.length)) expectRefused(result, 'BAD_SIGNATURE', zhCN.central.confirmations.badSignature);
    expect(results.map((r) => r.id)).toEqual([...bad, good].map((b) => b.id));
    expect(results.at(-1)).toEqual({ id: good.id, status: 'accepted' });
    expect(await stored()).toBe(1);
    // No reason echoes the record.
    expect(JSON.stringify(results)).not.toContain(good.citizenId.slice(6));

    // The other station's record is accepted when that station sends it.
    expect((await send([othersRecord], other))[0]?.status).toBe('accepted');
  });

  it('refuses a record whose content lists other blobs than the upload (signed as it is), storing nothing', async () => {
    const a = sha256Hex('a');
    const b = sha256Hex('b');
    const listedNotSent = signRecordAs(station, { ...item(11), content: { outcome: 'confirmed', blobs: contentBlobs([a]) } });
    const sentNotListed = signRecordAs(station, { ...item(12), blobs: [a] });
    const different = signRecordAs(station, { ...item(13, [a]), blobs: [b] });
    const malformed = signRecordAs(station, { ...item(14), content: { outcome: 'confirmed', blobs: [{ role: 'photo', sha256: 'not-a-hash' }] } });
    const results = await send([listedNotSent, sentNotListed, different, malformed]);
    for (const result of results) expectRefused(result, 'BLOB_LIST_MISMATCH', zhCN.central.confirmations.blobListMismatch);
    expect(await stored()).toBe(0);
    expect(await countRows(handle.db, 'SELECT count(*) FROM confirmation_blobs')).toBe(0);
  });

  it('accepts a record of an unknown rules version with a flag, a published or the built-in one without; a malformed version is invalid', async () => {
    const bundle: unknown = JSON.parse(readFileSync('server/sample-data/rules/nm-zsb-2027.json', 'utf8'));
    expect((await adminRequest(server.app, 'POST', '/api/v1/admin/points/P1/rules', bundle)).statusCode).toBe(201);
    const unknown = signRecordAs(station, item(15, [], { rulesVersion: 'NM-ZSB-2027.9' }));
    const builtin = signRecordAs(station, item(16, [], { rulesVersion: BUILTIN_RULES_VERSION }));
    const none = signRecordAs(station, item(17));
    const malformed = signRecordAs(station, item(18, [], { rulesVersion: 'NM 2027\n1' }));
    const published = signRecordAs(station, item(23, [], { rulesVersion: 'NM-ZSB-2027.1' }));
    const results = await send([unknown, builtin, none, malformed, published]);
    expect(results).toMatchObject([
      { id: unknown.id, status: 'accepted', unknownRules: true },
      { id: builtin.id, status: 'accepted' },
      { id: none.id, status: 'accepted' },
      {},
      { id: published.id, status: 'accepted' },
    ]);
    for (const i of [1, 2, 4]) expect(results[i]?.unknownRules).toBeUndefined();
    expectRefused(results[3], 'VALIDATION', zhCN.central.confirmations.rulesVersionInvalid);
    // A resend keeps telling the flag; the admin listing has it too.
    expect((await send([unknown]))[0]).toEqual({ id: unknown.id, status: 'duplicate', unknownRules: true });
    const { rows } = await handle.db.query('SELECT rules_version, unknown_rules FROM confirmations WHERE id = $1', [unknown.id]);
    expect(rows).toEqual([{ rules_version: 'NM-ZSB-2027.9', unknown_rules: true }]);
    const flags = Object.fromEntries((await listed()).map((r) => [r.id, r.unknownRules]));
    expect(flags).toEqual({ [unknown.id]: true, [builtin.id]: false, [none.id]: false, [published.id]: false });
  });

  it('checks the records of a handoff bundle the same way: a badly signed one is refused, the others stored', async () => {
    const response = await signedRequest(server, station, { method: 'GET', url: '/api/v1/handoff-key' });
    const serverKey = HandoffKeyInfo.parse(json(response));
    const photo = randomBytes(512);
    const good = item(19, [sha256Hex(photo)]);
    const forged = signRecordAs(station, item(20), { key: newKeyPair().privateKey });
    const unsigned = { ...item(21), signature: undefined };
    const mismatch = signRecordAs(station, { ...item(22), blobs: [sha256Hex(photo)] });
    const bytes = await bundleFor(station, serverKey.publicKey, { records: [good, forged, unsigned, mismatch], blobs: [blob(photo)] });

    const result = await importHandoffBundle(handle.db, bytes, server.clock.now);
    expect(result.results.map((r) => [r.status, r.error?.code])).toEqual([
      ['accepted', undefined],
      ['invalid', 'BAD_SIGNATURE'],
      ['invalid', 'BAD_SIGNATURE'],
      ['invalid', 'BLOB_LIST_MISMATCH'],
    ]);
    expect(result.results[2]?.error?.message).toBe(zhCN.central.confirmations.unsigned);
    expect(result.records).toMatchObject({ total: 4, accepted: 1, invalid: 3 });
    const { rows } = await handle.db.query('SELECT id FROM confirmations');
    expect(rows).toEqual([{ id: good.id }]);
    expect((await listed())[0]).toMatchObject({ id: good.id, signatureValid: true });
  });
});
