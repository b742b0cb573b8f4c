import { beforeEach, expect, it } from 'vitest';
import { auditChain } from '../unit/core/audit-fixtures.js';
import { runAuditVerify } from '../../scripts/lib/audit-verify-cli.js';
import { describeEachDatabase } from './support/databases.js';
import { type TestServer, type TestStation, createPoint, enrollStation, signedRequest, startServer } from './support/harness.js';

describeEachDatabase('audit:verify --station against the server database', (handle) => {
  let server: TestServer;
  let station: TestStation;

  beforeEach(async () => {
    server = startServer(handle.db);
    await createPoint(server.app, 'P1', '一号确认点');
    station = await enrollStation(server.app, 'P1');
  });

  const upload = async (entries: unknown[]) => {
    const response = await signedRequest(server, station, { method: 'POST', url: '/api/v1/station/audit', body: { entries } });
    expect(response.statusCode, response.body).toBe(200);
  };

  async function verify(stationId: string) {
    const out: string[] = [];
    const err: string[] = [];
    // The test's database stays open: the CLI closes only what it opened.
    const code = await runAuditVerify(['--station', stationId], {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      env: {},
      openDb: async () => ({ db: handle.db, close: async () => undefined }),
    });
    return { code, out, err };
  }

  it('prints OK for a station whose stored chain verifies', async () => {
    await upload(auditChain(4, { fields: (i) => ({ kind: 'card-read', count: i }) }));
    expect(await verify(station.id)).toEqual({ code: 0, out: ['OK: 4 entries'], err: [] });
  });

  it('prints the first broken link of the stored chain, and what the server flagged on arrival', async () => {
    const entries = auditChain(5, { fields: (i) => ({ kind: 'card-read', count: i }) });
    await upload(entries.filter((e) => e.seq !== 3));
    const result = await verify(station.id);
    expect(result.code).toBe(1);
    expect(result.out[0]).toBe('BROKEN at seq 3: removed (expected seq 3, found seq 4); 2 entries before it verified');
    expect(result.out.slice(1)).toEqual(['the server flagged 1 break(s) when entries arrived:', expect.stringMatching(/^ {2}seq 3: removed at 20/)]);
  });

  it('finds an entry changed in the server database afterwards', async () => {
    await upload(auditChain(3, { fields: (i) => ({ kind: 'card-read', count: i }) }));
    await handle.db.query(`UPDATE audit_entries SET entry = jsonb_set(entry, '{count}', '7') WHERE seq = 2`);
    expect((await verify(station.id)).out[0]).toMatch(/^BROKEN at seq 2: changed/);
  });

  it('exits 2 for a station the server does not know', async () => {
    expect(await verify('123e4567-e89b-42d3-a456-426614174000')).toMatchObject({ code: 2, out: [], err: [expect.stringMatching(/no station/)] });
  });
});
