import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Dexie } from 'dexie';
import { AccessDeniedError } from '../../../core/errors/station-error.js';
import type { SupervisorApprovalRequest } from '../../../core/contract/supervisor.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { AuditLog } from '../../../renderer/audit/audit-log.js';
import { StationDb } from '../../../renderer/db/station-db.js';
import { createApprovalStore } from '../../../renderer/staff/stores/approval-store.js';
import { testDataKey } from './data-key.js';

const opened: Dexie[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.delete();
});

const APPROVAL_ID = '0b6c2a52-4f7e-4c36-9d0e-2f3f0b1f4a11';

/** The host's supervisor.authorize: PIN 246810 for 李强, anything else refused. */
function fakeApi() {
  const calls: SupervisorApprovalRequest[] = [];
  return {
    calls,
    api: {
      async call(method: string, payload: unknown) {
        if (method === 'supervisor.list') return { supervisors: [{ id: 'sup01', name: '李强' }], demo: false };
        if (method !== 'supervisor.authorize') throw new Error(`unexpected ${method}`);
        const request = payload as SupervisorApprovalRequest;
        calls.push(request);
        if (request.pin !== '246810') throw new AccessDeniedError('wrong pin');
        return { approvalId: APPROVAL_ID, supervisorId: request.supervisorId, supervisorName: '李强', action: request.action, reason: request.reason, at: '2026-12-03T02:00:00.000Z' };
      },
    },
  };
}

describe('approvals go to the audit chain', () => {
  it('a refused try and a granted approval each leave one chained entry, without the reason or the password', async () => {
    const db = new StationDb(`approval-${Math.random().toString(36).slice(2)}`, { dataKey: testDataKey });
    opened.push(db);
    const log = new AuditLog(db);
    const { api, calls } = fakeApi();
    const store = createApprovalStore({ api: api as never, audit: (entry) => log.append(entry) });

    const answer = store.getState().ask('identity-override');
    const reason = { supervisorId: 'sup01', reason: '证件照片陈旧', detail: '林晓雨本人，已核对户口簿' };
    await store.getState().submit({ ...reason, pin: 'pin-wrong-7391' });
    expect(store.getState().error).toBe(zhCN.errors.accessDenied);
    await store.getState().submit({ ...reason, pin: '246810' });
    await expect(answer).resolves.toMatchObject({ approvalId: APPROVAL_ID, action: 'identity-override' });
    expect(calls).toHaveLength(2);

    await expect.poll(async () => (await db.audit.toArray()).length).toBe(2);
    const [failed, granted] = await db.audit.toArray();
    expect(failed).toMatchObject({ kind: 'approval-failed', detail: 'identity-override account sup01' });
    expect(granted).toMatchObject({ kind: 'approval', actor: { accountId: 'sup01', name: '李强', role: 'supervisor' }, detail: `identity-override ${APPROVAL_ID}` });
    const text = JSON.stringify(await db.audit.toArray());
    for (const secret of ['246810', 'pin-wrong-7391', '林晓雨', '户口簿', '证件照片陈旧']) expect(text).not.toContain(secret);
    expect(await log.verify()).toMatchObject({ ok: true, count: 2 });
  });

  it('a cancelled dialog writes nothing', async () => {
    const db = new StationDb(`approval-${Math.random().toString(36).slice(2)}`, { dataKey: testDataKey });
    opened.push(db);
    const log = new AuditLog(db);
    const store = createApprovalStore({ api: fakeApi().api as never, audit: (entry) => log.append(entry) });
    const answer = store.getState().ask('roster-stale');
    store.getState().cancel();
    await expect(answer).resolves.toBeUndefined();
    expect(await db.audit.count()).toBe(0);
  });
});
