import { backoffDelayMs } from './backoff.js';
import type { SyncClock } from './clock.js';
import { classifySyncError } from './sync-error.js';
import type { StagePassSummary, SyncStage } from './sync-stage.js';

export interface StageLoopHooks {
  clock: SyncClock;
  random: () => number;
  /** With nothing due, look again after this long anyway (records saved elsewhere, a missed wake-up). */
  idleRecheckMs: number;
  onPassStart(stage: SyncStage['name']): void;
  onProgress(stage: SyncStage['name']): void;
  onPassEnd(stage: SyncStage['name'], outcome: StagePassSummary | { error: string }): void;
}

/** A pass that found nothing due never reschedules sooner than this, so a mismatch cannot spin. */
const MIN_IDLE_GAP_MS = 1_000;

/**
 * Runs one stage: at most one pass at a time, triggers during a pass fold into one follow-up pass, and
 * between passes one timer set for the stage's next due time.
 */
export class StageLoop {
  #running = false;
  #current: Promise<void> | undefined;
  #again: { force: boolean } | undefined;
  #timer: unknown;
  #abort = new AbortController();
  /** Passes in a row that threw (a local fault, not a server answer): they back off too. */
  #faults = 0;
  #faultUntil = 0;

  constructor(
    readonly stage: SyncStage,
    private readonly hooks: StageLoopHooks,
  ) {}

  get passing(): boolean {
    return this.#current !== undefined;
  }

  /** The pass in progress (with its follow-up), if any. */
  get current(): Promise<void> | undefined {
    return this.#current;
  }

  async start(): Promise<void> {
    if (this.#running) return;
    await this.stage.recover();
    this.#running = true;
    this.#abort = new AbortController();
    void this.trigger(false);
  }

  /**
   * Runs a pass now, or, when one is running, asks for one more right after it; the promise settles when
   * the pass that covers this request has ended. `force` ignores backoff (立即同步).
   */
  trigger(force: boolean): Promise<void> {
    if (!this.#running) return Promise.resolve();
    if (this.#current) {
      this.#again = { force: force || (this.#again?.force ?? false) };
      return this.#current;
    }
    this.#cancelTimer();
    this.#current = this.#loop({ force }).finally(() => {
      this.#current = undefined;
    });
    return this.#current;
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#cancelTimer();
    this.#abort.abort();
    await this.#current;
  }

  async #loop(first: { force: boolean }): Promise<void> {
    let request: { force: boolean } | undefined = first;
    while (request && this.#running) {
      this.#again = undefined;
      const worked = await this.#passOnce(request.force);
      request = this.#again;
      if (!request && this.#running) {
        await this.#schedule(worked);
        // A trigger that arrived while scheduling is served now rather than at the timer.
        request = this.#again;
        if (request) this.#cancelTimer();
      }
    }
  }

  async #passOnce(force: boolean): Promise<boolean> {
    this.hooks.onPassStart(this.stage.name);
    try {
      const summary = await this.stage.runOnce(this.hooks.clock.now(), {
        force,
        signal: this.#abort.signal,
        onProgress: () => this.hooks.onProgress(this.stage.name),
      });
      this.#faults = 0;
      this.hooks.onPassEnd(this.stage.name, summary);
      return summary.worked;
    } catch (thrown) {
      this.#faults += 1;
      this.#faultUntil = this.hooks.clock.now() + backoffDelayMs(this.#faults, this.hooks.random);
      // Whatever the pass left in-flight goes back in line now instead of waiting for a restart.
      await this.stage.recover().catch(() => undefined);
      this.hooks.onPassEnd(this.stage.name, { error: classifySyncError(thrown).code });
      return false;
    }
  }

  async #schedule(worked: boolean): Promise<void> {
    const { clock } = this.hooks;
    const now = clock.now();
    let dueAt: number | undefined;
    try {
      dueAt = await this.stage.nextWakeAt(now);
    } catch {
      this.#faults += 1;
      this.#faultUntil = now + backoffDelayMs(this.#faults, this.hooks.random);
    }
    let wakeAt = Math.min(dueAt ?? Infinity, now + this.hooks.idleRecheckMs);
    wakeAt = Math.max(wakeAt, this.#faultUntil);
    if (!worked) wakeAt = Math.max(wakeAt, now + MIN_IDLE_GAP_MS);
    if (!this.#running) return;
    this.#cancelTimer();
    this.#timer = clock.setTimeout(() => {
      this.#timer = undefined;
      void this.trigger(false);
    }, Math.max(0, wakeAt - now));
  }

  #cancelTimer(): void {
    if (this.#timer === undefined) return;
    this.hooks.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
