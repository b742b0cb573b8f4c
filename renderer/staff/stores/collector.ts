import type { ConfirmationContent } from '../../../core/contract/confirmation.js';
import type { SupervisorApproval } from '../../../core/contract/supervisor.js';
import type { NewBlob } from '../../confirmations/confirmation-repository.js';

/** What one capture (standard photo, fingerprints) adds to the record. */
export interface Contribution {
  blobs: NewBlob[];
  content: Partial<Pick<ConfirmationContent, 'standardPhoto' | 'fingerprints' | 'chipFingerprint'>>;
  approvals: SupervisorApproval[];
}

/**
 * A part of the 信息采集 step. The confirmation store asks each collector whether it is done and, at save,
 * for its part of the record; the collector's own store holds its device state and UI.
 */
export interface Collector {
  readonly name: 'standard-photo' | 'fingerprints';
  /** Whether this station collects it (station policy); a disabled collector is skipped. Default: enabled. */
  enabled?(): boolean;
  /** Everything this collector needs for the current candidate is captured (or excused by a supervisor). */
  ready(): boolean;
  contribution(): Contribution;
  /** A new candidate: forget everything captured. */
  reset(): void;
  /**
   * Resume after a crash: what to keep (JSON), only once this collector's part is complete — a half-done capture
   * is taken again — and undefined before. `restore` checks a kept value with its own schema and returns whether
   * it applied it. `subscribe` tells the draft keeper when to ask again.
   */
  draft(): unknown;
  restore(value: unknown): boolean;
  subscribe(listener: () => void): () => void;
}
