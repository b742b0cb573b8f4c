import { sealConfirmation } from '../confirmations/confirmation-repository.js';
import { sealRosterRows } from '../roster/roster-repository.js';
import { migratePlaintextBlobs } from './blob-vault.js';
import type { ConfirmationRow, LegacyRosterRow, RosterRow, SealedConfirmationRow, SealedRosterRow, StationDb } from './station-db.js';

/** Rows moved per transaction: bounded memory, and progress survives a crash. */
const CHUNK = 200;

export interface PlaintextMigration {
  blobs: number;
  roster: number;
  confirmations: number;
  /** Legacy roster rows that failed the roster schema: dropped (the roster is a copy of the server's). */
  rosterDropped: number;
  /** Legacy records that could not be sealed: kept where they are, never deleted. */
  confirmationsKept: number;
}

/**
 * Startup step for databases from schema ≤ 4, before anything else reads or writes: checks the key and
 * encrypts plaintext blobs (migratePlaintextBlobs), then moves the plaintext roster and confirmation rows
 * into their sealed tables. Chunk by chunk, each chunk sealed first and then added and deleted in one
 * transaction, so a crash at any point leaves every row in exactly one of the two tables and a rerun
 * continues; on a migrated database it does nothing.
 */
export async function migratePlaintextData(db: StationDb, key: CryptoKey): Promise<PlaintextMigration> {
  const { encrypted } = await migratePlaintextBlobs(db, key);
  const roster = await migrateRoster(db);
  const confirmations = await migrateConfirmations(db);
  return { blobs: encrypted, roster: roster.moved, rosterDropped: roster.dropped, confirmations: confirmations.moved, confirmationsKept: confirmations.kept };
}

async function migrateRoster(db: StationDb): Promise<{ moved: number; dropped: number }> {
  let moved = 0;
  let dropped = 0;
  let after: string | undefined;
  for (;;) {
    const page = after === undefined ? db.legacyRoster.orderBy(':id') : db.legacyRoster.where(':id').above(after);
    const rows = await page.limit(CHUNK).toArray();
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.citizenId;
    const sealed: Array<{ citizenId: string; row: SealedRosterRow }> = [];
    for (const row of rows) {
      try {
        const [one] = await sealRosterRows(db, [withoutLast6(row)]);
        if (one) sealed.push({ citizenId: row.citizenId, row: one });
      } catch {
        // Fails the roster schema: cannot be served, and the next download brings it again.
        dropped += 1;
      }
    }
    await db.transaction('rw', [db.legacyRoster, db.sealedRoster], async () => {
      const still = new Set(await db.legacyRoster.where(':id').anyOf(rows.map((row) => row.citizenId)).primaryKeys());
      const moving = sealed.filter((item) => still.has(item.citizenId));
      const present = await db.sealedRoster.bulkGet(moving.map((item) => item.row.idHash));
      // A sealed row already there is newer (written by this version): it wins over the legacy copy.
      await db.sealedRoster.bulkPut(moving.filter((_, i) => present[i] === undefined).map((item) => item.row));
      await db.legacyRoster.bulkDelete([...still]);
      moved += moving.length;
    });
  }
  return { moved, dropped };
}

function withoutLast6({ idLast6: _last6, ...row }: LegacyRosterRow): RosterRow {
  return row;
}

async function migrateConfirmations(db: StationDb): Promise<{ moved: number; kept: number }> {
  let moved = 0;
  let kept = 0;
  let after: string | undefined;
  for (;;) {
    const page = after === undefined ? db.legacyConfirmations.orderBy(':id') : db.legacyConfirmations.where(':id').above(after);
    const rows = await page.limit(CHUNK).toArray();
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;
    const sealed: SealedConfirmationRow[] = [];
    for (const row of rows) {
      try {
        sealed.push(await sealConfirmation(db, row as ConfirmationRow));
      } catch {
        kept += 1;
      }
    }
    await db.transaction('rw', [db.legacyConfirmations, db.sealedConfirmations], async () => {
      const still = new Set((await db.legacyConfirmations.bulkGet(sealed.map((row) => row.id))).flatMap((row) => (row ? [row.id] : [])));
      const present = new Set((await db.sealedConfirmations.bulkGet(sealed.map((row) => row.id))).flatMap((row) => (row ? [row.id] : [])));
      await db.sealedConfirmations.bulkAdd(sealed.filter((row) => still.has(row.id) && !present.has(row.id)));
      await db.legacyConfirmations.bulkDelete([...still]);
      moved += still.size;
    });
  }
  return { moved, kept };
}
