import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { RulesCurrent } from '../../core/contract/station-api.js';
import { silentLogger } from '../../core/logging/logger.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { RULES_FILE } from '../../host/services/rules-store.js';
import { parseStationConfig } from '../../host/config/station-config.js';
import { createStationHost, type StationHost } from '../../host/station-host.js';
import { describeEachDatabase } from './support/databases.js';
import { adminRequest, createPoint, issueCode, startServer } from './support/harness.js';

const POINT = 'NM-HHHT-01';
const nm = JSON.parse(readFileSync('server/sample-data/rules/nm-zsb-2027.json', 'utf8')) as Record<string, unknown>;
let dir: string;
const hosts: StationHost[] = [];
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rules-host-sync-'));
});
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
  await rm(dir, { recursive: true, force: true });
});

async function openHost(): Promise<StationHost> {
  const host = await createStationHost({
    hostKind: 'browser',
    appVersion: 'test',
    config: parseStationConfig({ simulators: 'on', simulatorTiming: 'instant' }, 't'),
    defaultRosterSeedFile: path.resolve('assets/roster/sample-roster.json'),
    deviceSlots: [],
    dataDir: dir,
    logger: silentLogger,
    staffRefreshIntervalMs: 0,
  });
  hosts.push(host);
  return host;
}

async function current(host: StationHost): Promise<RulesCurrent> {
  const reply = await host.dispatch('staff', 'rules.current', {});
  expect(reply, JSON.stringify(reply)).toMatchObject({ ok: true });
  return RulesCurrent.parse((reply as { value: unknown }).value);
}

describeEachDatabase('province rules through the station host', (handle) => {
  it('downloads with the roster, refuses a badly signed bundle and keeps the previous, also across a restart', async () => {
    const server = startServer(handle.db);
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    try {
      await createPoint(server.app, POINT);
      const host = await openHost();
      const events: RulesCurrent[] = [];
      host.subscribe('staff', (event, payload) => {
        if (event === 'rules.changed') events.push(RulesCurrent.parse(payload));
      });
      // Never synced: the built-in default.
      expect(await current(host)).toMatchObject({ source: 'builtin', bundle: { version: 'builtin-1' } });
      expect(await host.dispatch('kiosk', 'rules.current', {})).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED' } });

      const code = await issueCode(server.app, POINT);
      expect(await host.dispatch('staff', 'central.enroll', { serverUrl: url, code, pointCode: POINT, stationName: '1号工位' })).toMatchObject({ ok: true });
      // Enrolled, nothing published: still the default.
      expect((await current(host)).source).toBe('builtin');

      expect((await adminRequest(server.app, 'POST', `/api/v1/admin/points/${POINT}/rules`, nm)).statusCode).toBe(201);
      const sync = () => host.dispatch('staff', 'central.rosterDelta', { cursor: '', limit: 500 });
      expect(await sync()).toMatchObject({ ok: true, value: { done: true } });
      const adopted = await current(host);
      expect(adopted).toMatchObject({ source: 'central', bundle: { version: 'NM-ZSB-2027.1', province: '内蒙古自治区' } });
      expect(adopted.refused).toBeUndefined();
      expect(events.map((e) => e.bundle.version)).toEqual(['NM-ZSB-2027.1']);

      // A newer bundle whose content no longer matches its signature (changed in the database or on the way).
      expect((await adminRequest(server.app, 'POST', `/api/v1/admin/points/${POINT}/rules`, { ...nm, version: 'NM-ZSB-2027.2' })).statusCode).toBe(201);
      await handle.db.query(
        `UPDATE rules_bundles SET bundle = jsonb_set(bundle, '{rosterMaxAgeHours}', '720') WHERE point_code = $1 AND version = 'NM-ZSB-2027.2'`,
        [POINT],
      );
      expect(await sync()).toMatchObject({ ok: true });
      const kept = await current(host);
      expect(kept.bundle.version).toBe('NM-ZSB-2027.1');
      expect(kept.bundle.rosterMaxAgeHours).toBe(24);
      expect(kept.refused).toMatchObject({ reason: 'bad-signature', message: zhCN.rules.refused['bad-signature'] });
      expect(events.at(-1)?.refused?.reason).toBe('bad-signature');
      // The stored file still holds the verified bundle.
      expect(await readFile(path.join(dir, RULES_FILE), 'utf8')).toContain('NM-ZSB-2027.1');

      // After a restart the station holds the verified bundle, offline.
      await host.close();
      hosts.splice(hosts.indexOf(host), 1);
      const restarted = await openHost();
      expect(await current(restarted)).toMatchObject({ source: 'central', bundle: { version: 'NM-ZSB-2027.1' } });

      // A stored file changed at rest fails its signature: the built-in default, with a note for staff.
      await restarted.close();
      hosts.splice(hosts.indexOf(restarted), 1);
      const file = path.join(dir, RULES_FILE);
      await writeFile(file, (await readFile(file, 'utf8')).replace('"rosterMaxAgeHours": 24', '"rosterMaxAgeHours": 720'));
      const third = await openHost();
      expect(await current(third)).toMatchObject({ source: 'builtin', bundle: { version: 'builtin-1' }, storeProblem: zhCN.rules.storeInvalid });
    } finally {
      await server.app.close();
    }
  });
});
