import { beforeEach, expect, it } from 'vitest';
import { entryHash, verifyChain } from '../../core/audit/audit-chain.js';
import { auditChain as chain } from '../unit/core/audit-fixtures.js';
import { AuditBatchReply } from '../../core/contract/central-api.js';
import { listAuditBreaks, readStationAudit } from '../../server/services/audit.js';
import { countRows, describeEachDatabase } from './support/databases.js';
import { type TestServer, type TestStation, createPoint, enrollStation, expectApiError, json, signedRequest, startServer } from './support/harness.js';

describeEachDatabase('audit chain upload', (handle) => {
  let server: TestServer;
  let station: TestStation;

  beforeEach(async () => {
    server = startServer(handle.db);
    await createPoint(server.app, 'P1', '一号确认点');
    station = await enrollStation(server.app, 'P1');
  });

  async function upload(entries: unknown[], by = station): Promise<AuditBatchReply> {
    const response = await signedRequest(server, by, { method: 'POST', url: '/api/v1/station/audit', body: { entries } });
    expect(response.statusCode, response.body).toBe(200);
    return AuditBatchReply.parse(json(response));
  }

  it('stores a batch once: the same batch again is all duplicates', async () => {
    const entries = chain(5);
    expect(await upload(entries)).toEqual({ stored: 5, duplicates: 0, lastSeq: 5, breaks: [] });
    expect(await upload(entries)).toEqual({ stored: 0, duplicates: 5, lastSeq: 5, breaks: [] });
    expect(await countRows(handle.db, 'SELECT count(*) FROM audit_entries')).toBe(5);
    expect(await countRows(handle.db, 'SELECT count(*) FROM audit_breaks')).toBe(0);
    // Stored as sent: the chain read back from jsonb verifies from its first entry.
    expect(verifyChain(await readStationAudit(handle.db, station.id))).toMatchObject({ ok: true, count: 5 });
  });

  it('verifies each batch as the continuation of what it holds, overlapping resends included', async () => {
    const entries = chain(8);
    await upload(entries.slice(0, 3));
    expect(await upload(entries.slice(1, 6))).toEqual({ stored: 3, duplicates: 2, lastSeq: 6, breaks: [] });
    expect(await upload(entries.slice(6))).toMatchObject({ stored: 2, lastSeq: 8, breaks: [] });
  });

  it('flags a removed entry between batches and keeps checking from there', async () => {
    const entries = chain(8);
    await upload(entries.slice(0, 3));
    const reply = await upload(entries.slice(4));
    expect(reply.stored).toBe(4);
    expect(reply.breaks).toEqual([{ seq: 4, reason: 'removed', detectedAt: server.clock.now().toISOString() }]);
    expect(await listAuditBreaks(handle.db, station.id)).toEqual([
      { seq: 4, reason: 'removed', detail: 'expected seq 4, found seq 5', detectedAt: server.clock.now() },
    ]);
    // The flag is recorded once, however often the station sends the same entries.
    await upload(entries.slice(4));
    expect(await countRows(handle.db, 'SELECT count(*) FROM audit_breaks')).toBe(1);
    expect(await countRows(handle.db, 'SELECT count(*) FROM audit_entries WHERE NOT link_ok')).toBe(1);
  });

  it('flags a changed entry, and an entry rewritten with a new hash where the next link breaks', async () => {
    const entries = chain(6);
    const changed = entries.map((e) => (e.seq === 3 ? { ...e, kind: 'sign-out' } : e));
    expect((await upload(changed)).breaks.map((b) => [b.seq, b.reason])).toEqual([[3, 'changed']]);

    const other = await enrollStation(server.app, 'P1', '2号工位');
    const rewritten = entries.map((e) => {
      if (e.seq !== 3) return e;
      const content = { ...e, kind: 'sign-out' };
      return { ...content, hash: entryHash(content) };
    });
    expect((await upload(rewritten, other)).breaks.map((b) => [b.seq, b.reason])).toEqual([[4, 'bad-link']]);
  });

  it('flags other content at a seq it already holds as a conflict, and stores nothing for it', async () => {
    const entries = chain(4);
    await upload(entries);
    const rewritten = { ...entries[2]!, kind: 'approval' };
    const forged = { ...rewritten, hash: entryHash(rewritten) };
    const reply = await upload([forged]);
    expect(reply).toMatchObject({ stored: 0, duplicates: 0, breaks: [{ seq: 3, reason: 'conflict' }] });
    // Same hash, other content: a conflict too, not a duplicate.
    expect((await upload([{ ...entries[2]!, kind: 'approval' }])).breaks).toMatchObject([{ seq: 3, reason: 'conflict' }]);
    expect(await readStationAudit(handle.db, station.id)).toEqual(entries);
  });

  it('flags a malformed entry without failing the batch, and keeps chains of stations apart', async () => {
    const entries = chain(3);
    // The malformed seq 2 is not stored, so the chain the server holds also misses it.
    const reply = await upload([entries[0], { seq: 2, junk: true }, entries[2]]);
    expect(reply.stored).toBe(2);
    expect(reply.breaks.map((b) => [b.seq, b.reason])).toEqual([[2, 'malformed'], [2, 'removed']]);
    const other = await enrollStation(server.app, 'P1', '2号工位');
    expect(await upload(chain(2), other)).toMatchObject({ stored: 2, lastSeq: 2, breaks: [] });
  });

  it('refuses an unsigned or malformed envelope', async () => {
    expectApiError(await signedRequest(server, station, { method: 'POST', url: '/api/v1/station/audit', body: { entries: [] } }), 400, 'VALIDATION');
    const response = await server.app.inject({ method: 'POST', url: '/api/v1/station/audit', payload: { entries: chain(1) } });
    expect(response.statusCode).toBe(401);
  });
});
