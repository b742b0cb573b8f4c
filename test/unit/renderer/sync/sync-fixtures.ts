import 'fake-indexeddb/auto';
import {
  ConfirmationUpload,
  type BlobMime,
  type ConfirmationBatchReply,
  type ConfirmationResult,
  type RosterDeltaEntry,
  type RosterDeltaReply,
} from '../../../../core/contract/central-api.js';
import type { CentralBlobDownload } from '../../../../core/contract/station-api.js';
import { zhCN } from '../../../../core/i18n/zh-CN.js';
import { canonicalJson } from '../../../../core/util/canonical-json.js';
import { ConfirmationRepository, type NewBlob } from '../../../../renderer/confirmations/confirmation-repository.js';
import { sha256Hex } from '../../../../core/crypto/sha256.js';
import { StationDb } from '../../../../renderer/db/station-db.js';
import type { CentralLink } from '../../../../renderer/sync/central-link.js';
import type { SyncClock } from '../../../../renderer/sync/clock.js';
import { sampleRoster } from '../../../support/sample-roster.js';
import { testDataKey } from '../data-key.js';

export { testDataKey };
import { CentralError } from '../../../../core/errors/station-error.js';

export const T0 = Date.parse('2026-11-23T01:30:00.000Z');

let dbCounter = 0;
const opened: StationDb[] = [];

/** A fresh database per test; `closeAll` deletes them. */
export function openDb(name = `sync-${++dbCounter}-${Math.random().toString(36).slice(2)}`): StationDb {
  const db = new StationDb(name, { dataKey: testDataKey });
  opened.push(db);
  return db;
}

export async function closeAll(): Promise<void> {
  for (const db of opened.splice(0)) {
    db.close();
    await StationDb.delete(db.name);
  }
}

export function uuidFor(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** Saves `count` confirmations through the real repository, one second apart, so save order is known. */
export async function saveRecords(
  db: StationDb,
  count: number,
  options: { blobs?: (i: number) => NewBlob[]; firstId?: number; startAt?: number } = {},
): Promise<string[]> {
  let at = options.startAt ?? T0;
  let next = options.firstId ?? 1;
  const repo = new ConfirmationRepository(db, { now: () => new Date((at += 1000)), newId: () => uuidFor(next++) });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const entry = sampleRoster.entries[i % sampleRoster.entries.length]!;
    const row = await repo.save({
      content: {
        candidate: { citizenId: entry.citizenId, registrationNo: entry.registrationNo, name: entry.name },
        identification: { source: 'chip', cardType: 'resident' },
        outcome: 'confirmed',
        reasons: [],
        decidedAt: new Date(at).toISOString(),
      },
      blobs: options.blobs?.(i) ?? [],
    });
    ids.push(row.id);
  }
  return ids;
}

export function photo(fill: number, size = 1024): NewBlob {
  return { role: 'standard-photo', mime: 'image/jpeg', bytes: new Uint8Array(size).fill(fill) };
}

export type FakeCall = { kind: 'blob'; sha256: string } | { kind: 'batch'; ids: string[] };

/**
 * A central server in memory with the real server's batch rules (per-item validation with the contract,
 * duplicate vs conflict by content hash, missing blobs), recording every call. Hooks inject failures.
 */
export class FakeCentral implements CentralLink {
  readonly blobs = new Map<string, Uint8Array>();
  /** id → content hash: what the server holds. */
  readonly records = new Map<string, string>();
  readonly calls: FakeCall[] = [];
  /** How often each id was sent in a batch. */
  readonly sent = new Map<string, number>();
  active = 0;
  maxActive = 0;
  /** Before the server looks at a blob: throw to fail the request. */
  beforeBlob: ((sha256: string) => void | Promise<void>) | undefined;
  /** Before the server stores anything of a batch: throw to fail the request, await to hold it. */
  beforeBatch: ((ids: string[]) => void | Promise<void>) | undefined;
  /** After the server stored the batch: throw to lose the reply (the records stay stored). */
  afterBatch: ((ids: string[]) => void | Promise<void>) | undefined;
  /** Replaces the server's answer for chosen items. */
  override: ((id: string) => ConfirmationResult | undefined) | undefined;
  /** The point's roster in change order; a cursor is the number of rows already sent. */
  roster: RosterDeltaEntry[] = [];
  /** Before the server answers a roster page: throw to fail the request. */
  beforeRoster: ((cursor: string) => void | Promise<void>) | undefined;

  /** Roster photos by address; `beforePhoto` may throw to fail the request. */
  readonly photos = new Map<string, { mime: BlobMime; bytes: Uint8Array }>();
  beforePhoto: ((sha256: string) => void | Promise<void>) | undefined;
  readonly photoCalls: string[] = [];

  async fetchBlob(sha256: string): Promise<CentralBlobDownload> {
    this.photoCalls.push(sha256);
    await this.beforePhoto?.(sha256);
    const photo = this.photos.get(sha256);
    if (!photo) throw new CentralError('NOT_FOUND', zhCN.central.errors.notFound, 'NOT_FOUND', false);
    return { sha256, mime: photo.mime, base64: Buffer.from(photo.bytes).toString('base64') };
  }

  async rosterDelta(cursor: string, limit: number): Promise<RosterDeltaReply> {
    await this.beforeRoster?.(cursor);
    const from = cursor === '' ? 0 : Number(cursor);
    const entries = this.roster.slice(from, from + limit);
    const end = from + entries.length;
    return { entries, nextCursor: String(end), done: end >= this.roster.length, remaining: this.roster.length - from };
  }

  async uploadBlob(sha256: string, _mime: string, bytes: Uint8Array<ArrayBuffer>): Promise<void> {
    this.calls.push({ kind: 'blob', sha256 });
    await this.#enter(async () => {
      await this.beforeBlob?.(sha256);
      if (sha256Hex(bytes) !== sha256) {
        throw new CentralError('VALIDATION', zhCN.central.blobs.hashMismatch, 'BLOB_HASH_MISMATCH', false);
      }
      this.blobs.set(sha256, bytes);
    });
  }

  async uploadBatch(items: readonly ConfirmationUpload[]): Promise<ConfirmationBatchReply> {
    const ids = items.map((item) => item.id);
    this.calls.push({ kind: 'batch', ids });
    for (const id of ids) this.sent.set(id, (this.sent.get(id) ?? 0) + 1);
    return this.#enter(async () => {
      await this.beforeBatch?.(ids);
      const results = items.map((item) => this.override?.(item.id) ?? this.#store(item));
      await this.afterBatch?.(ids);
      return { results };
    });
  }

  get batches(): string[][] {
    return this.calls.flatMap((call) => (call.kind === 'batch' ? [call.ids] : []));
  }

  get blobCalls(): string[] {
    return this.calls.flatMap((call) => (call.kind === 'blob' ? [call.sha256] : []));
  }

  #store(raw: unknown): ConfirmationResult {
    const parsed = ConfirmationUpload.safeParse(raw);
    const id = (raw as { id: string }).id;
    if (!parsed.success) return { id, status: 'invalid', error: { code: 'VALIDATION', message: zhCN.central.confirmations.invalid } };
    const item = parsed.data;
    const hash = canonicalJson({ citizenId: item.citizenId, content: item.content, blobs: [...new Set(item.blobs)].sort() });
    const existing = this.records.get(item.id);
    if (existing !== undefined) {
      return existing === hash
        ? { id, status: 'duplicate' }
        : { id, status: 'conflict', error: { code: 'INVALID_STATE', message: zhCN.central.confirmations.conflict } };
    }
    const missing = item.blobs.filter((sha256) => !this.blobs.has(sha256));
    if (missing.length > 0) {
      return { id, status: 'missing-blobs', missingBlobs: missing, error: { code: 'NOT_FOUND', message: zhCN.central.confirmations.missingBlobs } };
    }
    this.records.set(item.id, hash);
    return { id, status: 'accepted' };
  }

  async #enter<T>(work: () => Promise<T>): Promise<T> {
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      return await work();
    } finally {
      this.active -= 1;
    }
  }
}

export const transportDown = () => new CentralError('TRANSPORT', zhCN.central.unreachable, 'UNREACHABLE', true);
export const revoked = () => new CentralError('ACCESS_DENIED', zhCN.central.errors.stationRevoked, 'STATION_REVOKED', false);

/** Timers that fire only when the test moves time forward. */
export class ManualClock implements SyncClock {
  #timers = new Map<number, { at: number; run: () => void }>();
  #nextId = 1;

  constructor(public current: number = T0) {}

  now(): number {
    return this.current;
  }

  setTimeout(run: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.current + ms, run });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** When the timers are due, earliest first. */
  get timers(): number[] {
    return [...this.#timers.values()].map((timer) => timer.at).sort((a, b) => a - b);
  }

  /** Moves time to `to`, firing every timer due by then in order. */
  advanceTo(to: number): void {
    for (;;) {
      const due = [...this.#timers.entries()].filter(([, timer]) => timer.at <= to).sort(([, a], [, b]) => a.at - b.at)[0];
      if (!due) break;
      this.#timers.delete(due[0]);
      this.current = Math.max(this.current, due[1].at);
      due[1].run();
    }
    this.current = to;
  }
}

/** A gate a fake request waits on until the test opens it. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}
