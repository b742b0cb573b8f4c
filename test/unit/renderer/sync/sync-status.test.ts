import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { zhCN } from '../../../../core/i18n/zh-CN.js';
import { readSyncStatus } from '../../../../renderer/sync/sync-status.js';
import { UploadStage } from '../../../../renderer/sync/upload-stage.js';
import { closeAll, FakeCentral, openDb, saveRecords, T0, transportDown } from './sync-fixtures.js';

afterEach(closeAll);

describe('readSyncStatus', () => {
  it('starts empty: nothing waiting, never synced, no error', async () => {
    expect(await readSyncStatus(openDb())).toEqual({
      pendingCount: 0,
      inFlightCount: 0,
      needsAttention: [],
      lastSuccessAt: undefined,
      currentError: undefined,
    });
  });

  it('counts 待同步, lists 需处理 with the candidate (masked) and the reason, and reports the current error', async () => {
    const db = openDb();
    const central = new FakeCentral();
    const [conflicting, waiting, flying] = await saveRecords(db, 4);
    central.records.set(conflicting!, 'other content');
    await new UploadStage(db, central, { clock: () => T0 }).runOnce(T0);
    const afterFirst = await readSyncStatus(db);
    expect(afterFirst).toMatchObject({ pendingCount: 0, lastSuccessAt: T0, currentError: undefined });

    await db.outbox.bulkPut([
      { confirmationId: waiting!, state: 'pending', attempts: 0, nextAttemptAt: 0 },
      { confirmationId: flying!, state: 'in-flight', attempts: 0, nextAttemptAt: 0 },
    ]);
    central.beforeBatch = () => {
      throw transportDown();
    };
    await new UploadStage(db, central, { clock: () => T0 + 5000 }).runOnce(T0 + 5000);

    const status = await readSyncStatus(db);
    expect(status.pendingCount).toBe(2);
    expect(status.inFlightCount).toBe(1);
    expect(status.lastSuccessAt).toBe(T0);
    expect(status.currentError).toEqual({ at: T0 + 5000, code: 'UNREACHABLE', message: zhCN.central.unreachable, transient: true });
    expect(status.needsAttention).toEqual([
      {
        confirmationId: conflicting,
        savedAt: '2026-11-23T01:30:01.000Z',
        candidateName: '林晓雨',
        citizenIdMasked: '410105********0223',
        code: 'CONFLICT',
        message: zhCN.central.confirmations.conflict,
        attempts: 1,
      },
    ]);
  });

  it('ignores sync state values it does not recognise instead of trusting them', async () => {
    const db = openDb();
    await db.syncState.bulkPut([
      { key: 'upload.lastSuccessAt', value: 'yesterday' },
      { key: 'upload.lastError', value: { code: 1 } },
    ]);
    expect(await readSyncStatus(db)).toMatchObject({ lastSuccessAt: undefined, currentError: undefined });
  });
});
