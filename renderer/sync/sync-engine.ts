import type { StationDb } from '../db/station-db.js';
import { systemClock, type SyncClock } from './clock.js';
import { StageLoop } from './stage-loop.js';
import type { StagePassSummary, SyncStage } from './sync-stage.js';
import { readSyncStatus, type SyncStatus } from './sync-status.js';
import type { UploadStage } from './upload-stage.js';
import { readRosterSyncStatus, type RosterSyncStatus } from './roster-stage.js';
import { readAuditSyncStatus, type AuditSyncStatus } from './audit-stage.js';

export interface SyncEngineStatus extends SyncStatus {
  /** Which stages are in a pass right now (for the progress indicators). */
  running: { upload: boolean; roster: boolean };
  roster: RosterSyncStatus;
  /** The audit chain's shipping and the breaks the server flagged (present with an audit stage). */
  audit?: AuditSyncStatus;
}

/** Log lines carry stage names, codes and counts only: never ids, names or record content. */
export type SyncLog = (event: string, fields: Readonly<Record<string, string | number | boolean>>) => void;

/** The upload stage as the engine uses it (an interface, so tests can stand in a faulty one). */
export type UploadStageLike = SyncStage & Pick<UploadStage, 'requeue'>;

export interface SyncEngineOptions {
  db: StationDb;
  upload: UploadStageLike;
  /**
   * The roster download (RosterStage), present once the station is enrolled. It gets its own loop, so it
   * can never block uploads, nor they it. Roster photos by hash are not fetched yet.
   */
  roster?: SyncStage;
  /** Ships the audit chain (AuditStage), in its own loop like the roster. */
  audit?: SyncStage;
  clock?: SyncClock;
  /** [0, 1): jitter for the engine's own retry after a local fault. */
  random?: () => number;
  /** With nothing due, look at the outbox again after this long (default 30 s). */
  idleRecheckMs?: number;
  onStatus?: (status: SyncEngineStatus) => void;
  log?: SyncLog;
}

const DEFAULT_IDLE_RECHECK_MS = 30_000;

/**
 * The station's sync loop, one per station (run it in the Web Worker, under a Web Lock so a second tab
 * cannot start another). Start recovers interrupted uploads, then every stage runs passes on its own
 * timer; `syncNow` is the 立即同步 button; each pass ends with a fresh status for the UI.
 */
export class SyncEngine {
  readonly #db: StationDb;
  readonly #upload: UploadStageLike;
  readonly #loops: StageLoop[];
  readonly #onStatus: ((status: SyncEngineStatus) => void) | undefined;
  readonly #log: SyncLog;
  #started = false;
  /** Status reads run one after another, so listeners never see an older status after a newer one. */
  #emitting: Promise<void> = Promise.resolve();

  constructor(options: SyncEngineOptions) {
    this.#db = options.db;
    this.#upload = options.upload;
    this.#onStatus = options.onStatus;
    this.#log = options.log ?? (() => undefined);
    const hooks = {
      clock: options.clock ?? systemClock,
      random: options.random ?? Math.random,
      idleRecheckMs: options.idleRecheckMs ?? DEFAULT_IDLE_RECHECK_MS,
      onPassStart: () => this.#emit(),
      onProgress: () => this.#emit(),
      onPassEnd: (stage: SyncStage['name'], outcome: StagePassSummary | { error: string }) => {
        this.#logPass(stage, outcome);
        this.#emit();
      },
    };
    this.#loops = [
      new StageLoop(options.upload, hooks),
      ...(options.roster ? [new StageLoop(options.roster, hooks)] : []),
      ...(options.audit ? [new StageLoop(options.audit, hooks)] : []),
    ];
  }

  /** Recovers every stage (in-flight uploads become pending), then starts their passes. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    try {
      for (const loop of this.#loops) await loop.start();
    } catch (thrown) {
      this.#started = false;
      await Promise.all(this.#loops.map((loop) => loop.stop()));
      throw thrown;
    }
    this.#emit();
  }

  /** 立即同步: a pass of every stage now, ignoring backoff; joins (then repeats) a pass already running. */
  async syncNow(): Promise<void> {
    await Promise.all(this.#loops.map((loop) => loop.trigger(true)));
  }

  /** Something new to upload (a confirmation was just saved): a normal pass soon, backoff respected. */
  wake(): void {
    // A save writes an audit line too, so the audit stage has something new as well.
    for (const loop of this.#loops) if (loop.stage.name === 'upload' || loop.stage.name === 'audit') void loop.trigger(false);
  }

  /** Sends 需处理 entries again after a person dealt with them (all of them without ids). */
  async requeue(confirmationIds?: readonly string[]): Promise<number> {
    const count = await this.#upload.requeue(confirmationIds);
    this.wake();
    this.#emit();
    return count;
  }

  /** Ends the timers and waits for running passes to finish their current request. */
  async stop(): Promise<void> {
    this.#started = false;
    await Promise.all(this.#loops.map((loop) => loop.stop()));
    await this.#emitting;
  }

  /** Settles when no stage is in a pass and every status has been delivered (tests, orderly shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      const running = this.#loops.map((loop) => loop.current).filter((pass) => pass !== undefined);
      if (running.length > 0) {
        await Promise.all(running);
        continue;
      }
      const emitting = this.#emitting;
      await emitting;
      if (emitting === this.#emitting && this.#loops.every((loop) => !loop.passing)) return;
    }
  }

  async status(): Promise<SyncEngineStatus> {
    const hasAudit = this.#loops.some((loop) => loop.stage.name === 'audit');
    const [status, roster, audit] = await Promise.all([
      readSyncStatus(this.#db),
      readRosterSyncStatus(this.#db),
      hasAudit ? readAuditSyncStatus(this.#db) : undefined,
    ]);
    const running = (name: SyncStage['name']) => this.#loops.some((loop) => loop.stage.name === name && loop.passing);
    return { ...status, running: { upload: running('upload'), roster: running('roster') }, roster, ...(audit ? { audit } : {}) };
  }

  #emit(): void {
    const listener = this.#onStatus;
    if (!listener) return;
    this.#emitting = this.#emitting.then(async () => {
      try {
        listener(await this.status());
      } catch (thrown) {
        // A failing listener or an unreadable database must not stop sync; the next pass emits again.
        this.#log('status-failed', { error: thrown instanceof Error ? thrown.name : typeof thrown });
      }
    });
  }

  #logPass(stage: SyncStage['name'], outcome: StagePassSummary | { error: string }): void {
    if ('error' in outcome) {
      this.#log('pass-failed', { stage, code: outcome.error });
      return;
    }
    if (!outcome.worked) return;
    const fields: Record<string, string | number | boolean> = { stage };
    for (const [key, value] of Object.entries(outcome)) {
      if (typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
      else if (key === 'failure' && typeof value === 'object' && value !== null && 'code' in value) fields.failure = String(value.code);
    }
    this.#log('pass', fields);
  }
}
