import { PhotoDataUrl, type RosterEntry, type RosterSeed } from '../../core/contract/roster.js';
import { toStationError, type StationError } from '../../core/errors/station-error.js';
import type { RosterMeta, StationDb } from '../db/station-db.js';
import { bytesToBase64 } from '../util/base64.js';
import { StorageError, type PlainBlob } from '../db/blob-vault.js';

export interface RosterSync {
  meta: RosterMeta;
  /** Set when the seed could not be read and the roster already stored was kept. */
  loadError?: StationError;
}

/** The local roster: kept in step with the seed the host provides, looked up by citizen number. */
export class RosterRepository {
  constructor(private readonly db: StationDb) {}

  meta(): Promise<RosterMeta | undefined> {
    return this.db.meta.get('roster');
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
    await this.db.transaction('rw', this.db.roster, this.db.meta, async () => {
      await this.db.roster.clear();
      await this.db.roster.bulkPut(seed.entries.map((entry) => ({ ...entry, idLast6: entry.citizenId.slice(-6) })));
      await this.db.meta.put(meta);
    });
    return { meta };
  }

  /** The entry as the UI shows it: a central roster's photo comes from the blob store by its hash. */
  async findByCitizenId(citizenId: string): Promise<RosterEntry | undefined> {
    const row = await this.db.roster.get(citizenId);
    if (!row) return undefined;
    const { idLast6, photoSha256, ...entry } = row;
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
