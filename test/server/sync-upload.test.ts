import { randomBytes, randomUUID } from 'node:crypto';
import { beforeEach, expect, it } from 'vitest';
import {
  BlobPutReply,
  ConfirmationBatchReply,
  ConfirmationListReply,
  MAX_BLOB_BYTES,
} from '../../core/contract/central-api.js';
import { countRows, describeEachDatabase } from './support/databases.js';
import {
  type TestServer,
  type TestStation,
  adminRequest,
  citizenId,
  contentBlobs,
  createPoint,
  enrollStation,
  expectApiError,
  json,
  sha256Hex,
  signRecordAs,
  signedRequest,
  startServer,
} from './support/harness.js';

interface Item {
  [key: string]: unknown;
  id: string;
  citizenId: string;
  content: Record<string, unknown>;
  blobs: string[];
}

function item(n: number, blobs: string[] = [], content: Record<string, unknown> = {}): Item {
  return { id: randomUUID(), citizenId: citizenId(n), content: { result: 'confirmed', step: 'done', n, blobs: contentBlobs(blobs), ...content }, blobs };
}

describeEachDatabase('blob and confirmation upload', (handle) => {
  let server: TestServer;
  let station: TestStation;

  beforeEach(async () => {
    server = startServer(handle.db);
    await createPoint(server.app, 'P1', '一号确认点');
    station = await enrollStation(server.app, 'P1');
  });

  function putBlob(bytes: Buffer, hash = sha256Hex(bytes), contentType = 'image/jpeg', by = station) {
    return signedRequest(server, by, { method: 'PUT', url: `/api/v1/blobs/${hash}`, body: bytes, contentType });
  }

  /** Each item signed by the sending station's host, as on a station. */
  async function upload(items: Item[], by = station): Promise<ConfirmationBatchReply['results']> {
    const confirmations = items.map((one) => signRecordAs(by, one));
    const response = await signedRequest(server, by, { method: 'POST', url: '/api/v1/confirmations/batch', body: { confirmations } });
    expect(response.statusCode, response.body).toBe(200);
    return ConfirmationBatchReply.parse(json(response)).results;
  }

  it('store a blob after checking its hash; the same bytes again are a 200 without a second row', async () => {
    const bytes = randomBytes(60 * 1024);
    const first = await putBlob(bytes);
    expect(first.statusCode, first.body).toBe(200);
    expect(BlobPutReply.parse(json(first))).toEqual({ sha256: sha256Hex(bytes), size: bytes.length, created: true });
    const again = await putBlob(bytes);
    expect(again.statusCode).toBe(200);
    expect(BlobPutReply.parse(json(again)).created).toBe(false);
    expect(await countRows(handle.db, 'SELECT count(*) FROM blobs')).toBe(1);
  });

  it('refuse a blob whose bytes do not hash to its address, an empty one, an unknown type and one over 2 MB', async () => {
    const bytes = randomBytes(1024);
    expectApiError(await putBlob(bytes, sha256Hex(randomBytes(8))), 400, 'BLOB_HASH_MISMATCH');
    expectApiError(await putBlob(Buffer.alloc(0), sha256Hex(Buffer.alloc(0))), 400, 'VALIDATION');
    expectApiError(await putBlob(bytes, sha256Hex(bytes), 'text/html'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    const big = randomBytes(MAX_BLOB_BYTES + 1);
    expectApiError(await putBlob(big), 413, 'PAYLOAD_TOO_LARGE');
    const exactly = randomBytes(MAX_BLOB_BYTES);
    expect((await putBlob(exactly)).statusCode).toBe(200);
    expect(await countRows(handle.db, 'SELECT count(*) FROM blobs')).toBe(1);
  });

  it('accept a batch once; the same batch again yields duplicates and still exactly one row per id', async () => {
    const photo = randomBytes(2048);
    await putBlob(photo);
    const batch = [item(1, [sha256Hex(photo)]), item(2), item(3)];
    expect((await upload(batch)).map((r) => [r.id, r.status])).toEqual(batch.map((b) => [b.id, 'accepted']));
    expect((await upload(batch)).map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    // Key order in the content does not make it different content.
    const reordered = batch.map((b) => ({ blobs: b.blobs, content: Object.fromEntries(Object.entries(b.content).reverse()), citizenId: b.citizenId, id: b.id }));
    expect((await upload(reordered)).map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);

    for (const b of batch) {
      expect(await countRows(handle.db, 'SELECT count(*) FROM confirmations WHERE id = $1', [b.id])).toBe(1);
    }
    expect(await countRows(handle.db, 'SELECT count(*) FROM confirmations')).toBe(3);
    expect(await countRows(handle.db, 'SELECT count(*) FROM confirmation_blobs')).toBe(1);
  });

  it('store one row per id when the same batch is sent several times at once', async () => {
    const batch = Array.from({ length: 20 }, (_, i) => item(i + 1));
    const replies = await Promise.all([upload(batch), upload(batch), upload(batch)]);
    for (let i = 0; i < batch.length; i++) {
      const statuses = replies.map((results) => results[i]?.status).sort();
      expect(statuses).toEqual(['accepted', 'duplicate', 'duplicate']);
    }
    expect(await countRows(handle.db, 'SELECT count(*) FROM confirmations')).toBe(20);
  });

  it('reject the same id with different content as a conflict and keep the first content', async () => {
    const original = item(1);
    await upload([original]);
    const changed = { ...original, content: { ...original.content, result: 'rejected' } };
    const [result] = await upload([changed]);
    expect(result?.status).toBe('conflict');
    expect(result?.error?.message).toMatch(/[\u4e00-\u9fff]/u);
    // Another station reusing the id is a conflict too, even with identical content.
    const other = await enrollStation(server.app, 'P1', '2号工位');
    expect((await upload([original], other))[0]?.status).toBe('conflict');
    const { rows } = await handle.db.query('SELECT content FROM confirmations WHERE id = $1', [original.id]);
    expect(rows).toEqual([{ content: original.content }]);
  });

  it('flag a candidate confirmed at a second station (accepted), also when that upload is retried', async () => {
    await createPoint(server.app, 'P2', '二号确认点');
    const second = await enrollStation(server.app, 'P2');
    const here = item(5);
    const there = item(5);
    expect((await upload([here]))[0]).toEqual({ id: here.id, status: 'accepted' });
    // A second record (a correction) from the same station is not cross-station.
    expect((await upload([item(5)]))[0]?.crossStation).toBeUndefined();
    expect((await upload([there], second))[0]).toEqual({ id: there.id, status: 'accepted', crossStation: true });
    expect((await upload([there], second))[0]).toEqual({ id: there.id, status: 'duplicate', crossStation: true });
    expect(await countRows(handle.db, 'SELECT count(*) FROM confirmations WHERE cross_station_conflict')).toBe(1);
  });

  it('answer missing-blobs (nothing stored) until the blobs arrive, then accept', async () => {
    const photo = randomBytes(4096);
    const fingerprint = randomBytes(512);
    const withBlobs = item(7, [sha256Hex(photo), sha256Hex(fingerprint)]);
    await putBlob(photo);
    const [first] = await upload([withBlobs]);
    expect(first?.status).toBe('missing-blobs');
    expect(first?.missingBlobs).toEqual([sha256Hex(fingerprint)]);
    expect(await countRows(handle.db, 'SELECT count(*) FROM confirmations')).toBe(0);
    await putBlob(fingerprint, undefined, 'application/octet-stream');
    expect((await upload([withBlobs]))[0]?.status).toBe('accepted');
    expect(await countRows(handle.db, 'SELECT count(*) FROM confirmation_blobs')).toBe(2);
  });

  it('answer invalid items on their own and store the valid ones of the same batch', async () => {
    const good = item(1);
    const badId = { ...item(2), citizenId: '410105200303140000' };
    const extra = { ...item(3), sneaky: true };
    const results = await upload([good, badId, extra]);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'invalid', 'invalid']);
    expect(results[1]?.error?.code).toBe('VALIDATION');
    expect(JSON.stringify(results)).not.toContain('410105200303140000');
    expect(await countRows(handle.db, 'SELECT count(*) FROM confirmations')).toBe(1);
  });

  it('refuse malformed batches with 400 VALIDATION and oversized ones with 413', async () => {
    const send = (body: unknown) => signedRequest(server, station, { method: 'POST', url: '/api/v1/confirmations/batch', body });
    expectApiError(await send({ confirmations: [] }), 400, 'VALIDATION');
    expectApiError(await send({ confirmations: Array.from({ length: 201 }, (_, i) => item(i)) }), 400, 'VALIDATION');
    expectApiError(await send({ confirmations: [{ citizenId: citizenId(1) }] }), 400, 'VALIDATION');
    expectApiError(await send({ confirmations: [{ ...item(1), id: 'not-a-uuid' }] }), 400, 'VALIDATION');
    expectApiError(await send([item(1)]), 400, 'VALIDATION');
    expectApiError(await send({ confirmations: [item(1)], more: 1 }), 400, 'VALIDATION');
    const proto = Buffer.from(`{"confirmations":[${JSON.stringify(item(1))}],"__proto__":{"x":1}}`);
    expectApiError(await send(proto), 400, 'VALIDATION');
    const huge = { confirmations: [item(1, [], { padding: 'x'.repeat(4 * 1024 * 1024) })] };
    expectApiError(await send(huge), 413, 'PAYLOAD_TOO_LARGE');
    expect(await countRows(handle.db, 'SELECT count(*) FROM confirmations')).toBe(0);
  });

  it('list confirmations by point and China-time day for admins', async () => {
    const morning = item(1);
    await upload([morning]);
    server.clock.advance(16 * 60 * 60 * 1000); // 09:00 + 16 h = 01:00 the next day in China
    const nextDay = item(2);
    await upload([nextDay]);

    const list = async (query: string) => {
      const response = await adminRequest(server.app, 'GET', `/api/v1/admin/confirmations?${query}`);
      expect(response.statusCode, response.body).toBe(200);
      return ConfirmationListReply.parse(json(response));
    };
    expect((await list('point=P1&day=2026-11-24')).confirmations.map((c) => c.id)).toEqual([morning.id]);
    expect((await list('point=P1&day=2026-11-25')).confirmations.map((c) => c.id)).toEqual([nextDay.id]);
    const all = await list('point=P1');
    expect(all.confirmations.map((c) => c.id)).toEqual([morning.id, nextDay.id]);
    expect(all.confirmations[0]).toMatchObject({ stationId: station.id, stationName: '1号工位', citizenId: morning.citizenId, content: morning.content });
    expect(await list('point=P1&limit=1')).toMatchObject({ truncated: true });
    expectApiError(await adminRequest(server.app, 'GET', '/api/v1/admin/confirmations?point=P1&day=2026-13-01'), 400, 'VALIDATION');
    expectApiError(await adminRequest(server.app, 'GET', '/api/v1/admin/confirmations?point=NOPE'), 404, 'NOT_FOUND');
  });
});
