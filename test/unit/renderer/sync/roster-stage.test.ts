import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { computeCheckCharacter } from '../../../../core/citizen-id/citizen-id.js';
import type { RosterDeltaEntry } from '../../../../core/contract/central-api.js';
import { StationDb } from '../../../../renderer/db/station-db.js';
import { RosterRepository } from '../../../../renderer/roster/roster-repository.js';
import { RosterStage, rosterKeys } from '../../../../renderer/sync/roster-stage.js';
import { sampleRoster } from '../../../support/sample-roster.js';
import { FakeCentral, testDataKey } from './sync-fixtures.js';
import { CentralError } from '../../../../core/errors/station-error.js';
import { sha256Hex } from '../../../../core/crypto/sha256.js';
import { zhCN } from '../../../../core/i18n/zh-CN.js';

let n = 0;
const dbs: StationDb[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

function setup(rows = 250) {
  const db = new StationDb(`roster-stage-${++n}`, { dataKey: testDataKey });
  dbs.push(db);
  const central = new FakeCentral();
  // The server's rows: the synthetic candidates, re-registered at the enrolled point.
  central.roster = Array.from({ length: rows }, (_, i) => {
    const { photo: _photo, ...entry } = sampleRoster.entries[i % sampleRoster.entries.length]!;
    return { ...entry, registrationNo: `2026${String(50000000 + i)}`, citizenId: withIndex(entry.citizenId, i) } as RosterDeltaEntry;
  });
  const stage = new RosterStage(db, central, { point: { code: 'ZZ-JS-01', name: '郑州市金水区现场确认点' }, pageSize: 100, random: () => 0.5 });
  return { db, central, stage };
}

/** Distinct valid numbers: vary the birth date and sequence, and recompute the check character. */
function withIndex(id: string, i: number): string {
  const body = `${id.slice(0, 6)}19${String(70 + (i % 30)).padStart(2, '0')}${String(1 + (Math.floor(i / 30) % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`;
  return body + computeCheckCharacter(body);
}

describe('RosterStage', () => {
  it('downloads the roster page by page, replacing the bundled sample, and keeps it through a restart', async () => {
    const { db, stage } = setup();
    const repo = new RosterRepository(db);
    await repo.syncFromSeed(async () => sampleRoster);
    expect(await db.sealedRoster.count()).toBe(40);

    await stage.runOnce(1_000, {});
    expect(await db.sealedRoster.count()).toBe(250);
    expect(await db.meta.get('roster')).toMatchObject({ source: 'central', synthetic: false, count: 250, pointCode: 'ZZ-JS-01' });
    expect((await db.syncState.get(rosterKeys.cursor))?.value).toBe('250');
    expect((await db.syncState.get(rosterKeys.progress))?.value).toEqual({ received: 250, total: 250, done: true, photosFetched: 0, photosQueued: 0 });
    // The sample's own candidates are gone: nothing synthetic is mixed into the real roster.
    expect(await new RosterRepository(db).findByCitizenId(sampleRoster.entries[0]!.citizenId)).toBeUndefined();

    // A restart runs the seed loader again: it must not replace the downloaded roster.
    await repo.syncFromSeed(async () => sampleRoster);
    expect(await db.sealedRoster.count()).toBe(250);
  });

  it('resumes after a dropped connection exactly after the last stored page, with backoff', async () => {
    const { db, central, stage } = setup();
    let calls = 0;
    central.beforeRoster = () => {
      calls += 1;
      if (calls === 2) throw new CentralError('TRANSPORT', '无法连接中心服务器', 'UNREACHABLE', true);
    };
    await stage.runOnce(1_000, {});
    expect(await db.sealedRoster.count()).toBe(100);
    expect((await db.syncState.get(rosterKeys.cursor))?.value).toBe('100');
    // Full jitter with random 0.5 on the first failure: half of the 2 s base.
    expect(await stage.nextWakeAt(1_000)).toBe(2_000);
    expect(await stage.runOnce(1_500, {})).toEqual({ worked: false });
    await stage.runOnce(2_000, {});
    expect(await db.sealedRoster.count()).toBe(250);
    expect((await db.syncState.get(rosterKeys.cursor))?.value).toBe('250');
  });

  it('knows the total from the first page, so the progress is a fraction that ends at 100 %', async () => {
    const { db, stage } = setup(250);
    const seen: unknown[] = [];
    await stage.runOnce(1_000, { onProgress: () => void db.syncState.get(rosterKeys.progress).then((row) => seen.push(row?.value)) });
    await db.syncState.get(rosterKeys.progress);
    expect(seen[0]).toMatchObject({ received: 100, total: 250, done: false });
    expect(seen.at(-1)).toMatchObject({ received: 250, total: 250, done: true });
  });

  it('after a complete download, the next pass waits for the refresh interval, and a refresh without changes keeps the last progress', async () => {
    const { db, central, stage } = setup(120);
    await stage.runOnce(1_000, {});
    const complete = (await db.syncState.get(rosterKeys.progress))?.value;
    // Ten minutes is longer than the backoff cap: it must still count as a real wait, not as a clock set back.
    expect(await stage.nextWakeAt(2_000)).toBe(1_000 + 10 * 60_000);
    let requests = 0;
    central.beforeRoster = () => void (requests += 1);
    expect(await stage.runOnce(5_000, {})).toEqual({ worked: false });
    expect(requests).toBe(0);
    // Forced (立即同步) with nothing new on the server: one request, and the progress still shows the last download.
    await stage.runOnce(6_000, { force: true });
    expect(requests).toBe(1);
    expect((await db.syncState.get(rosterKeys.progress))?.value).toEqual(complete);
  });

  it('applies later changes as a delta from the stored cursor', async () => {
    const { db, central, stage } = setup(120);
    await stage.runOnce(1_000, {});
    const changed = { ...central.roster[3]!, major: '会计学', status: 'confirmed' as const };
    central.roster.push(changed);
    await stage.runOnce(1_000, { force: true });
    expect(await db.sealedRoster.count()).toBe(120);
    expect(await new RosterRepository(db).findByCitizenId(changed.citizenId)).toMatchObject({ major: '会计学', status: 'confirmed' });
  });

  it('keeps the error for staff and waits the cap after a permanent failure', async () => {
    const { db, central, stage } = setup();
    central.beforeRoster = () => {
      throw new CentralError('ACCESS_DENIED', '此工作站已被停用，无法与中心服务器同步，请联系主管。', 'STATION_REVOKED', false);
    };
    await stage.runOnce(1_000, {});
    expect(await db.sealedRoster.count()).toBe(0);
    expect((await db.syncState.get(rosterKeys.schedule))?.value).toMatchObject({
      nextAttemptAt: 1_000 + 5 * 60_000,
      lastError: { code: 'STATION_REVOKED', transient: false },
    });
  });

  describe('roster photos by hash', () => {
    async function withPhotos(rows: number, distinct: number) {
      const ctx = setup(rows);
      const hashes: string[] = [];
      for (let i = 0; i < distinct; i++) {
        const bytes = new Uint8Array(2048).fill(i + 1);
        bytes.set([0xff, 0xd8, 0xff], 0);
        const sha256 = sha256Hex(bytes);
        hashes.push(sha256);
        ctx.central.photos.set(sha256, { mime: 'image/jpeg', bytes });
      }
      ctx.central.roster = ctx.central.roster.map((entry, i) => ({ ...entry, photoSha256: hashes[i % distinct]! }));
      return { ...ctx, hashes };
    }

    it('fetches each referenced photo once, stores it by hash and shows it on lookup', async () => {
      const { db, central, stage, hashes } = await withPhotos(250, 120);
      await stage.runOnce(1_000, {});
      expect(central.photoCalls).toHaveLength(120);
      expect(new Set(central.photoCalls).size).toBe(120);
      expect(await db.photoQueue.count()).toBe(0);
      expect(await db.blobs.count()).toBe(120);
      // Stored encrypted: no row carries the downloaded bytes.
      for (const row of await db.blobs.toArray()) expect(Object.keys(row).sort()).toEqual(['cipher', 'iv', 'mime', 'sha256']);
      expect((await db.syncState.get(rosterKeys.progress))?.value).toEqual({ received: 250, total: 250, done: true, photosFetched: 120, photosQueued: 120 });

      const entry = central.roster[130]!;
      const found = await new RosterRepository(db).findByCitizenId(entry.citizenId);
      expect(found?.photo).toBe(`data:image/jpeg;base64,${Buffer.from(central.photos.get(hashes[130 % 120]!)!.bytes).toString('base64')}`);
      expect(found).not.toHaveProperty('photoSha256');

      // The next pass finds nothing new to fetch.
      await stage.runOnce(1_000 + 11 * 60_000, { force: true });
      expect(central.photoCalls).toHaveLength(120);
    });

    it('a dropped connection mid-photos keeps what was stored and resumes with the rest', async () => {
      const { db, central, stage } = await withPhotos(100, 50);
      let served = 0;
      central.beforePhoto = () => {
        if (++served === 21) throw new CentralError('TRANSPORT', zhCN.central.unreachable, 'UNREACHABLE', true);
      };
      await stage.runOnce(1_000, {});
      expect(await db.blobs.count()).toBe(20);
      expect(await db.photoQueue.count()).toBe(30);
      central.beforePhoto = undefined;
      await stage.runOnce(2_000, { force: true });
      expect(await db.blobs.count()).toBe(50);
      expect(await db.photoQueue.count()).toBe(0);
      // 20 + the failed one + 30: none of the stored photos was fetched again.
      expect(central.photoCalls).toHaveLength(51);
    });

    it('a photo the server does not have is tried a few times, then left without blocking the roster', async () => {
      const { db, central, stage, hashes } = await withPhotos(10, 5);
      central.photos.delete(hashes[0]!);
      for (let pass = 0; pass < 7; pass++) await stage.runOnce(1_000 + pass * 11 * 60_000, { force: true });
      expect(await db.blobs.count()).toBe(4);
      expect(central.photoCalls.filter((h) => h === hashes[0])).toHaveLength(5);
      expect(await db.photoQueue.get(hashes[0]!)).toEqual({ sha256: hashes[0], attempts: 5 });
      expect(await db.sealedRoster.count()).toBe(10);
      const entry = central.roster[0]!;
      expect((await new RosterRepository(db).findByCitizenId(entry.citizenId))?.photo).toBeUndefined();
    });
  });
});
