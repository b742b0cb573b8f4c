import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { ConfirmationBatchReply, EnrollReply, HandoffKeyInfo } from '../../core/contract/central-api.js';
import { HandoffBundleError } from '../../core/handoff/bundle-error.js';
import { generateHandoffKeyPair } from '../../core/handoff/bundle.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { runAdminCommand } from '../../server/admin/commands.js';
import { type AuditStore, importHandoffBundle } from '../../server/services/handoff-import.js';
import { revokeStation } from '../../server/services/stations.js';
import { countRows, describeEachDatabase } from './support/databases.js';
import {
  type TestServer,
  type TestStation,
  createPoint,
  enrollRequest,
  enrollStation,
  issueCode,
  json,
  newKeyPair,
  sha256Hex,
  signRecordAs,
  signedRequest,
  startServer,
} from './support/harness.js';
import { blob, bundleFor, record, signedDayClose, stationSigner } from './handoff-support.js';

async function refusalOf(promise: Promise<unknown>): Promise<HandoffBundleError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HandoffBundleError);
  return error as HandoffBundleError;
}

describeEachDatabase('handoff bundle import', (handle) => {
  let server: TestServer;
  let station: TestStation;
  let serverKey: HandoffKeyInfo;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'handoff-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    server = startServer(handle.db);
    await createPoint(server.app, 'P1', '一号确认点');
    station = await enrollStation(server.app, 'P1');
    const response = await signedRequest(server, station, { method: 'GET', url: '/api/v1/handoff-key' });
    expect(response.statusCode, response.body).toBe(200);
    serverKey = HandoffKeyInfo.parse(json(response));
  });

  const importBytes = (bytes: Uint8Array) => importHandoffBundle(handle.db, bytes, server.clock.now);
  const confirmations = () => countRows(handle.db, 'SELECT count(*) FROM confirmations');
  const blobsStored = () => countRows(handle.db, 'SELECT count(*) FROM blobs');

  async function upload(items: Array<{ id: string } & Record<string, unknown>>) {
    const confirmations = items.map((one) => signRecordAs(station, one));
    const response = await signedRequest(server, station, { method: 'POST', url: '/api/v1/confirmations/batch', body: { confirmations } });
    expect(response.statusCode, response.body).toBe(200);
    return ConfirmationBatchReply.parse(json(response)).results;
  }

  it('hands the same server key to enrollment and to the key request', async () => {
    const code = await issueCode(server.app, 'P1');
    const keys = newKeyPair();
    const response = await enrollRequest(server.app, { code, pointCode: 'P1', stationName: '2号工位', publicKey: Buffer.from(keys.publicKeyRaw).toString('base64') });
    expect(response.statusCode, response.body).toBe(201);
    expect(EnrollReply.parse(json(response)).handoffKey).toEqual(serverKey);
    expect(await countRows(handle.db, "SELECT count(*) FROM server_keys WHERE purpose = 'handoff'")).toBe(1);
  });

  it('stores a bundle imported twice once: records, blobs and the day close', async () => {
    const photo = randomBytes(2048);
    const items = [record(1, [sha256Hex(photo)]), record(2)];
    const dayClose = signedDayClose(station, {}, items.map((i) => i.id));
    const bytes = await bundleFor(station, serverKey.publicKey, { records: items, blobs: [blob(photo)], audit: [{ seq: 1 }], dayClose });

    const first = await importBytes(bytes);
    expect(first.records).toMatchObject({ total: 2, accepted: 2, duplicate: 0, conflict: 0, invalid: 0 });
    expect(first.blobs).toEqual({ total: 1, created: 1, existing: 0 });
    expect(first.dayClose).toEqual({ id: dayClose.record.id, status: 'stored', version: 1 });
    expect(first.audit).toEqual({ received: 1, entries: [{ seq: 1 }] });

    const second = await importBytes(bytes);
    expect(second.records).toMatchObject({ total: 2, accepted: 0, duplicate: 2 });
    expect(second.blobs).toEqual({ total: 1, created: 0, existing: 1 });
    expect(second.dayClose).toEqual({ id: dayClose.record.id, status: 'duplicate', version: 1 });

    expect(await confirmations()).toBe(2);
    expect(await blobsStored()).toBe(1);
    expect(await countRows(handle.db, 'SELECT count(*) FROM confirmation_blobs')).toBe(1);
    expect(await countRows(handle.db, 'SELECT count(*) FROM day_closes')).toBe(1);
    expect(await countRows(handle.db, 'SELECT count(*) FROM handoff_imports')).toBe(2);
  });

  it('hands the audit entries to the audit store with the signing station, and the CLI prints its answer', async () => {
    const calls: Array<{ station: string; seqs: number[] }> = [];
    const storeAudit: AuditStore = async (_db, from, items) => {
      calls.push({ station: from.id, seqs: items.map((i) => i.seq) });
      return { stored: items.length - 1, duplicates: 1, breaks: [] };
    };
    const file = path.join(dir, 'audit.xqb');
    await writeFile(file, await bundleFor(station, serverKey.publicKey, { audit: [{ seq: 1, kind: 'sign-in' }, { seq: 2, kind: 'day-close' }] }));
    const lines: string[] = [];
    expect(await runAdminCommand(['import-bundle', '--file', file], { db: handle.db, now: server.clock.now, out: (l) => lines.push(l), storeAudit })).toBe(0);
    expect(calls).toEqual([{ station: station.id, seqs: [1, 2] }]);
    expect(lines.join('\n')).toContain('审计记录 audit entries 2: 新 stored 1, 已存在 duplicate 1, 断链 breaks 0');
  });

  it('online first, then the bundle: the bundle finds them stored', async () => {
    const items = [record(3), record(4)];
    expect((await upload(items)).map((r) => r.status)).toEqual(['accepted', 'accepted']);
    const result = await importBytes(await bundleFor(station, serverKey.publicKey, { records: items }));
    expect(result.records).toMatchObject({ accepted: 0, duplicate: 2 });
    expect(await confirmations()).toBe(2);
  });

  it('bundle first, then online: the sync engine gets duplicate (success) and nothing is stored twice', async () => {
    const items = [record(5), record(6)];
    expect((await importBytes(await bundleFor(station, serverKey.publicKey, { records: items }))).records.accepted).toBe(2);
    expect((await upload(items)).map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(await confirmations()).toBe(2);
  });

  it('answers a record with another content under a stored id as a conflict, and a bad record as invalid', async () => {
    const stored = record(7);
    await upload([stored]);
    const changed = { ...stored, content: { outcome: 'rejected' } };
    const bad = { id: record(8).id, citizenId: '123', content: {} };
    const result = await importBytes(await bundleFor(station, serverKey.publicKey, { records: [changed, bad] }));
    expect(result.results.map((r) => r.status)).toEqual(['conflict', 'invalid']);
    expect(result.records).toMatchObject({ conflict: 1, invalid: 1 });
    expect(await confirmations()).toBe(1);
  });

  it('refuses a tampered bundle and stores nothing', async () => {
    const bytes = await bundleFor(station, serverKey.publicKey, { records: [record(9)] });
    const copy = bytes.slice();
    // A byte of the ciphertext (the signature is the last 64 bytes).
    copy[copy.length - 64 - 5]! ^= 0x40;
    expect((await refusalOf(importBytes(copy))).reason).toBe('tampered');
    expect(await confirmations()).toBe(0);
  });

  it('refuses a bundle sealed to another server key', async () => {
    const other = generateHandoffKeyPair();
    const bytes = await bundleFor(station, Buffer.from(other.publicKey).toString('base64'), { records: [record(10)] });
    const error = await refusalOf(importBytes(bytes));
    expect(error.reason).toBe('wrong-server-key');
    expect(error.userMessage).toBe(zhCN.handoff.refused['wrong-server-key']);
    expect(await confirmations()).toBe(0);
  });

  it('refuses a bundle not signed by the station, and one from a revoked station', async () => {
    const impostor = { ...station, ...newKeyPair() };
    const forged = await bundleFor(station, serverKey.publicKey, { records: [record(11)] }, stationSigner(impostor));
    expect((await refusalOf(importBytes(forged))).reason).toBe('bad-signature');

    const genuine = await bundleFor(station, serverKey.publicKey, { records: [record(12)] });
    await revokeStation(handle.db, station.id, server.clock.now());
    expect((await refusalOf(importBytes(genuine))).reason).toBe('station-revoked');
    expect(await confirmations()).toBe(0);
  });

  it('refuses a bundle whose day close is not signed by the station, storing none of it', async () => {
    const dayClose = { ...signedDayClose(station), signature: signedDayClose({ ...station, ...newKeyPair() }).signature };
    const bytes = await bundleFor(station, serverKey.publicKey, { records: [record(13)], dayClose });
    expect((await refusalOf(importBytes(bytes))).reason).toBe('content-invalid');
    expect(await confirmations()).toBe(0);
  });

  it('admin CLI: import-bundle prints the counts in Chinese and English; again, all duplicate; tampered: refused', async () => {
    const items = [record(14), record(15)];
    const file = path.join(dir, '离线移交-P1-2026-11-24.xqb');
    const bytes = await bundleFor(station, serverKey.publicKey, { records: items, dayClose: signedDayClose(station, {}, items.map((i) => i.id)) });
    await writeFile(file, bytes);

    const run = async (argv: string[]) => {
      const lines: string[] = [];
      const code = await runAdminCommand(argv, { db: handle.db, now: server.clock.now, out: (line) => lines.push(line) });
      return { code, text: lines.join('\n') };
    };
    const first = await run(['import-bundle', '--file', file]);
    expect(first.code, first.text).toBe(0);
    expect(first.text).toContain('新接收 accepted 2');
    expect(first.text).toContain('已存在 duplicate 0');
    expect(first.text).toContain('冲突 conflict 0');
    expect(first.text).toContain('不合格 invalid 0');
    expect(first.text).toContain('日结记录 day close: 已保存 stored');

    const again = await run(['import-bundle', '--file', file]);
    expect(again.code, again.text).toBe(0);
    expect(again.text).toContain('新接收 accepted 0');
    expect(again.text).toContain('已存在 duplicate 2');
    expect(await confirmations()).toBe(2);

    const tampered = path.join(dir, 'tampered.xqb');
    const copy = bytes.slice();
    copy[copy.length - 80]! ^= 0x01;
    await writeFile(tampered, copy);
    const refused = await run(['import-bundle', '--file', tampered]);
    expect(refused.code).toBe(1);
    expect(refused.text).toBe(`${zhCN.handoff.refused.tampered} (tampered)`);

    const notABundle = path.join(dir, 'notes.txt');
    await writeFile(notABundle, '这不是移交文件');
    expect((await run(['import-bundle', '--file', notABundle])).text).toContain('(not-a-bundle)');
    expect((await run(['import-bundle', '--file', path.join(dir, 'missing.xqb')])).code).toBe(1);
  });
});
