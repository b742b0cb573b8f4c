import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { StaffAccountList, StaffSession, StationInfo } from '../../core/contract/station-api.js';
import { silentLogger } from '../../core/logging/logger.js';
import { parseStationConfig } from '../../host/config/station-config.js';
import { createStationHost, type StationHost } from '../../host/station-host.js';
import { describeEachDatabase } from './support/databases.js';
import { adminRequest, createPoint, issueCode, startServer } from './support/harness.js';

const POINT = 'ZZ-JS-01';
let dir: string;
const hosts: StationHost[] = [];
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'staff-host-sync-'));
});
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
  await rm(dir, { recursive: true, force: true });
});

async function openHost(staffRefreshIntervalMs = 0): Promise<StationHost> {
  const host = await createStationHost({
    hostKind: 'browser',
    appVersion: 'test',
    config: parseStationConfig({ simulators: 'on', simulatorTiming: 'instant', idleLockMinutes: 3 }, 't'),
    defaultRosterSeedFile: path.resolve('assets/roster/sample-roster.json'),
    deviceSlots: [],
    dataDir: dir,
    logger: silentLogger,
    staffRefreshIntervalMs,
  });
  hosts.push(host);
  return host;
}

function value<T>(reply: { ok: boolean; value?: unknown }, schema: { parse(v: unknown): T }): T {
  expect(reply, JSON.stringify(reply)).toMatchObject({ ok: true });
  return schema.parse(reply.value);
}

describeEachDatabase('staff accounts through the station host', (handle) => {
  it('downloads at enrollment and when a roster sync completes, signs in offline, and refuses removed accounts', async () => {
    const server = startServer(handle.db);
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    try {
      await createPoint(server.app, POINT);
      const add = async (id: string, role: 'operator' | 'supervisor') => {
        const response = await adminRequest(server.app, 'POST', `/api/v1/admin/points/${POINT}/staff`, { id, name: `${id}名`, role, password: `${id}-pass-2026` });
        expect(response.statusCode, response.body).toBe(201);
      };
      await add('li', 'operator');
      await add('wang', 'supervisor');

      const host = await openHost();
      const call = (method: string, payload: unknown = {}) => host.dispatch('staff', method, payload);
      // Before enrollment, with no device simulated (no slots here): nobody to sign in, and no demo accounts.
      expect(value(await call('staff.accounts'), StaffAccountList)).toEqual({ source: 'none', accounts: [] });
      expect(value(await call('station.info'), StationInfo).staff).toEqual({ idleLockMinutes: 3, demo: false });

      const code = await issueCode(server.app, POINT);
      expect(await call('central.enroll', { serverUrl: url, code, pointCode: POINT, stationName: '5号工位' })).toMatchObject({ ok: true });
      expect(value(await call('staff.accounts'), StaffAccountList)).toEqual({
        source: 'central',
        accounts: [
          { id: 'li', name: 'li名', role: 'operator' },
          { id: 'wang', name: 'wang名', role: 'supervisor' },
        ],
      });
      expect(value(await call('station.info'), StationInfo).staff?.demo).toBe(false);
      expect(await call('staff.signIn', { accountId: 'demo', password: '123456' })).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });

      const session = value(await call('staff.signIn', { accountId: 'li', password: 'li-pass-2026' }), StaffSession);
      expect(session).toMatchObject({ actor: { accountId: 'li', role: 'operator' }, idleLockMinutes: 3 });
      expect(value(await call('staff.session'), StaffSession.nullable())).toEqual(session);
      // The kiosk cannot sign anyone in, nor read the session.
      expect(await host.dispatch('kiosk', 'staff.signIn', { accountId: 'li', password: 'li-pass-2026' })).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED' } });
      expect(await host.dispatch('kiosk', 'staff.session', {})).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED' } });
      // An operator approves nothing, even with the right password.
      expect(await call('supervisor.authorize', { supervisorId: 'li', pin: 'li-pass-2026', action: 'roster-stale', reason: '网络故障无法更新名单' })).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHORIZED' },
      });
      expect(await call('supervisor.authorize', { supervisorId: 'wang', pin: 'wang-pass-2026', action: 'roster-stale', reason: '网络故障无法更新名单' })).toMatchObject({
        ok: true,
        value: { supervisorId: 'wang', supervisorName: 'wang名' },
      });

      // The server removes li (disabled) and adds zhou; the next completed roster sync brings the change.
      await adminRequest(server.app, 'POST', `/api/v1/admin/points/${POINT}/staff/li/disabled`, { disabled: true });
      await add('zhou', 'operator');
      expect(await call('central.rosterDelta', { limit: 2000 })).toMatchObject({ ok: true, value: { done: true } });
      expect(value(await call('staff.accounts'), StaffAccountList).accounts.map((a) => a.id)).toEqual(['wang', 'zhou']);
      expect(value(await call('staff.session'), StaffSession.nullable())).toBeNull();
      expect(await call('staff.signIn', { accountId: 'li', password: 'li-pass-2026' })).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', message: '账号或密码不正确。' } });

      // The idle lock ends the session in the host.
      expect(await call('staff.signIn', { accountId: 'zhou', password: 'zhou-pass-2026' })).toMatchObject({ ok: true });
      expect(await call('staff.lock')).toEqual({ ok: true, value: { ok: true } });
      expect(value(await call('staff.session'), StaffSession.nullable())).toBeNull();
    } finally {
      await server.app.close();
    }

    // The server is gone; a restarted host still signs in against the stored hashes.
    for (const host of hosts.splice(0)) await host.close();
    const offline = await openHost();
    expect(value(await offline.dispatch('staff', 'staff.accounts', {}), StaffAccountList).source).toBe('central');
    expect(await offline.dispatch('staff', 'staff.signIn', { accountId: 'wang', password: 'wang-pass-2026' })).toMatchObject({
      ok: true,
      value: { actor: { accountId: 'wang', role: 'supervisor' } },
    });
    // A roster sync that cannot reach the server keeps the stored accounts.
    expect(await offline.dispatch('staff', 'central.rosterDelta', { limit: 10 })).toMatchObject({ ok: false, error: { code: 'TRANSPORT' } });
    expect(value(await offline.dispatch('staff', 'staff.accounts', {}), StaffAccountList).accounts.map((a) => a.id)).toEqual(['wang', 'zhou']);
  });
});
