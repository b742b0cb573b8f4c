import { StorageError } from '../db/blob-vault.js';
import type { StationDb } from '../db/station-db.js';
import { unwrapDexie } from '../db/dexie-errors.js';

/**
 * The confirmation open at the desk, kept part by part so that an app crash, a reload or a host restart loses
 * nothing a step already completed: the flow (candidate, step, the kiosk's reports), the desk's decisions, the
 * 资格审核 checks with their photos, each collector's captures. Every part is sealed with the data key like the
 * records themselves (it holds the same personal data). Written as each step's result changes; cleared in the
 * transaction that saves the record, and when staff discard the open confirmation.
 */
export const draftParts = ['flow', 'decisions', 'eligibility', 'standard-photo', 'fingerprints'] as const;
export type DraftPart = (typeof draftParts)[number];

export interface StoredDraft {
  /** Each part as stored (unchecked JSON: each owner checks its own with its schema). */
  parts: Partial<Record<DraftPart, unknown>>;
  /** When the newest part was written. */
  at: string | undefined;
  /** Parts that failed to open (a damaged row, another data key): the draft is not resumable. */
  unreadable: DraftPart[];
}

const isPart = (value: string): value is DraftPart => (draftParts as readonly string[]).includes(value);

export class DraftRepository {
  constructor(
    private readonly db: StationDb,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Seals and stores one part (replacing the previous value). `stillWanted` is asked after sealing, right before
   * the write: once the record is being saved (its transaction clears the draft) a late part must not come back.
   */
  async put(part: DraftPart, value: unknown, stillWanted: () => boolean = () => true): Promise<void> {
    const sealed = await this.db.sealer.seal('draft', part, value);
    if (!stillWanted()) return;
    await unwrapDexie(() => this.db.drafts.put({ part, sealed, at: this.now().toISOString() }));
  }

  async remove(part: DraftPart): Promise<void> {
    await unwrapDexie(() => this.db.drafts.delete(part));
  }

  async read(): Promise<StoredDraft> {
    const rows = await unwrapDexie(() => this.db.drafts.toArray());
    const parts: StoredDraft['parts'] = {};
    const unreadable: DraftPart[] = [];
    let at: string | undefined;
    for (const row of rows) {
      if (!isPart(row.part)) continue;
      if (at === undefined || row.at > at) at = row.at;
      try {
        parts[row.part] = await this.db.sealer.open('draft', row.part, row.sealed);
      } catch (error) {
        if (!(error instanceof StorageError)) throw error;
        unreadable.push(row.part);
      }
    }
    return { parts, at, unreadable };
  }

  async clear(): Promise<void> {
    await unwrapDexie(() => this.db.drafts.clear());
  }
}
