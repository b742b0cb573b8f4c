import { randomUUID } from 'node:crypto';
import { beforeEach, expect, it } from 'vitest';
import { DayCloseReply } from '../../core/contract/day-close.js';
import { countRows, describeEachDatabase } from './support/databases.js';
import { type TestServer, type TestStation, createPoint, enrollStation, expectApiError, json, newKeyPair, signedRequest, startServer } from './support/harness.js';
import { signedDayClose } from './handoff-support.js';

describeEachDatabase('day close', (handle) => {
  let server: TestServer;
  let station: TestStation;

  beforeEach(async () => {
    server = startServer(handle.db);
    await createPoint(server.app, 'P1', '一号确认点');
    station = await enrollStation(server.app, 'P1');
  });

  const post = (body: unknown, by = station) => signedRequest(server, by, { method: 'POST', url: '/api/v1/day-closes', body });

  async function accepted(body: unknown): Promise<DayCloseReply> {
    const response = await post(body);
    expect(response.statusCode, response.body).toBe(200);
    return DayCloseReply.parse(json(response));
  }

  it('stores a signed day close once; the same record again is a duplicate', async () => {
    const close = signedDayClose(station, {}, [randomUUID(), randomUUID()]);
    expect(await accepted(close)).toEqual({ id: close.record.id, status: 'stored', version: 1 });
    expect(await accepted(close)).toEqual({ id: close.record.id, status: 'duplicate', version: 1 });
    expect(await countRows(handle.db, 'SELECT count(*) FROM day_closes')).toBe(1);
    const { rows } = await handle.db.query('SELECT record, received_via FROM day_closes');
    expect(rows[0]).toEqual({ record: close.record, received_via: 'online' });
  });

  it('keeps a later close of the same day as the next version; another day starts at 1', async () => {
    expect((await accepted(signedDayClose(station))).version).toBe(1);
    expect((await accepted(signedDayClose(station, { counts: { total: 3, confirmed: 3, rejected: 0, acknowledged: 3, handedOff: 0 } }))).version).toBe(2);
    expect((await accepted(signedDayClose(station, { day: '2026-11-25' }))).version).toBe(1);
  });

  it('refuses the same id with other content as a conflict', async () => {
    const close = signedDayClose(station);
    await accepted(close);
    const changed = signedDayClose(station, { id: close.record.id, counts: { ...close.record.counts, total: 99, confirmed: 99 } });
    expectApiError(await post(changed), 409, 'INVALID_STATE');
  });

  it('refuses a record whose signature is not the station key, or that names another station', async () => {
    const close = signedDayClose(station);
    const other = signedDayClose({ ...station, ...newKeyPair() });
    expectApiError(await post({ ...close, signature: other.signature }), 401, 'BAD_SIGNATURE');
    const tampered = { ...close, record: { ...close.record, counts: { ...close.record.counts, rejected: 5 } } };
    expectApiError(await post(tampered), 401, 'BAD_SIGNATURE');

    const second = await enrollStation(server.app, 'P1', '2号工位');
    // Signed properly by the second station, but naming the first: delivered by the second.
    const foreign = signedDayClose(second, { stationId: station.id });
    expectApiError(await post(foreign, second), 400, 'VALIDATION');
    expectApiError(await post({ record: close.record }), 400, 'VALIDATION');
    expect(await countRows(handle.db, 'SELECT count(*) FROM day_closes')).toBe(0);
  });
});
