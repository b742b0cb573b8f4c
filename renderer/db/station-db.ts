import { Dexie, type EntityTable, type Table } from 'dexie';
import { InvalidStateError } from '../../core/errors/station-error.js';
import type { ConfirmationContent } from '../../core/contract/confirmation.js';
import type { RosterEntry } from '../../core/contract/roster.js';
import { BlobVault } from './blob-vault.js';
import { RecordSealer, type SealedField } from './record-seal.js';

/** A roster entry as the repository hands it out (decrypted), with the hash of its central photo. */
export interface RosterRow extends RosterEntry {
  /** The roster photo on the central server, fetched separately by hash. */
  photoSha256?: string;
}

/** A roster row as written by schema ≤ 4: plaintext, in the `roster` table, until the startup migration. */
export interface LegacyRosterRow extends RosterRow {
  idLast6: string;
}

/**
 * A roster row since schema 5. Nothing personal in plain form: the entry (photo data URL included) is
 * sealed, and what staff search by is there only as keyed hashes (see record-seal.ts).
 * Only the roster repository and the migration read or write these.
 */
export interface SealedRosterRow {
  /** HMAC of the normalised citizen number; the primary key. */
  idHash: string;
  /** HMAC of the last six characters (staff's short search). */
  last6Hash: string;
  /** HMAC of the registration number. */
  regNoHash: string;
  /** The central roster photo's address: a hash, not personal; indexed so a purge keeps the photo. */
  photoSha256?: string;
  /** `{ entry, photoSha256? }`, bound to `idHash`. */
  sealed: SealedField;
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

/**
 * A saved confirmation as the repository hands it out (decrypted): final and frozen; a correction is a
 * new record with `version` + 1 and `supersedes`.
 */
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
 * A confirmation as stored since schema 5: the content (names, numbers, every decision) is sealed and bound
 * to the row's id and plain fields; the candidate is found by the keyed hash of the citizen number.
 * Never modified once written (a hook on the table aborts any update).
 */
export interface SealedConfirmationRow {
  id: string;
  citizenHash: string;
  version: number;
  supersedes?: string;
  savedAt: string;
  /** SHA-256 of the canonical content JSON: what the server compares (a hash, not personal). */
  contentSha256: string;
  /** The blobs the content refers to (their addresses): a purge keeps blobs other records still use. */
  blobRefs: string[];
  /** Made in 培训模式; indexed (sparse) so the training purge finds these rows without decrypting. */
  training?: 1;
  /** `{ citizenId, content }`, bound to id, citizenHash, version, supersedes and savedAt. */
  sealed: SealedField;
}

/** 日结: the day (YYYY-MM-DD, station local time, UTC+8) was closed; its acknowledged records may expire. */
export interface DayCloseRow {
  day: string;
  closedAt: string;
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

/**
 * The signed QR of a saved record's receipt, kept so the receipt can be printed again (补打回执). The QR holds
 * no personal data (record id, content hash, station id, time: see core/contract/receipt.ts), so it is stored
 * as it is; the record it belongs to stays sealed in sealedConfirmations.
 */
export interface ReceiptRow {
  recordId: string;
  qr: string;
  keptAt: string;
}

/**
 * One part of the confirmation open at the desk (flow, decisions, each collector's captures), sealed, so that a
 * crash or reload can resume it (renderer/confirmations/draft-repository.ts). Deleted when its record is saved.
 */
export interface DraftRow {
  part: string;
  sealed: SealedField;
  at: string;
}

/** The station's one local database. Schema changes are new `version()` blocks, never edits of old ones. */
export class StationDb extends Dexie {
  /** Since schema 5 the roster lives here; the old `roster` table only empties into it (see legacyRoster). */
  sealedRoster!: EntityTable<SealedRosterRow, 'idHash'>;
  meta!: EntityTable<RosterMeta, 'key'>;
  /** Since schema 5 confirmations live here; the old `confirmations` table only empties into it. */
  sealedConfirmations!: EntityTable<SealedConfirmationRow, 'id'>;
  dayCloses!: EntityTable<DayCloseRow, 'day'>;
  // A plain Table: EntityTable's insert type would drop the fields the two row kinds do not share.
  blobs!: Table<BlobRow, string, BlobRow>;
  outbox!: EntityTable<OutboxRow, 'confirmationId'>;
  syncState!: EntityTable<SyncStateRow, 'key'>;
  audit!: EntityTable<AuditRow, 'seq'>;
  photoQueue!: EntityTable<PhotoQueueRow, 'sha256'>;
  receipts!: EntityTable<ReceiptRow, 'recordId'>;
  drafts!: EntityTable<DraftRow, 'part'>;
  /** The one way to blobs: encrypts on write and decrypts on read with the station's data key. */
  readonly vault: BlobVault;
  /** The one way to the personal fields of roster and confirmation rows, and to their lookup hashes. */
  readonly sealer: RecordSealer;

  /** `dataKey`: the station's data key (see blob-vault.ts); without it, reading or writing a blob fails. */
  constructor(name = 'xianchang-station', options: { dataKey?: CryptoKey } = {}) {
    super(name);
    this.vault = new BlobVault(this, options.dataKey);
    this.sealer = new RecordSealer(options.dataKey);
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
    // v5: roster and confirmations are sealed at rest, found by keyed hashes (record-seal.ts). A primary key
    // cannot change in place and an upgrade cannot await WebCrypto, so the rows move to new tables at
    // startup (migratePlaintextRows); here the old tables only lose their indexes of plaintext values.
    // The old tables stay (empty once migrated): dropping them in a later version would lose the rows of a
    // station that skipped this one's startup.
    this.version(5).stores({
      roster: 'citizenId',
      confirmations: 'id',
      sealedRoster: 'idHash, last6Hash, regNoHash, photoSha256',
      sealedConfirmations: 'id, citizenHash, [citizenHash+version], savedAt, training, *blobRefs',
      dayCloses: 'day',
    });
    // v6: each saved record's signed receipt QR, for 补打回执 (renderer/receipts/receipt-repository.ts).
    this.version(6).stores({ receipts: 'recordId' });
    // v7: the open confirmation, part by part, for resume after a crash (draft-repository.ts).
    this.version(7).stores({ drafts: 'part' });
    // Frozen once final: any attempt to modify a saved record aborts its transaction.
    this.sealedConfirmations.hook('updating', () => {
      throw new InvalidStateError('confirmation records are final');
    });
  }

  /** Schema ≤ 4 plaintext roster rows; read only by the migration. */
  get legacyRoster(): Table<LegacyRosterRow, string> {
    return this.table('roster');
  }

  /** Schema ≤ 4 plaintext confirmation rows; read only by the migration. */
  get legacyConfirmations(): Table<ConfirmationRow, string> {
    return this.table('confirmations');
  }
}
