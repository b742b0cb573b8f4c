import { ConfirmationContent } from '../../core/contract/confirmation.js';
import { InvalidStateError, StationError, ValidationError } from '../../core/errors/station-error.js';
import type { ConfirmationRow, StationDb } from '../db/station-db.js';
import { canonicalJson } from '../../core/util/canonical-json.js';
import { sha256Hex } from '../../core/crypto/sha256.js';

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
}

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
  ) {
    // Frozen once final: any attempt to modify a saved record aborts its transaction.
    db.confirmations.hook('updating', () => {
      throw new InvalidStateError('confirmation records are final');
    });
  }

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
    const sealed = await this.db.vault.sealAll(blobs);

    return unwrapDexie(() => this.db.transaction('rw', [this.db.confirmations, this.db.blobs, this.db.outbox, this.db.audit], async () => {
      let version = 1;
      if (request.supersedes) {
        const previous = await this.db.confirmations.get(request.supersedes);
        if (!previous || previous.citizenId !== content.candidate.citizenId) {
          throw new InvalidStateError('a correction must supersede a saved record of the same candidate');
        }
        version = previous.version + 1;
      }
      await this.db.vault.addSealed(sealed);
      const row: ConfirmationRow = {
        id,
        citizenId: content.candidate.citizenId,
        version,
        ...(request.supersedes ? { supersedes: request.supersedes } : {}),
        content,
        contentSha256,
        savedAt,
      };
      await this.db.confirmations.add(row);
      // Training records stay here: no outbox entry, so the sync engine never sees them.
      if (!content.training) await this.db.outbox.add({ confirmationId: id, state: 'pending', attempts: 0, nextAttemptAt: 0 });
      await this.db.audit.add({ at: savedAt, kind: request.supersedes ? 'confirmation-corrected' : 'confirmation-saved', confirmationId: id });
      return row;
    }));
  }

  get(id: string): Promise<ConfirmationRow | undefined> {
    return this.db.confirmations.get(id);
  }

  /** All versions for one candidate, oldest first. */
  history(citizenId: string): Promise<ConfirmationRow[]> {
    return this.db.confirmations.where('[citizenId+version]').between([citizenId, 0], [citizenId, Infinity]).toArray();
  }

  /**
   * 结束培训: deletes every record made in training and the blobs only they refer to (audited by count).
   * Real records and their blobs are untouched.
   */
  async purgeTraining(): Promise<number> {
    return unwrapDexie(() =>
      this.db.transaction('rw', [this.db.confirmations, this.db.blobs, this.db.outbox, this.db.audit], async () => {
        const all = await this.db.confirmations.toArray();
        const training = all.filter((row) => row.content.training === true);
        if (training.length === 0) return 0;
        const kept = new Set(all.filter((row) => row.content.training !== true).flatMap((row) => row.content.blobs.map((b) => b.sha256)));
        const orphaned = [...new Set(training.flatMap((row) => row.content.blobs.map((b) => b.sha256)))].filter((sha) => !kept.has(sha));
        await this.db.confirmations.bulkDelete(training.map((row) => row.id));
        await this.db.outbox.bulkDelete(training.map((row) => row.id));
        await this.db.blobs.bulkDelete(orphaned);
        await this.db.audit.add({ at: this.deps.now().toISOString(), kind: 'training-purged', count: training.length });
        return training.length;
      }),
    );
  }

  /** 待同步: records not yet acknowledged by the server. */
  pendingCount(): Promise<number> {
    return this.db.outbox.count();
  }
}

/** Dexie reports an error thrown inside a transaction as its own error with the original as `inner`. */
async function unwrapDexie<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const inner = (error as { inner?: unknown }).inner;
    throw inner instanceof StationError ? inner : error;
  }
}
