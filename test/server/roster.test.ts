import { beforeEach, expect, it } from 'vitest';
import { RosterDeltaReply, RosterImportReply } from '../../core/contract/central-api.js';
import { countRows, describeEachDatabase } from './support/databases.js';
import {
  HAN,
  PHOTO_SVG,
  type TestServer,
  type TestStation,
  adminRequest,
  citizenId,
  createPoint,
  enrollStation,
  expectApiError,
  json,
  rosterRows,
  sha256Hex,
  signedRequest,
  startServer,
} from './support/harness.js';

const POINT = '一号确认点';

async function importRows(server: TestServer, rows: unknown[], query = '') {
  return adminRequest(server.app, 'POST', `/api/v1/admin/points/P1/roster${query}`, rows);
}

async function page(server: TestServer, station: TestStation, cursor: string, limit: number): Promise<RosterDeltaReply> {
  const response = await signedRequest(server, station, { method: 'GET', url: `/api/v1/roster?cursor=${cursor}&limit=${limit}` });
  expect(response.statusCode, response.body).toBe(200);
  return RosterDeltaReply.parse(json(response));
}

describeEachDatabase('roster import and delta download', (handle) => {
  let server: TestServer;
  let station: TestStation;

  beforeEach(async () => {
    server = startServer(handle.db);
    await createPoint(server.app, 'P1', POINT);
    station = await enrollStation(server.app, 'P1');
  });

  it('import nothing from a file with bad rows and report each by row number with Chinese reasons', async () => {
    const rows: unknown[] = rosterRows(6, POINT);
    const badCheckDigit = citizenId(2).slice(0, 17) + (citizenId(2).endsWith('0') ? '1' : '0');
    rows[1] = { ...(rows[1] as object), citizenId: badCheckDigit };
    rows[2] = { ...(rows[2] as object), confirmationPoint: '别的确认点' };
    rows[3] = { ...(rows[3] as object), citizenId: citizenId(1) }; // duplicate of row 1
    rows[4] = { ...(rows[4] as object), sex: 'x', name: undefined, nickname: '小明' };
    rows.push('not a row');

    const response = await importRows(server, rows);
    const error = expectApiError(response, 422, 'ROSTER_INVALID');
    const bad = error.badRows ?? [];
    expect(bad.map((b) => b.row)).toEqual([2, 3, 4, 5, 7]);
    for (const b of bad) for (const reason of b.reasons) expect(reason).toMatch(HAN);
    expect(bad[0]?.reasons.join()).toContain('校验位');
    expect(bad[2]?.reasons.join()).toContain('第 1 行');
    expect(bad[3]?.reasons.length).toBe(3); // sex, missing name, unknown column
    // The report never repeats a row's values.
    expect(response.body).not.toContain(badCheckDigit);
    expect(response.body).not.toContain('小明');
    expect(await countRows(handle.db, 'SELECT count(*) FROM roster_entries')).toBe(0);

    const skipped = await importRows(server, rows, '?skipBad=1');
    expect(skipped.statusCode, skipped.body).toBe(200);
    const report = RosterImportReply.parse(json(skipped));
    expect(report).toMatchObject({ rows: 7, inserted: 2, updated: 0, unchanged: 0, skipped: 5 });
    expect(await countRows(handle.db, 'SELECT count(*) FROM roster_entries')).toBe(2);
  });

  it('refuse a body that is not an array, and unknown points', async () => {
    expectApiError(await importRows(server, { entries: [] } as unknown as unknown[]), 400, 'VALIDATION');
    expectApiError(await adminRequest(server.app, 'POST', '/api/v1/admin/points/NOPE/roster', rosterRows(1, POINT)), 404, 'NOT_FOUND');
  });

  it('page through the delta by cursor and pick up rows changed by a re-import mid-download', async () => {
    const rows = rosterRows(7, POINT);
    const first = RosterImportReply.parse(json(await importRows(server, rows)));
    expect(first).toMatchObject({ rows: 7, inserted: 7, updated: 0, unchanged: 0 });

    const p1 = await page(server, station, '', 3);
    expect(p1.entries.map((e) => e.citizenId)).toEqual(rows.slice(0, 3).map((r) => r.citizenId));
    expect(p1.done).toBe(false);
    // The whole download, told up front so the station can show a fraction.
    expect(p1.remaining).toBe(7);

    // Re-import while the station is between pages: row 2 (already downloaded) and row 6 (not yet) change.
    const changed = rows.map((r, i) => (i === 1 ? { ...r, phone: '13900000000' } : i === 5 ? { ...r, major: '软件工程' } : r));
    const second = RosterImportReply.parse(json(await importRows(server, changed)));
    expect(second).toMatchObject({ inserted: 0, updated: 2, unchanged: 5 });
    // Row 2 changed again after it was sent: it comes again, so 5 rows remain after the first page.
    expect((await page(server, station, p1.nextCursor, 3)).remaining).toBe(5);

    const seen = new Map(p1.entries.map((e) => [e.citizenId, e]));
    let cursor = p1.nextCursor;
    let pages = 1;
    for (;;) {
      const next = await page(server, station, cursor, 3);
      pages += 1;
      for (const e of next.entries) seen.set(e.citizenId, e);
      expect(BigInt(next.nextCursor) >= BigInt(cursor)).toBe(true);
      cursor = next.nextCursor;
      if (next.done) break;
    }
    expect(pages).toBe(3);
    expect(seen.size).toBe(7);
    expect(seen.get(rows[1]?.citizenId ?? '')?.phone).toBe('13900000000');
    expect(seen.get(rows[5]?.citizenId ?? '')?.major).toBe('软件工程');

    // Caught up: an empty page keeps the cursor; an unchanged re-import bumps nothing.
    const idle = await page(server, station, cursor, 3);
    expect(idle).toEqual({ entries: [], nextCursor: cursor, done: true, remaining: 0 });
    expect(RosterImportReply.parse(json(await importRows(server, changed)))).toMatchObject({ updated: 0, unchanged: 7 });
    expect((await page(server, station, cursor, 3)).entries).toEqual([]);
  });

  it('send photos by content hash, readable only by stations of the same point', async () => {
    const photoBytes = Buffer.from(PHOTO_SVG, 'base64');
    const hash = sha256Hex(photoBytes);
    await importRows(server, rosterRows(3, POINT));
    const delta = await page(server, station, '0', 10);
    expect(delta.entries.map((e) => e.photoSha256)).toEqual([hash, hash, undefined]);
    expect(delta.entries[0]).not.toHaveProperty('photo');
    expect(delta.entries[0]?.confirmationPoint).toBe(POINT);

    const blob = await signedRequest(server, station, { method: 'GET', url: `/api/v1/blobs/${hash}` });
    expect(blob.statusCode).toBe(200);
    expect(blob.headers['content-type']).toBe('image/svg+xml');
    expect(blob.headers['content-security-policy']).toContain('sandbox');
    expect(blob.rawPayload.equals(photoBytes)).toBe(true);

    await createPoint(server.app, 'P2', '二号确认点');
    const stranger = await enrollStation(server.app, 'P2');
    expectApiError(await signedRequest(server, stranger, { method: 'GET', url: `/api/v1/blobs/${hash}` }), 404, 'NOT_FOUND');
    expectApiError(await signedRequest(server, station, { method: 'GET', url: `/api/v1/blobs/${'0'.repeat(64)}` }), 404, 'NOT_FOUND');
    expectApiError(await signedRequest(server, station, { method: 'GET', url: '/api/v1/blobs/XYZ' }), 400, 'VALIDATION');
    // The other point's station sees none of P1's roster.
    expect((await page(server, stranger, '0', 10)).entries).toEqual([]);
  });

  it('refuse bad cursors and limits with 400 VALIDATION', async () => {
    for (const query of ['cursor=abc', 'cursor=-1', 'limit=0', 'limit=5000', 'limit=x', 'other=1']) {
      const response = await signedRequest(server, station, { method: 'GET', url: `/api/v1/roster?${query}` });
      expectApiError(response, 400, 'VALIDATION');
    }
  });
});
