import { expect, it } from 'vitest';
import { runAdminCommand } from '../../server/admin/commands.js';
import { normalizeEnrollmentCode } from '../../server/services/enrollment.js';
import { countRows, describeEachDatabase } from './support/databases.js';
import {
  HAN,
  adminRequest,
  createPoint,
  enrollRequest,
  expectApiError,
  issueCode,
  json,
  newKeyPair,
  startServer,
} from './support/harness.js';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describeEachDatabase('enrollment and admin', (handle) => {
  it('enroll a station with a fresh code, store only the code hash, and name the point', async () => {
    const { app } = startServer(handle.db);
    await createPoint(app, 'ZZ-JS-01', '郑州市金水区现场确认点');
    const code = await issueCode(app, 'ZZ-JS-01');
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);

    const keys = newKeyPair();
    const response = await enrollRequest(app, { code, pointCode: 'ZZ-JS-01', stationName: '3号工位', publicKey: b64(keys.publicKeyRaw) });
    expect(response.statusCode, response.body).toBe(201);
    const body = json(response) as { stationId: string; pointCode: string; pointName: string };
    expect(body.pointCode).toBe('ZZ-JS-01');
    expect(body.pointName).toBe('郑州市金水区现场确认点');

    const { rows } = await handle.db.query('SELECT point_code, name, public_key FROM stations WHERE id = $1', [body.stationId]);
    expect(rows[0]?.['name']).toBe('3号工位');
    expect([...(rows[0]?.['public_key'] as Uint8Array)]).toEqual([...keys.publicKeyRaw]);
    // The plain code is nowhere in the database.
    const stored = await handle.db.query("SELECT encode(code_hash, 'hex') AS h FROM enrollment_codes");
    expect(JSON.stringify(stored.rows)).not.toContain(normalizeEnrollmentCode(code));
  });

  it('accept the code typed in lower case, with spaces, and with O/I for 0/1', async () => {
    const { app } = startServer(handle.db);
    await createPoint(app, 'P1');
    const code = await issueCode(app, 'P1');
    const typed = ` ${code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'i')} `;
    const response = await enrollRequest(app, { code: typed, pointCode: 'P1', stationName: 'A', publicKey: b64(newKeyPair().publicKeyRaw) });
    expect(response.statusCode, response.body).toBe(201);
  });

  it('refuse a wrong code, a code of another point, an expired code and a used code', async () => {
    const { app, clock } = startServer(handle.db);
    await createPoint(app, 'P1');
    await createPoint(app, 'P2');
    const key = b64(newKeyPair().publicKeyRaw);

    const wrong = await enrollRequest(app, { code: 'AAAA-BBBB-CCCC', pointCode: 'P1', stationName: 'A', publicKey: key });
    expectApiError(wrong, 403, 'ENROLLMENT_CODE_INVALID');

    const forP2 = await issueCode(app, 'P2');
    const otherPoint = await enrollRequest(app, { code: forP2, pointCode: 'P1', stationName: 'A', publicKey: key });
    expectApiError(otherPoint, 403, 'ENROLLMENT_CODE_INVALID');

    const shortLived = await issueCode(app, 'P1', 30);
    clock.advance(31 * 60_000);
    const expired = await enrollRequest(app, { code: shortLived, pointCode: 'P1', stationName: 'A', publicKey: key });
    expectApiError(expired, 410, 'ENROLLMENT_CODE_EXPIRED');

    const once = await issueCode(app, 'P1');
    const first = await enrollRequest(app, { code: once, pointCode: 'P1', stationName: 'A', publicKey: key });
    expect(first.statusCode).toBe(201);
    const again = await enrollRequest(app, { code: once, pointCode: 'P1', stationName: 'B', publicKey: b64(newKeyPair().publicKeyRaw) });
    expectApiError(again, 409, 'ENROLLMENT_CODE_USED');

    expect(await countRows(handle.db, 'SELECT count(*) FROM stations')).toBe(1);
    // The refused attempts left the code of P2 unused.
    const p2 = await enrollRequest(app, { code: forP2, pointCode: 'P2', stationName: 'A', publicKey: key });
    expect(p2.statusCode).toBe(201);
  });

  it('let only one of two simultaneous enrollments with the same code succeed', async () => {
    const { app } = startServer(handle.db);
    await createPoint(app, 'P1');
    const code = await issueCode(app, 'P1');
    const attempts = await Promise.all(
      [1, 2, 3].map((n) => enrollRequest(app, { code, pointCode: 'P1', stationName: `${n}号`, publicKey: b64(newKeyPair().publicKeyRaw) })),
    );
    expect(attempts.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    expect(await countRows(handle.db, 'SELECT count(*) FROM stations')).toBe(1);
  });

  it('answer malformed enrollment bodies with 400 VALIDATION and consume no code', async () => {
    const { app } = startServer(handle.db);
    await createPoint(app, 'P1');
    const code = await issueCode(app, 'P1');
    const key = b64(newKeyPair().publicKeyRaw);
    const cases: unknown[] = [
      { code, pointCode: 'P1', stationName: 'A' },
      { code, pointCode: 'P1', stationName: 'A', publicKey: b64(new Uint8Array(31)) },
      { code, pointCode: 'P1', stationName: 'A', publicKey: 'not base64!' },
      { code, pointCode: 'p1', stationName: 'A', publicKey: key },
      { code, pointCode: 'P1', stationName: '', publicKey: key },
      { code, pointCode: 'P1', stationName: 'A', publicKey: key, extra: 1 },
      [code],
    ];
    for (const payload of cases) {
      const response = await app.inject({ method: 'POST', url: '/api/v1/enroll', payload: payload as object });
      const error = expectApiError(response, 400, 'VALIDATION');
      expect(error.detail).toBeDefined();
    }
    const notJson = await app.inject({ method: 'POST', url: '/api/v1/enroll', headers: { 'content-type': 'application/json' }, payload: '{"code": 41010' });
    expectApiError(notJson, 400, 'VALIDATION');
    const ok = await enrollRequest(app, { code, pointCode: 'P1', stationName: 'A', publicKey: key });
    expect(ok.statusCode).toBe(201);
  });

  it('guard the admin API: token required, wrong token refused, no token configured means off', async () => {
    const { app } = startServer(handle.db);
    const none = await app.inject({ method: 'POST', url: '/api/v1/admin/points', payload: { code: 'P1', name: '一' } });
    expectApiError(none, 401, 'UNAUTHORIZED');
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/points',
      headers: { authorization: 'Bearer nope' },
      payload: { code: 'P1', name: '一' },
    });
    expectApiError(wrong, 401, 'UNAUTHORIZED');
    const remote = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/points',
      remoteAddress: '10.1.2.3',
      headers: { authorization: 'Bearer test-admin-token-0123456789' },
      payload: { code: 'P1', name: '一' },
    });
    expectApiError(remote, 403, 'ACCESS_DENIED');
    const off = startServer(handle.db, { adminToken: undefined });
    const disabled = await adminRequest(off.app, 'POST', '/api/v1/admin/points', { code: 'P1', name: '一' });
    expectApiError(disabled, 403, 'ACCESS_DENIED');
    expect(await countRows(handle.db, 'SELECT count(*) FROM points')).toBe(0);
  });

  it('create points once (409 POINT_EXISTS after) and issue codes only for existing points', async () => {
    const { app } = startServer(handle.db);
    await createPoint(app, 'P1');
    expectApiError(await adminRequest(app, 'POST', '/api/v1/admin/points', { code: 'P1', name: '重复' }), 409, 'POINT_EXISTS');
    expectApiError(await adminRequest(app, 'POST', '/api/v1/admin/points/NOPE/enrollment-codes'), 404, 'NOT_FOUND');
    expectApiError(await adminRequest(app, 'POST', '/api/v1/admin/points/P1/enrollment-codes', { ttlMinutes: 0 }), 400, 'VALIDATION');
    expectApiError(await adminRequest(app, 'POST', '/api/v1/admin/points', { code: 'bad code', name: 'x' }), 400, 'VALIDATION');
  });

  it('run the admin CLI commands against the database: create point, issue code, revoke station', async () => {
    const lines: string[] = [];
    const { app, clock } = startServer(handle.db);
    const deps = { db: handle.db, now: clock.now, out: (line: string) => lines.push(line) };
    expect(await runAdminCommand(['create-point', 'CLI-01', '命令行确认点'], deps)).toBe(0);
    expect(await runAdminCommand(['create-point', 'CLI-01', 'again'], deps)).toBe(1);
    expect(lines.at(-1)).toMatch(HAN);
    expect(lines.at(-1)).toContain('POINT_EXISTS');

    expect(await runAdminCommand(['issue-code', 'CLI-01', '--ttl-minutes', '60'], deps)).toBe(0);
    const code = lines.at(-1) ?? '';
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    const enrolled = await enrollRequest(app, { code, pointCode: 'CLI-01', stationName: 'A', publicKey: b64(newKeyPair().publicKeyRaw) });
    expect(enrolled.statusCode).toBe(201);
    const stationId = (json(enrolled) as { stationId: string }).stationId;

    expect(await runAdminCommand(['revoke-station', stationId], deps)).toBe(0);
    const { rows } = await handle.db.query('SELECT revoked_at FROM stations WHERE id = $1', [stationId]);
    expect(rows[0]?.['revoked_at']).toBeInstanceOf(Date);
    expect(await runAdminCommand(['revoke-station', 'not-a-uuid'], deps)).toBe(1);
    expect(await runAdminCommand(['issue-code', 'NOPE'], deps)).toBe(1);
    expect(await runAdminCommand(['frobnicate'], deps)).toBe(2);
  });
});
