import { z } from 'zod';
import { PhotoDataUrl, RosterEntry, type RosterSeed } from '../../core/contract/roster.js';
import { toStationError, ValidationError, type StationError } from '../../core/errors/station-error.js';
import type { RosterMeta, RosterRow, SealedRosterRow, StationDb } from '../db/station-db.js';
import { bytesToBase64 } from '../util/base64.js';
import { StorageError, type PlainBlob } from '../db/blob-vault.js';

export interface RosterSync {
  meta: RosterMeta;
  /** Set when the seed could not be read and the roster already stored was kept. */
  loadError?: StationError;
}

/** What a sealed roster row holds. Checked on every open: a row may have been damaged on disk. */
const SealedRosterContent = z.strictObject({
  entry: RosterEntry,
  photoSha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});
type SealedRosterContent = z.infer<typeof SealedRosterContent>;

/** Rows sealed per step of a long import: WebCrypto work is spread, memory stays bounded. */
const SEAL_CHUNK = 1000;

/**
 * Seals roster rows for storage; call it BEFORE the transaction that stores them (WebCrypto inside an
 * IndexedDB transaction would end it). Every lookup value becomes a keyed hash of its normalised form.
 */
export async function sealRosterRows(db: StationDb, rows: readonly RosterRow[]): Promise<SealedRosterRow[]> {
  const out: SealedRosterRow[] = [];
  for (let start = 0; start < rows.length; start += SEAL_CHUNK) {
    const chunk = rows.slice(start, start + SEAL_CHUNK);
    out.push(...(await Promise.all(chunk.map((row) => sealOne(db, row)))));
  }
  return out;
}

async function sealOne(db: StationDb, { photoSha256, ...entry }: RosterRow): Promise<SealedRosterRow> {
  const { sealer } = db;
  const [idHash, last6Hash, regNoHash] = await Promise.all([
    sealer.hash('citizen-id', entry.citizenId),
    sealer.hash('last6', entry.citizenId.slice(-6)),
    sealer.hash('registration-no', entry.registrationNo),
  ]);
  // Checked before sealing: what is stored must open again under the same schema.
  const parsed = SealedRosterContent.safeParse({ entry, ...(photoSha256 ? { photoSha256 } : {}) });
  if (!parsed.success) throw new ValidationError('roster entry failed its schema');
  const content: SealedRosterContent = parsed.data;
  return { idHash, last6Hash, regNoHash, ...(photoSha256 ? { photoSha256 } : {}), sealed: await sealer.seal('roster', idHash, content) };
}

/** Opens a stored row; one that fails authentication or its schema is a StorageError, never data. */
export async function openRosterRow(db: StationDb, row: SealedRosterRow): Promise<RosterRow> {
  const parsed = SealedRosterContent.safeParse(await db.sealer.open('roster', row.idHash, row.sealed));
  if (!parsed.success) throw new StorageError('unreadable', 'roster row content failed its schema');
  return { ...parsed.data.entry, ...(parsed.data.photoSha256 ? { photoSha256: parsed.data.photoSha256 } : {}) };
}

/**
 * The local roster: kept in step with the seed the host provides (or downloaded by the roster stage), and
 * looked up by citizen number, last six characters or registration number through keyed hashes only.
 */
export class RosterRepository {
  constructor(private readonly db: StationDb) {}

  meta(): Promise<RosterMeta | undefined> {
    return this.db.meta.get('roster');
  }

  count(): Promise<number> {
    return this.db.sealedRoster.count();
  }

  /**
   * Replaces the stored roster when the seed is a different one (another point, or a newer export), in one
   * transaction: a half-loaded roster never exists. When the seed cannot be read, a stored roster is kept.
   */
  async syncFromSeed(loadSeed: () => Promise<RosterSeed>, now: () => Date = () => new Date()): Promise<RosterSync> {
    const existing = await this.meta();
    // Once the central server's roster has arrived, the bundled seed has nothing to add.
    if (existing?.source === 'central') return { meta: existing };
    let seed: RosterSeed;
    try {
      seed = await loadSeed();
    } catch (error) {
      if (existing) return { meta: existing, loadError: toStationError(error) };
      throw error;
    }
    if (existing && existing.pointCode === seed.pointCode && existing.generatedAt === seed.generatedAt) {
      return { meta: existing };
    }
    const meta: RosterMeta = {
      key: 'roster',
      pointCode: seed.pointCode,
      pointName: seed.pointName,
      generatedAt: seed.generatedAt,
      loadedAt: now().toISOString(),
      count: seed.entries.length,
      synthetic: seed.synthetic,
      source: 'seed',
    };
    const rows = await sealRosterRows(this.db, seed.entries);
    await this.db.transaction('rw', this.db.sealedRoster, this.db.meta, async () => {
      await this.db.sealedRoster.clear();
      await this.db.sealedRoster.bulkPut(rows);
      await this.db.meta.put(meta);
    });
    return { meta };
  }

  /** The entry as the UI shows it: a central roster's photo comes from the blob store by its hash. */
  async findByCitizenId(citizenId: string): Promise<RosterEntry | undefined> {
    const row = await this.db.sealedRoster.get(await this.db.sealer.hash('citizen-id', citizenId));
    return row && this.#withPhoto(await openRosterRow(this.db, row));
  }

  /** Candidates whose number ends in these six characters (photos not loaded: a pick list). */
  async findByLast6(last6: string): Promise<RosterEntry[]> {
    return this.#openAll(await this.db.sealedRoster.where('last6Hash').equals(await this.db.sealer.hash('last6', last6)).toArray());
  }

  async findByRegistrationNo(registrationNo: string): Promise<RosterEntry[]> {
    return this.#openAll(await this.db.sealedRoster.where('regNoHash').equals(await this.db.sealer.hash('registration-no', registrationNo)).toArray());
  }

  async #openAll(rows: readonly SealedRosterRow[]): Promise<RosterEntry[]> {
    const opened = await Promise.all(rows.map((row) => openRosterRow(this.db, row)));
    return opened.map(({ photoSha256: _photo, ...entry }) => entry);
  }

  async #withPhoto({ photoSha256, ...entry }: RosterRow): Promise<RosterEntry> {
    if (entry.photo || !photoSha256) return entry;
    let blob: PlainBlob | undefined;
    try {
      blob = await this.db.vault.get(photoSha256);
    } catch (thrown) {
      // An unreadable photo must not hide the candidate: staff compare with the chip photo instead.
      if (!(thrown instanceof StorageError)) throw thrown;
      blob = undefined;
    }
    const photo = blob && photoDataUrl(blob.mime, blob.bytes);
    return photo ? { ...entry, photo } : entry;
  }
}

/** Only the types the contract accepts as photos, and only when the result fits its size limit. */
function photoDataUrl(mime: string, bytes: Uint8Array): string | undefined {
  if (mime !== 'image/jpeg' && mime !== 'image/png') return undefined;
  const url = `data:${mime};base64,${bytesToBase64(bytes)}`;
  return PhotoDataUrl.safeParse(url).success ? url : undefined;
}
