/**
 * One independent part of sync (upload, roster download, audit chain). The engine gives each stage its own loop, so a
 * long roster download never holds back uploads, nor the reverse.
 */
export interface SyncStage {
  readonly name: 'upload' | 'roster' | 'audit';
  /**
   * Puts work a crashed or failed pass left half-done back in line. Called at engine start and after a pass
   * failed unexpectedly, never while a pass of this stage runs.
   */
  recover(): Promise<void>;
  /** One pass over the work that is due. `force`: the user asked (立即同步), ignore backoff. */
  runOnce(now: number, options: StagePassOptions): Promise<StagePassSummary>;
  /** When this stage next has due work; undefined when it has none. */
  nextWakeAt(now: number): Promise<number | undefined>;
}

export interface StagePassOptions {
  force?: boolean;
  /** Checked between requests: the engine is stopping. */
  signal?: AbortSignal;
  /** Called after each request's outcome is written, so the UI can move its progress bar. */
  onProgress?: () => void;
}

export interface StagePassSummary {
  /** The pass found something to do (a pass that found nothing never triggers an immediate rerun). */
  worked: boolean;
}
