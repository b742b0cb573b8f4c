import { Dexie, type EntityTable, type Table } from 'dexie';
import type { ConfirmationContent } from '../../core/contract/confirmation.js';
import type { RosterEntry } from '../../core/contract/roster.js';
import { BlobVault } from './blob-vault.js';

export interface RosterRow extends RosterEntry {
  /** Staff often search by the last six characters of the number. */
  idLast6: string;
  /** The roster photo on the central server, fetched separately by hash. */
  photoSha256?: string;
}

export interface RosterMeta {
  key: 'roster';
  pointCode: string;
  pointName: string;
  generatedAt: string;
  loadedAt: string;
  count: number;
  synthetic: boolean;
  /** Where the roster came from; a roster from the central server is never replaced by the bundled seed. */
  source?: 'seed' | 'central';
}

/** A saved confirmation: final and frozen; a correction is a new row with `version` + 1 and `supersedes`. */
export interface ConfirmationRow {
  /** Client-generated UUID: the idempotency key on the server. */
  id: string;
  citizenId: string;
  version: number;
  supersedes?: string;
  content: ConfirmationContent;
  /** SHA-256 of the canonical content JSON, as the server compares it. */
  contentSha256: string;
  savedAt: string;
}

/**
 * A blob as stored since schema 4: AES-GCM under the station's data key, with its sha256 and mime bound
 * as additional data, so a row moved under another address (or relabelled) fails to decrypt.
 * Only blob-vault.ts reads or writes these; everyone else sees plaintext through it.
 */
export interface EncryptedBlobRow {
  sha256: string;
  mime: string;
  /** A fresh 96-bit IV per row. */
  iv: Uint8Array<ArrayBuffer>;
  /** Ciphertext with the 128-bit GCM tag at its end. */
  cipher: Uint8Array<ArrayBuffer>;
}

/** A blob written by schema ≤ 3: plaintext until `migratePlaintextBlobs` encrypts it at startup. */
export interface LegacyBlobRow {
  sha256: string;
  mime: string;
  bytes: Uint8Array<ArrayBuffer>;
  /** Set by the version 4 upgrade; indexed (sparse) so the migration finds these rows without a scan. */
  plain: 1;
}

export type BlobRow = EncryptedBlobRow | LegacyBlobRow;

/**
 * One entry per confirmation still to reach the server. `in-flight` is set before a request is sent, so a
 * crash mid-upload leaves the entry visibly retryable; only the server's acknowledgement removes it.
 */
export interface OutboxRow {
  confirmationId: string;
  state: 'pending' | 'in-flight' | 'needs-attention';
  attempts: number;
  nextAttemptAt: number;
  lastError?: { code: string; message: string };
}

export interface SyncStateRow {
  key: string;
  value: unknown;
}

/** A roster photo still to download (its hash came with a roster page; the bytes come separately). */
export interface PhotoQueueRow {
  sha256: string;
  attempts: number;
}

/** Who did what at this station, kept locally for the supervisors' day log. */
export interface AuditRow {
  seq?: number;
  at: string;
  kind: string;
  confirmationId?: string;
  /** How many records an action touched (training purge). */
  count?: number;
}

/** The station's one local database. Schema changes are new `version()` blocks, never edits of old ones. */
export class StationDb extends Dexie {
  roster!: EntityTable<RosterRow, 'citizenId'>;
  meta!: EntityTable<RosterMeta, 'key'>;
  confirmations!: EntityTable<ConfirmationRow, 'id'>;
  // A plain Table: EntityTable's insert type would drop the fields the two row kinds do not share.
  blobs!: Table<BlobRow, string, BlobRow>;
  outbox!: EntityTable<OutboxRow, 'confirmationId'>;
  syncState!: EntityTable<SyncStateRow, 'key'>;
  audit!: EntityTable<AuditRow, 'seq'>;
  photoQueue!: EntityTable<PhotoQueueRow, 'sha256'>;
  /** The one way to blobs: encrypts on write and decrypts on read with the station's data key. */
  readonly vault: BlobVault;

  /** `dataKey`: the station's data key (see blob-vault.ts); without it, reading or writing a blob fails. */
  constructor(name = 'xianchang-station', options: { dataKey?: CryptoKey } = {}) {
    super(name);
    this.vault = new BlobVault(this, options.dataKey);
    this.version(1).stores({
      roster: 'citizenId, idLast6, registrationNo',
      meta: 'key',
    });
    // v2: the offline record of the day (issue 4). Roster and meta are unchanged.
    this.version(2).stores({
      confirmations: 'id, citizenId, [citizenId+version], savedAt',
      blobs: 'sha256',
      outbox: 'confirmationId, state, nextAttemptAt',
      syncState: 'key',
      audit: '++seq, at, kind',
    });
    // v3: roster photos by hash. Pages queue the photos they reference; the roster stage drains the queue.
    this.version(3).stores({ photoQueue: 'sha256' });
    // v4: blobs are encrypted at rest. An upgrade cannot await WebCrypto (the version transaction would
    // end), so it only marks the plaintext rows; migratePlaintextBlobs encrypts them when the app starts.
    this.version(4)
      .stores({ blobs: 'sha256, plain' })
      .upgrade((tx) =>
        tx
          .table<LegacyBlobRow, string>('blobs')
          .toCollection()
          .modify((row) => {
            row.plain = 1;
          }),
      );
  }
}
