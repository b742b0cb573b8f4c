import { ConfirmationBatchReply, ConfirmationUpload, MAX_BATCH_ITEMS, type ConfirmationResult } from '../../core/contract/central-api.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import type { ConfirmationRow, OutboxRow, StationDb, SyncStateRow } from '../db/station-db.js';
import { StorageError, type PlainBlob } from '../db/blob-vault.js';
import { BACKOFF_CAP_MS, backoffDelayMs, effectiveDueAt } from './backoff.js';
import type { CentralLink } from './central-link.js';
import { classifySyncError, type SyncFailure } from './sync-error.js';
import { syncKeys, type AckInfo, type LastError } from './sync-state.js';
import type { StagePassOptions, StagePassSummary, SyncStage } from './sync-stage.js';
import { CentralError } from '../../core/errors/station-error.js';
import { ConfirmationRepository } from '../confirmations/confirmation-repository.js';

export const UPLOAD_BATCH_SIZE = 50;
/**
 * A missing-blobs answer is retried in the very next pass a few times; after that the normal backoff
 * applies, so a server that keeps losing a blob cannot make the station spin.
 */
const IMMEDIATE_RETRIES = 3;
const MAX_MESSAGE_CHARS = 500;

export interface UploadStageOptions {
  /** Records per request (≤ the server's MAX_BATCH_ITEMS). */
  batchSize?: number;
  /** [0, 1): the jitter source; fixed in tests. */
  random?: () => number;
  /** Milliseconds since the epoch; timestamps written after a request use it. */
  clock?: () => number;
}

export interface UploadPassResult extends StagePassSummary {
  /** Outbox entries that were due when the pass began. */
  due: number;
  batches: number;
  blobsUploaded: number;
  /** Accepted or duplicate: removed from the outbox. */
  acknowledged: number;
  /** Back to pending (backoff, or at once for missing blobs). */
  retrying: number;
  /** Moved to 需处理. */
  needsAttention: number;
  /** The request-level failure that ended the pass early. */
  failure?: SyncFailure;
}

type Problem = { code: string; message: string };
type Decision =
  | { kind: 'ack'; outcome: AckInfo['outcome']; crossStation: boolean; unknownRules: boolean }
  | { kind: 'retry'; immediate: boolean; problem: Problem }
  | { kind: 'attention'; problem: Problem };

interface DueItem {
  entry: OutboxRow;
  record: ConfirmationRow;
}

/**
 * The upload half of sync: outbox entries go to the server in save order, in batches. Every entry is
 * marked `in-flight` before any request leaves, and only the server's acknowledgement removes it; a crash
 * anywhere leaves entries that `recoverInFlight` makes retryable, and the server's idempotency by id makes
 * the resend harmless. Uses only Dexie and the CentralLink, so it runs in a Web Worker.
 */
export class UploadStage implements SyncStage {
  readonly name = 'upload';
  readonly #batchSize: number;
  readonly #random: () => number;
  readonly #clock: () => number;
  #current: Promise<UploadPassResult> | undefined;
  /** After a request-level failure: no automatic pass before this time (the failed batch's retry time). */
  #holdUntil: number | undefined;
  /** Records are sealed at rest: read (and decrypted) only through their repository. */
  readonly #records: ConfirmationRepository;

  constructor(
    private readonly db: StationDb,
    private readonly link: CentralLink,
    options: UploadStageOptions = {},
  ) {
    this.#batchSize = Math.min(Math.max(1, Math.floor(options.batchSize ?? UPLOAD_BATCH_SIZE)), MAX_BATCH_ITEMS);
    this.#random = options.random ?? Math.random;
    this.#clock = options.clock ?? (() => Date.now());
    this.#records = new ConfirmationRepository(db);
  }

  /** Engine start: every `in-flight` entry was interrupted (crash, reload) and becomes `pending`, due now. */
  async recoverInFlight(): Promise<number> {
    await this.#current?.catch(() => undefined);
    return this.db.outbox
      .where('state')
      .equals('in-flight')
      .modify((row) => {
        row.state = 'pending';
        row.nextAttemptAt = 0;
      });
  }

  async recover(): Promise<void> {
    await this.recoverInFlight();
  }

  /** One pass over the due entries; a second call while one runs joins it instead of starting another. */
  runOnce(now: number = this.#clock(), options: StagePassOptions = {}): Promise<UploadPassResult> {
    this.#current ??= this.#pass(now, options).finally(() => {
      this.#current = undefined;
    });
    return this.#current;
  }

  async nextWakeAt(now: number): Promise<number | undefined> {
    const pending = await this.db.outbox.where('state').equals('pending').toArray();
    if (pending.length === 0) return undefined;
    const earliest = Math.min(...pending.map((row) => effectiveDueAt(row.nextAttemptAt, now)));
    const hold = this.#activeHold(now);
    return hold === undefined ? earliest : Math.max(earliest, hold);
  }

  /** A person looked at 需处理 entries (e.g. after re-enrollment): send them again. All of them without ids. */
  async requeue(confirmationIds?: readonly string[]): Promise<number> {
    this.#holdUntil = undefined;
    return this.db.transaction('rw', this.db.outbox, async () => {
      const rows = confirmationIds
        ? (await this.db.outbox.bulkGet([...confirmationIds])).filter((row) => row !== undefined)
        : await this.db.outbox.where('state').equals('needs-attention').toArray();
      const again = rows
        .filter((row) => row.state === 'needs-attention')
        .map((row): OutboxRow => ({ confirmationId: row.confirmationId, state: 'pending', attempts: 0, nextAttemptAt: 0 }));
      await this.db.outbox.bulkPut(again);
      return again.length;
    });
  }

  async #pass(now: number, options: StagePassOptions): Promise<UploadPassResult> {
    const result: UploadPassResult = { worked: false, due: 0, batches: 0, blobsUploaded: 0, acknowledged: 0, retrying: 0, needsAttention: 0 };
    if (options.force) this.#holdUntil = undefined;
    else if (this.#activeHold(now) !== undefined) return result;

    const due = await this.#dueItems(now, options.force ?? false, result);
    result.due = due.length;
    result.worked = due.length > 0 || result.needsAttention > 0;
    for (let start = 0; start < due.length; start += this.#batchSize) {
      if (options.signal?.aborted) break;
      // Pessimistic: marked before any request, so a crash during the request leaves them visibly unfinished.
      const marked = await this.#markInFlight(due.slice(start, start + this.#batchSize));
      if (marked.length === 0) continue;
      result.batches += 1;
      const failure = await this.#uploadChunk(marked, result);
      options.onProgress?.();
      if (failure) {
        result.failure = failure;
        break;
      }
    }
    return result;
  }

  #activeHold(now: number): number | undefined {
    const hold = this.#holdUntil;
    // A hold further ahead than the cap means the clock was moved back: drop it rather than wait hours.
    return hold !== undefined && hold > now && hold <= now + BACKOFF_CAP_MS ? hold : undefined;
  }

  /** Pending entries that are due, oldest save first; entries whose record is gone go to 需处理. */
  async #dueItems(now: number, force: boolean, result: UploadPassResult): Promise<DueItem[]> {
    const pending = await this.db.outbox.where('state').equals('pending').toArray();
    const due = force ? pending : pending.filter((row) => effectiveDueAt(row.nextAttemptAt, now) <= now);
    if (due.length === 0) return [];
    const records = await this.#records.getMany(due.map((row) => row.confirmationId));
    const items: DueItem[] = [];
    const orphans = new Map<string, Decision>();
    due.forEach((entry, i) => {
      const record = records[i];
      if (record instanceof StorageError) orphans.set(entry.confirmationId, attention('LOCAL_RECORD_UNREADABLE', record.userMessage));
      else if (record) items.push({ entry, record });
      else orphans.set(entry.confirmationId, attention('LOCAL_RECORD_MISSING', zhCN.sync.localRecordMissing));
    });
    if (orphans.size > 0) await this.#settle(orphans, {}, result);
    return items.sort(bySaveOrder);
  }

  #markInFlight(chunk: readonly DueItem[]): Promise<DueItem[]> {
    return this.db.transaction('rw', this.db.outbox, async () => {
      const rows = await this.db.outbox.bulkGet(chunk.map((item) => item.entry.confirmationId));
      const marked: DueItem[] = [];
      chunk.forEach((item, i) => {
        const row = rows[i];
        // Only still-pending entries: another pass or a person may have changed them since the snapshot.
        if (row?.state === 'pending') marked.push({ entry: { ...row, state: 'in-flight' }, record: item.record });
      });
      await this.db.outbox.bulkPut(marked.map((item) => item.entry));
      return marked;
    });
  }

  /** Blobs first, then the batch, then the answers in one transaction. Returns a request-level failure. */
  async #uploadChunk(items: readonly DueItem[], result: UploadPassResult): Promise<SyncFailure | undefined> {
    const decisions = new Map<string, Decision>();
    const uploads: ConfirmationUpload[] = [];
    for (const { record } of items) {
      // Checked here so one bad local record is kept back instead of breaking the whole request's envelope.
      const parsed = uploadOf(record);
      if (parsed.success) uploads.push(parsed.data);
      else decisions.set(record.id, attention('LOCAL_RECORD_INVALID', zhCN.sync.localRecordInvalid));
    }

    const blobs = await this.#uploadBlobs(uploads);
    result.blobsUploaded += blobs.uploaded;
    if (blobs.failure) return this.#failChunk(items, decisions, blobs.failure, result);

    const sendable: ConfirmationUpload[] = [];
    for (const upload of uploads) {
      const blocked = upload.blobs.map((sha256) => blobs.blocked.get(sha256)).find((problem) => problem !== undefined);
      if (blocked) decisions.set(upload.id, { kind: 'attention', problem: blocked });
      else sendable.push(upload);
    }
    if (sendable.length === 0) {
      await this.#settle(decisions, {}, result);
      return undefined;
    }

    let reply: ConfirmationBatchReply;
    try {
      const parsed = ConfirmationBatchReply.safeParse(await this.link.uploadBatch(sendable));
      if (!parsed.success) throw new CentralError('INTERNAL', zhCN.sync.badReply, 'BAD_REPLY', true);
      reply = parsed.data;
    } catch (thrown) {
      return this.#failChunk(items, decisions, classifySyncError(thrown), result);
    }

    const answers = new Map<string, ConfirmationResult>();
    for (const answer of reply.results) if (!answers.has(answer.id)) answers.set(answer.id, answer);
    const droppedBlobs = new Set<string>();
    for (const upload of sendable) decisions.set(upload.id, decide(answers.get(upload.id), upload, droppedBlobs));
    await this.#settle(decisions, { answered: true, droppedBlobs }, result);
    return undefined;
  }

  /** The server's copy of each blob is uploaded at most once: the ones it is known to hold are skipped. */
  async #uploadBlobs(uploads: readonly ConfirmationUpload[]): Promise<{ uploaded: number; blocked: Map<string, Problem>; failure?: SyncFailure }> {
    const blocked = new Map<string, Problem>();
    let uploaded = 0;
    const wanted = [...new Set(uploads.flatMap((upload) => upload.blobs))];
    if (wanted.length === 0) return { uploaded, blocked };
    const known = await this.db.syncState.bulkGet(wanted.map(syncKeys.blob));
    for (const [i, sha256] of wanted.entries()) {
      if (known[i]) continue;
      let blob: PlainBlob | undefined;
      try {
        // Decrypted here; the server receives the plaintext over the host's signed channel and checks its hash.
        blob = await this.db.vault.get(sha256);
      } catch (thrown) {
        // A row that fails to decrypt is kept as it is (never deleted); its records wait in 需处理.
        if (!(thrown instanceof StorageError)) throw thrown;
        blocked.set(sha256, { code: 'LOCAL_BLOB_UNREADABLE', message: thrown.userMessage });
        continue;
      }
      if (!blob) {
        blocked.set(sha256, { code: 'LOCAL_BLOB_MISSING', message: zhCN.sync.localBlobMissing });
        continue;
      }
      try {
        await this.link.uploadBlob(sha256, blob.mime, blob.bytes);
      } catch (thrown) {
        const failure = classifySyncError(thrown);
        // Network or station trouble stops the batch; a blob the server refuses holds back only its records.
        if (failure.transient || failure.stationWide) return { uploaded, blocked, failure };
        blocked.set(sha256, { code: failure.code, message: failure.message });
        continue;
      }
      uploaded += 1;
      // Written at once: a crash later in the batch does not cost this upload again.
      await this.db.syncState.put({ key: syncKeys.blob(sha256), value: { at: this.#clock() } });
    }
    return { uploaded, blocked };
  }

  async #failChunk(items: readonly DueItem[], decisions: Map<string, Decision>, failure: SyncFailure, result: UploadPassResult): Promise<SyncFailure> {
    const problem = { code: failure.code, message: failure.message };
    for (const { record } of items) {
      if (decisions.has(record.id)) continue;
      decisions.set(record.id, failure.transient ? { kind: 'retry', immediate: false, problem } : { kind: 'attention', problem });
    }
    const { earliestRetry } = await this.#settle(decisions, { failure }, result);
    if (failure.transient) this.#holdUntil = earliestRetry;
    else if (failure.stationWide) this.#holdUntil = this.#clock() + BACKOFF_CAP_MS;
    return failure;
  }

  /**
   * Applies the decisions for one batch in one transaction: acknowledged entries leave the outbox (their
   * records stay), the others change state. Entries someone else changed meanwhile are left alone, except
   * that an acknowledgement always removes its entry: the server has the record.
   */
  async #settle(
    decisions: ReadonlyMap<string, Decision>,
    outcome: { answered?: boolean; failure?: SyncFailure; droppedBlobs?: ReadonlySet<string> },
    result: UploadPassResult,
  ): Promise<{ earliestRetry: number | undefined }> {
    const now = this.#clock();
    const list = [...decisions];
    let earliestRetry: number | undefined;
    await this.db.transaction('rw', [this.db.outbox, this.db.syncState], async () => {
      const rows = await this.db.outbox.bulkGet(list.map(([id]) => id));
      const deletes: string[] = [];
      const puts: OutboxRow[] = [];
      const state: SyncStateRow[] = [];
      list.forEach(([id, decision], i) => {
        const row = rows[i];
        if (!row) return;
        if (decision.kind === 'ack') {
          deletes.push(id);
          const ack: AckInfo = { at: now, outcome: decision.outcome, crossStation: decision.crossStation, ...(decision.unknownRules ? { unknownRules: true } : {}) };
          state.push({ key: syncKeys.ack(id), value: ack });
          result.acknowledged += 1;
          return;
        }
        if (row.state === 'needs-attention') return;
        const attempts = row.attempts + 1;
        if (decision.kind === 'retry') {
          const delay = decision.immediate && attempts <= IMMEDIATE_RETRIES ? 0 : backoffDelayMs(attempts, this.#random);
          const nextAttemptAt = now + delay;
          earliestRetry = Math.min(earliestRetry ?? nextAttemptAt, nextAttemptAt);
          puts.push({ confirmationId: id, state: 'pending', attempts, nextAttemptAt, lastError: decision.problem });
          result.retrying += 1;
        } else {
          puts.push({ confirmationId: id, state: 'needs-attention', attempts, nextAttemptAt: row.nextAttemptAt, lastError: decision.problem });
          result.needsAttention += 1;
        }
      });
      await this.db.outbox.bulkDelete(deletes);
      await this.db.outbox.bulkPut(puts);
      await this.db.syncState.bulkPut(state);
      if (outcome.droppedBlobs && outcome.droppedBlobs.size > 0) {
        // The server lost (or never kept) these: upload them again next pass.
        await this.db.syncState.bulkDelete([...outcome.droppedBlobs].map(syncKeys.blob));
      }
      if (outcome.answered) {
        await this.db.syncState.put({ key: syncKeys.lastSuccessAt, value: now });
        await this.db.syncState.delete(syncKeys.lastError);
      } else if (outcome.failure) {
        const lastError: LastError = { at: now, code: outcome.failure.code, message: outcome.failure.message, transient: outcome.failure.transient };
        await this.db.syncState.put({ key: syncKeys.lastError, value: lastError });
      }
    });
    return { earliestRetry };
  }
}

/** What the server's answer for one record means for its outbox entry. No answer is no acknowledgement. */
/** A saved record as the central server takes it, online or in a handoff bundle. */
export function uploadOf(record: Pick<ConfirmationRow, 'id' | 'citizenId' | 'content'>) {
  return ConfirmationUpload.safeParse({
    id: record.id,
    citizenId: record.citizenId,
    content: record.content,
    blobs: [...new Set(record.content.blobs.map((blob) => blob.sha256))],
  });
}

function decide(answer: ConfirmationResult | undefined, upload: ConfirmationUpload, droppedBlobs: Set<string>): Decision {
  if (!answer) return { kind: 'retry', immediate: false, problem: problem('NOT_ACKNOWLEDGED', zhCN.sync.notAcknowledged) };
  switch (answer.status) {
    case 'accepted':
    case 'duplicate':
      return { kind: 'ack', outcome: answer.status, crossStation: answer.crossStation === true, unknownRules: answer.unknownRules === true };
    case 'missing-blobs':
      for (const sha256 of answer.missingBlobs?.length ? answer.missingBlobs : upload.blobs) droppedBlobs.add(sha256);
      return { kind: 'retry', immediate: true, problem: problem('MISSING_BLOBS', answer.error?.message ?? zhCN.central.confirmations.missingBlobs) };
    case 'conflict':
      return attention('CONFLICT', answer.error?.message ?? zhCN.central.confirmations.conflict);
    case 'invalid':
      return attention('INVALID', answer.error?.message ?? zhCN.central.confirmations.invalid);
  }
}

function problem(code: string, message: string): Problem {
  return { code, message: message.slice(0, MAX_MESSAGE_CHARS) };
}

function attention(code: string, message: string): Decision {
  return { kind: 'attention', problem: problem(code, message) };
}

function bySaveOrder(a: DueItem, b: DueItem): number {
  if (a.record.savedAt !== b.record.savedAt) return a.record.savedAt < b.record.savedAt ? -1 : 1;
  if (a.record.version !== b.record.version) return a.record.version - b.record.version;
  return a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0;
}
