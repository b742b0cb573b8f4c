import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../native/simulators/seeded-random.js';
import { ConfirmationRepository, stationDay, type NewBlob } from '../../../renderer/confirmations/confirmation-repository.js';
import type { ConfirmationRow, OutboxRow, StationDb } from '../../../renderer/db/station-db.js';
import { sealRosterRows } from '../../../renderer/roster/roster-repository.js';
import { syncKeys, type AckInfo } from '../../../renderer/sync/sync-state.js';
import { UploadStage } from '../../../renderer/sync/upload-stage.js';
import { sha256Hex } from '../../../core/crypto/sha256.js';
import { sampleRoster } from '../../support/sample-roster.js';
import { closeAll, FakeCentral, openDb, photo, T0, uuidFor } from './sync/sync-fixtures.js';

afterEach(closeAll);

const DAY = 86_400_000;
/** The station's day, computed independently of the code under test (IANA zone instead of a fixed offset). */
const shanghaiDay = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(iso));

function repoAt(db: StationDb, clock: { now: number }) {
  let id = 0;
  return new ConfirmationRepository(db, { now: () => new Date(clock.now), newId: () => uuidFor(++id) });
}

function contentFor(i: number, extra: { training?: true } = {}) {
  const entry = sampleRoster.entries[i]!;
  return {
    candidate: { citizenId: entry.citizenId, registrationNo: entry.registrationNo, name: entry.name },
    identification: { source: 'chip' as const, cardType: 'resident' as const },
    outcome: 'confirmed' as const,
    reasons: [],
    decidedAt: '2026-11-23T09:29:58+08:00',
    ...extra,
  };
}

describe('stationDay', () => {
  it('is the date in China time', () => {
    expect(stationDay('2026-11-23T15:59:59.999Z')).toBe('2026-11-23');
    expect(stationDay('2026-11-23T16:00:00.000Z')).toBe('2026-11-24');
    for (let t = T0; t < T0 + 3 * DAY; t += 3_600_000) expect(stationDay(new Date(t).toISOString())).toBe(shanghaiDay(new Date(t).toISOString()));
  });
});

describe('retention purge', () => {
  it('deletes acknowledged records of a closed day once the days have passed, with their own blobs only', async () => {
    const db = openDb();
    const clock = { now: T0 };
    const repo = repoAt(db, clock);
    const shared = photo(1);
    const a = await repo.save({ content: contentFor(0), blobs: [shared, photo(2)] });
    clock.now += 1000;
    const b = await repo.save({ content: contentFor(1), blobs: [photo(3)] });
    // The server acknowledges both, through the real upload stage.
    const central = new FakeCentral();
    expect((await new UploadStage(db, central, { random: () => 0, clock: () => clock.now }).runOnce(clock.now)).acknowledged).toBe(2);
    // A later record shares a's photo and is not acknowledged.
    clock.now += 1000;
    const c = await repo.save({ content: contentFor(2), blobs: [shared] });
    const audit = await db.audit.count();

    clock.now = T0 + 40 * DAY;
    // Day not closed: nothing goes, however old.
    expect(await repo.purgeExpired({ retentionDays: 30 })).toBe(0);
    await repo.markDayClosed(stationDay(a.savedAt));
    // Closed, but the retention time since the acknowledgement has not passed.
    expect(await repo.purgeExpired({ retentionDays: 41 })).toBe(0);
    expect(await repo.purgeExpired({ retentionDays: 30 })).toBe(2);

    expect(await repo.get(a.id)).toBeUndefined();
    expect(await repo.get(b.id)).toBeUndefined();
    expect(await repo.get(c.id)).toEqual(c);
    // The shared photo stays for c; a's and b's own blobs are gone, with their upload marks and acks.
    expect(await db.vault.get(sha256Hex(shared.bytes))).toBeDefined();
    expect(await db.vault.get(sha256Hex(photo(2).bytes))).toBeUndefined();
    expect(await db.vault.get(sha256Hex(photo(3).bytes))).toBeUndefined();
    expect(await db.syncState.get(syncKeys.ack(a.id))).toBeUndefined();
    expect(await db.syncState.get(syncKeys.blob(sha256Hex(photo(3).bytes)))).toBeUndefined();
    // Audit entries stay.
    expect(await db.audit.count()).toBe(audit);
    expect(await repo.purgeExpired({ retentionDays: 30 })).toBe(0);
  });

  it('keeps a whole chain while any version is unacknowledged, and keeps blobs a roster photo uses', async () => {
    const db = openDb();
    const clock = { now: T0 };
    const repo = repoAt(db, clock);
    const rosterPhoto = photo(7);
    await db.sealedRoster.bulkPut(await sealRosterRows(db, [{ ...sampleRoster.entries[5]!, photoSha256: sha256Hex(rosterPhoto.bytes) }]));
    const first = await repo.save({ content: contentFor(0), blobs: [rosterPhoto] });
    await new UploadStage(db, new FakeCentral(), { random: () => 0, clock: () => clock.now }).runOnce(clock.now);
    clock.now += 1000;
    const correction = await repo.save({ content: { ...contentFor(0), outcome: 'rejected', reasons: ['材料不全'] }, blobs: [], supersedes: first.id });
    await repo.markDayClosed(stationDay(first.savedAt));
    clock.now = T0 + 90 * DAY;
    expect(await repo.purgeExpired({ retentionDays: 1 })).toBe(0);
    expect(await repo.history(first.content.candidate.citizenId)).toEqual([first, correction]);

    await new UploadStage(db, new FakeCentral(), { random: () => 0, clock: () => T0 + 2000 }).runOnce(T0 + 2000, { force: true });
    expect(await repo.purgeExpired({ retentionDays: 1 })).toBe(2);
    expect(await repo.history(first.content.candidate.citizenId)).toEqual([]);
    expect(await db.vault.get(sha256Hex(rosterPhoto.bytes))).toBeDefined();
  });

  it('refuses a malformed day or retention', async () => {
    const repo = repoAt(openDb(), { now: T0 });
    await expect(repo.markDayClosed('23.11.2026')).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(repo.purgeExpired({ retentionDays: -1 })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(repo.purgeExpired({ retentionDays: Number.NaN })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  type Fate = 'pending' | 'in-flight' | 'needs-attention' | 'acked' | 'acked-still-queued' | 'handed-off';
  const fates: Fate[] = ['pending', 'in-flight', 'needs-attention', 'acked', 'acked', 'acked', 'acked-still-queued', 'handed-off'];

  it('never purges anything unacknowledged, and purges exactly what the rule allows (random states)', async () => {
    let totalPurged = 0;
    let totalKept = 0;
    for (let seed = 1; seed <= 25; seed++) {
      const random = seededRandom(seed);
      const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
      const db = openDb();
      const clock = { now: T0 };
      const repo = repoAt(db, clock);
      const pool: NewBlob[] = [photo(1), photo(2), photo(3), photo(4), photo(5)];
      const records: Array<{ row: ConfirmationRow; fate: Fate | 'training'; ackAt?: number }> = [];
      for (let person = 0; person < 6; person++) {
        let previous: ConfirmationRow | undefined;
        const versions = 1 + Math.floor(random() * 3);
        for (let v = 0; v < versions; v++) {
          clock.now = T0 + Math.floor(random() * 3 * DAY);
          const training = random() < 0.1;
          const blobs = pool.filter(() => random() < 0.3);
          const row = await repo.save({
            content: contentFor(person, training ? { training: true } : {}),
            blobs,
            ...(previous && !training ? { supersedes: previous.id } : {}),
          });
          if (!training) previous = row;
          records.push({ row, fate: training ? 'training' : pick(fates) });
        }
      }
      if (random() < 0.5) await db.sealedRoster.bulkPut(await sealRosterRows(db, [{ ...sampleRoster.entries[30]!, photoSha256: sha256Hex(pick(pool).bytes) }]));
      for (const record of records) {
        const { fate, row } = record;
        if (fate === 'training') continue;
        if (fate === 'in-flight' || fate === 'needs-attention') {
          const entry: OutboxRow = { confirmationId: row.id, state: fate, attempts: 1, nextAttemptAt: 0 };
          await db.outbox.put(entry);
        }
        if (fate === 'acked' || fate === 'acked-still-queued') {
          record.ackAt = Date.parse(row.savedAt) + Math.floor(random() * 5 * DAY);
          const ack: AckInfo = { at: record.ackAt, outcome: 'accepted', crossStation: false };
          await db.syncState.put({ key: syncKeys.ack(row.id), value: ack });
        }
        if (fate === 'acked' || fate === 'handed-off') await db.outbox.delete(row.id);
      }
      const days = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26'].filter(() => random() < 0.6);
      for (const day of days) await repo.markDayClosed(day);
      const retentionDays = Math.floor(random() * 20);
      clock.now = T0 + Math.floor(random() * 40 * DAY);
      const audit = await db.audit.count();

      // The rule, written out independently: a candidate's records go together, when every one qualifies.
      const qualifies = (r: (typeof records)[number]) =>
        r.fate === 'acked' && days.includes(shanghaiDay(r.row.savedAt)) && r.ackAt! + retentionDays * DAY <= clock.now;
      const real = records.filter((r) => r.fate !== 'training');
      const expired = new Set(
        real.filter((r) => real.filter((o) => o.row.citizenId === r.row.citizenId).every(qualifies)).map((r) => r.row.id),
      );

      const purged = await repo.purgeExpired({ retentionDays });
      const label = `seed ${seed}`;
      expect(purged, label).toBe(expired.size);
      totalPurged += purged;
      totalKept += records.length - purged;
      const after = await repo.getMany(records.map((r) => r.row.id));
      records.forEach((record, i) => {
        const still = after[i];
        if (record.fate !== 'acked') expect(still, `${label}: ${record.fate} record must stay`).toEqual(record.row);
        if (expired.has(record.row.id)) expect(still, label).toBeUndefined();
        else expect(still, label).toEqual(record.row);
      });
      // Every blob a remaining record or the roster refers to is still readable; the rest are gone.
      const rosterPhotos = (await db.sealedRoster.toArray()).flatMap((row) => (row.photoSha256 ? [row.photoSha256] : []));
      const needed = new Set([...records.filter((r) => !expired.has(r.row.id)).flatMap((r) => r.row.content.blobs.map((b) => b.sha256)), ...rosterPhotos]);
      for (const blob of pool) {
        const sha256 = sha256Hex(blob.bytes);
        const referenced = records.some((r) => r.row.content.blobs.some((b) => b.sha256 === sha256));
        if (needed.has(sha256)) expect(await db.vault.get(sha256), label).toBeDefined();
        else if (referenced) expect(await db.vault.get(sha256), label).toBeUndefined();
      }
      expect(await db.audit.count(), label).toBe(audit);
    }
    // The states drawn exercise both sides of the rule.
    expect(totalPurged).toBeGreaterThan(5);
    expect(totalKept).toBeGreaterThan(5);
  });
});
