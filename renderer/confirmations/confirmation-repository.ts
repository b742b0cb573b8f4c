import { z } from 'zod';
import { ConfirmationContent } from '../../core/contract/confirmation.js';
import { InvalidStateError, ValidationError } from '../../core/errors/station-error.js';
import type { ConfirmationRow, SealedConfirmationRow, StationDb } from '../db/station-db.js';
import { StorageError } from '../db/blob-vault.js';
import { canonicalJson } from '../../core/util/canonical-json.js';
import { sha256Hex } from '../../core/crypto/sha256.js';
import { appendAudit } from '../audit/audit-log.js';
import { localDay } from '../../core/day-log/build-day-log.js';
import { syncKeys, AckInfo } from '../sync/sync-state.js';
import { unwrapDexie } from '../db/dexie-errors.js';

export interface NewBlob {
  role: string;
  mime: string;
  bytes: Uint8Array<ArrayBuffer>;
}

export interface SaveRequest {
  content: Omit<ConfirmationContent, 'blobs'>;
  blobs: readonly NewBlob[];
  /** The record this one corrects; the new record gets the next version. */
  supersedes?: string;
  /** The record concludes the desk's open confirmation: its resume draft goes in the same transaction. */
  concludesDraft?: boolean;
}

const SealedContent = z.strictObject({ content: ConfirmationContent });

/** Everything in a row that is not sealed is bound to the cipher: change any of it and the row fails to open. */
function binding(row: Pick<SealedConfirmationRow, 'id' | 'citizenHash' | 'version' | 'supersedes' | 'savedAt' | 'contentSha256'>): string {
  return [row.id, row.citizenHash, String(row.version), row.supersedes ?? '', row.savedAt, row.contentSha256].join('\u0000');
}

/** Seals a record for storage; before the transaction that stores it (WebCrypto would end the transaction). */
export async function sealConfirmation(db: StationDb, record: ConfirmationRow): Promise<SealedConfirmationRow> {
  const citizenHash = await db.sealer.hash('citizen-id', record.content.candidate.citizenId);
  const plain = {
    id: record.id,
    citizenHash,
    version: record.version,
    ...(record.supersedes ? { supersedes: record.supersedes } : {}),
    savedAt: record.savedAt,
    contentSha256: record.contentSha256,
  };
  return {
    ...plain,
    blobRefs: [...new Set(record.content.blobs.map((blob) => blob.sha256))],
    ...(record.content.training ? { training: 1 as const } : {}),
    sealed: await db.sealer.seal('confirmation', binding(plain), { content: record.content }),
  };
}

/** Opens a stored record: authenticated, schema-checked and its content hash verified, or a StorageError. */
export async function openConfirmation(db: StationDb, row: SealedConfirmationRow): Promise<ConfirmationRow> {
  const parsed = SealedContent.safeParse(await db.sealer.open('confirmation', binding(row), row.sealed));
  if (!parsed.success) throw new StorageError('unreadable', 'confirmation content failed its schema');
  const { content } = parsed.data;
  if (sha256Hex(canonicalJson(content)) !== row.contentSha256) throw new StorageError('unreadable', 'confirmation content hash mismatch');
  return {
    id: row.id,
    citizenId: content.candidate.citizenId,
    version: row.version,
    ...(row.supersedes ? { supersedes: row.supersedes } : {}),
    content,
    contentSha256: row.contentSha256,
    savedAt: row.savedAt,
  };
}

const DAY_MS = 86_400_000;
/** Stations work on China time: a record's day, like the day log's, is its date in UTC+8. */
const STATION_UTC_OFFSET_MINUTES = 480;

export function stationDay(iso: string): string {
  return localDay(iso, STATION_UTC_OFFSET_MINUTES);
}

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * Saved confirmations. A save writes the record, its blobs, its outbox entry and an audit line in ONE
 * transaction, so "saved" on screen always means all of it is on disk; records are never changed after.
 */
export class ConfirmationRepository {
  constructor(
    private readonly db: StationDb,
    private readonly deps: { now: () => Date; newId: () => string } = {
      now: () => new Date(),
      newId: () => crypto.randomUUID(),
    },
  ) {}

  async save(request: SaveRequest): Promise<ConfirmationRow> {
    const blobs = request.blobs.map((b) => ({ ...b, sha256: sha256Hex(b.bytes) }));
    const parsed = ConfirmationContent.safeParse({
      ...request.content,
      blobs: blobs.map(({ role, sha256 }) => ({ role, sha256 })),
    });
    if (!parsed.success) throw new ValidationError('confirmation content failed its schema');
    const content = parsed.data;
    const contentSha256 = sha256Hex(canonicalJson(content));
    const id = this.deps.newId();
    const savedAt = this.deps.now().toISOString();
    // Encrypted here for the same reason: WebCrypto inside the transaction would end it.
    const sealedBlobs = await this.db.vault.sealAll(blobs);
    // The version depends on the record superseded; reading it before the transaction is safe because
    // records never change, and the transaction checks that it is still there.
    let version = 1;
    if (request.supersedes) {
      const previous = await this.db.sealedConfirmations.get(request.supersedes);
      if (!previous || previous.citizenHash !== (await this.db.sealer.hash('citizen-id', content.candidate.citizenId))) {
        throw new InvalidStateError('a correction must supersede a saved record of the same candidate');
      }
      version = previous.version + 1;
    }
    const record: ConfirmationRow = {
      id,
      citizenId: content.candidate.citizenId,
      version,
      ...(request.supersedes ? { supersedes: request.supersedes } : {}),
      content,
      contentSha256,
      savedAt,
    };
    const row = await sealConfirmation(this.db, record);

    return unwrapDexie(() => this.db.transaction('rw', [this.db.sealedConfirmations, this.db.blobs, this.db.outbox, this.db.audit, this.db.drafts], async () => {
      if (request.supersedes && !(await this.db.sealedConfirmations.get(request.supersedes))) {
        throw new InvalidStateError('a correction must supersede a saved record of the same candidate');
      }
      await this.db.vault.addSealed(sealedBlobs);
      await this.db.sealedConfirmations.add(row);
      // Saved and resumable cannot both be true: a crash after this commit must not offer the candidate again.
      if (request.concludesDraft) await this.db.drafts.clear();
      // Training records stay here: no outbox entry, so the sync engine never sees them.
      if (!content.training) await this.db.outbox.add({ confirmationId: id, state: 'pending', attempts: 0, nextAttemptAt: 0 });
      await appendAudit(this.db, {
        at: savedAt,
        kind: content.review ? 'review-decision' : request.supersedes ? 'confirmation-corrected' : 'confirmation-saved',
        confirmationId: id,
        ...(content.review ? { actor: content.review.by } : content.actor ? { actor: content.actor } : {}),
      });
      return record;
    }));
  }

  async get(id: string): Promise<ConfirmationRow | undefined> {
    const row = await this.db.sealedConfirmations.get(id);
    return row && openConfirmation(this.db, row);
  }

  /**
   * Records by id, in order: undefined where there is none, the StorageError where a row fails to open
   * (one damaged row must not hide the others; it is never deleted because of it).
   */
  async getMany(ids: readonly string[]): Promise<Array<ConfirmationRow | StorageError | undefined>> {
    const rows = await this.db.sealedConfirmations.bulkGet([...ids]);
    return Promise.all(
      rows.map(async (row) => {
        if (!row) return undefined;
        try {
          return await openConfirmation(this.db, row);
        } catch (thrown) {
          if (thrown instanceof StorageError) return thrown;
          throw thrown;
        }
      }),
    );
  }

  /** All versions for one candidate, oldest first. */
  async history(citizenId: string): Promise<ConfirmationRow[]> {
    const citizenHash = await this.db.sealer.hash('citizen-id', citizenId);
    const rows = await this.db.sealedConfirmations.where('[citizenHash+version]').between([citizenHash, 0], [citizenHash, Infinity]).toArray();
    return Promise.all(rows.map((row) => openConfirmation(this.db, row)));
  }

  /** Every record, oldest save first (day report, exports). */
  async all(): Promise<ConfirmationRow[]> {
    const rows = await this.db.sealedConfirmations.orderBy('savedAt').toArray();
    return Promise.all(rows.map((row) => openConfirmation(this.db, row)));
  }

  count(): Promise<number> {
    return this.db.sealedConfirmations.count();
  }

  /**
   * 结束培训: deletes every record made in training and the blobs only they refer to (audited by count).
   * Real records and their blobs are untouched.
   */
  async purgeTraining(): Promise<number> {
    return unwrapDexie(() =>
      this.db.transaction('rw', [this.db.sealedConfirmations, this.db.blobs, this.db.outbox, this.db.audit, this.db.sealedRoster], async () => {
        const training = await this.db.sealedConfirmations.where('training').equals(1).toArray();
        if (training.length === 0) return 0;
        const ids = training.map((row) => row.id);
        const orphaned = await this.#unreferencedAfter(ids, training);
        await this.db.sealedConfirmations.bulkDelete(ids);
        await this.db.outbox.bulkDelete(ids);
        await this.db.blobs.bulkDelete(orphaned);
        await appendAudit(this.db, { at: this.deps.now().toISOString(), kind: 'training-purged', count: training.length });
        return training.length;
      }),
    );
  }

  /** 日结: the day's records may expire once acknowledged and `retentionDays` old (see purgeExpired). */
  async markDayClosed(day: string): Promise<void> {
    if (!Day.safeParse(day).success) throw new ValidationError('day must be YYYY-MM-DD');
    await this.db.dayCloses.put({ day, closedAt: this.deps.now().toISOString() });
  }

  /** Whether 日结 has been done for this day on this station. */
  async isDayClosed(day: string): Promise<boolean> {
    return (await this.db.dayCloses.get(day)) !== undefined;
  }

  /**
   * Retention: deletes a candidate's records (every version, so a chain is never cut) and the blobs only
   * they refer to, once for EVERY one of them (a) the server acknowledged it, (b) its day was closed and
   * (c) `retentionDays` have passed since the acknowledgement. A record without an acknowledgement, or
   * still in the outbox for any reason (pending, in flight, 需处理, handed off but not acknowledged), keeps
   * its whole candidate's records. Training records are left to purgeTraining; audit entries stay.
   * Returns how many records were deleted (the caller audits it).
   */
  async purgeExpired(options: { retentionDays: number }): Promise<number> {
    const { retentionDays } = options;
    if (!Number.isFinite(retentionDays) || retentionDays < 0) throw new ValidationError('retentionDays must be a non-negative number');
    const now = this.deps.now().getTime();
    const tables = [this.db.sealedConfirmations, this.db.blobs, this.db.outbox, this.db.syncState, this.db.dayCloses, this.db.sealedRoster];
    return unwrapDexie(() =>
      this.db.transaction('rw', tables, async () => {
        const rows = (await this.db.sealedConfirmations.toArray()).filter((row) => row.training !== 1);
        if (rows.length === 0) return 0;
        const ids = rows.map((row) => row.id);
        const [outbox, acks, closed] = await Promise.all([
          this.db.outbox.bulkGet(ids),
          this.db.syncState.bulkGet(ids.map(syncKeys.ack)),
          this.db.dayCloses.bulkGet([...new Set(rows.map((row) => stationDay(row.savedAt)))]),
        ]);
        const closedDays = new Set(closed.flatMap((row) => (row ? [row.day] : [])));
        const expired = (row: SealedConfirmationRow, i: number): boolean => {
          if (outbox[i] !== undefined) return false;
          const ack = AckInfo.safeParse(acks[i]?.value);
          if (!ack.success) return false;
          return closedDays.has(stationDay(row.savedAt)) && ack.data.at + retentionDays * DAY_MS <= now;
        };
        const byCandidate = new Map<string, { rows: SealedConfirmationRow[]; expired: boolean }>();
        rows.forEach((row, i) => {
          const group = byCandidate.get(row.citizenHash) ?? { rows: [], expired: true };
          group.rows.push(row);
          group.expired &&= expired(row, i);
          byCandidate.set(row.citizenHash, group);
        });
        const purged = [...byCandidate.values()].filter((group) => group.expired).flatMap((group) => group.rows);
        if (purged.length === 0) return 0;
        const purgedIds = purged.map((row) => row.id);
        const orphaned = await this.#unreferencedAfter(purgedIds, purged);
        await this.db.sealedConfirmations.bulkDelete(purgedIds);
        await this.db.blobs.bulkDelete(orphaned);
        await this.db.syncState.bulkDelete([...purgedIds.map(syncKeys.ack), ...orphaned.map(syncKeys.blob)]);
        return purged.length;
      }),
    );
  }

  /**
   * Inside the caller's transaction: the blobs of `leaving` that nothing else refers to once those records
   * are gone (another record, including training ones, or a roster photo).
   */
  async #unreferencedAfter(leavingIds: readonly string[], leaving: readonly SealedConfirmationRow[]): Promise<string[]> {
    const gone = new Set(leavingIds);
    const candidates = [...new Set(leaving.flatMap((row) => row.blobRefs))];
    const out: string[] = [];
    for (const sha256 of candidates) {
      const users = await this.db.sealedConfirmations.where('blobRefs').equals(sha256).primaryKeys();
      if (users.some((id) => !gone.has(id))) continue;
      if ((await this.db.sealedRoster.where('photoSha256').equals(sha256).count()) > 0) continue;
      out.push(sha256);
    }
    return out;
  }

  /** 待同步: records not yet acknowledged by the server. */
  pendingCount(): Promise<number> {
    return this.db.outbox.count();
  }
}

