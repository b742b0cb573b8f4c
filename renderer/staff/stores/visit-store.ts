import { createStore, type StoreApi } from 'zustand/vanilla';
import type { FlowState } from '../../../core/confirmation-flow/confirmation-flow.js';
import type { ConfirmationContent } from '../../../core/contract/confirmation.js';
import { toStationError } from '../../../core/errors/station-error.js';
import type { ConfirmationRow } from '../../db/station-db.js';
import type { NewBlob } from '../../confirmations/confirmation-repository.js';
import type { Contribution } from './collector.js';
import type { CheckInState } from './check-in-store.js';

/**
 * What this station already holds for the candidate at the desk: an open 待补材料 record their visit now completes,
 * an earlier confirmation (re-confirming warns and links it), or an earlier rejection; and whether the central
 * server said another station confirmed them too (the cross-station flag, returned on sync).
 */
export type PriorVisit =
  | { kind: 'none' }
  | { kind: 'open-pending' | 'confirmed' | 'rejected'; record: ConfirmationRow };

export interface VisitState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** As it was when the candidate was identified (the record saved in this visit does not change it). */
  prior: PriorVisit;
  /** The server flagged one of the candidate's records here: another station confirmed them too. */
  crossStation: boolean;
  /** For an open 待补材料 record: what its 信息采集 collected, which this visit reuses instead of collecting again. */
  carried: Contribution | undefined;
  /**
   * For an open 待补材料 record: the photos of papers it kept, by paper id (same bytes, same hashes), loaded before
   * the visit is ready so the completing version can never be saved without them.
   */
  carriedPapers: Record<string, { bytes: Uint8Array<ArrayBuffer>; sha256: string }>;
  error: string | undefined;
  /** Reads the cross-station flag again (after a sync: the server answers it when a record is uploaded). */
  refreshFlags(): Promise<void>;
}

export interface VisitDeps {
  checkIn: StoreApi<CheckInState>;
  /** Every stored version of this candidate's records (ConfirmationRepository.history). */
  history: (citizenId: string) => Promise<ConfirmationRow[]>;
  /** Whether the server flagged any of these records as confirmed at another station too. */
  crossStation: (recordIds: readonly string[]) => Promise<boolean>;
  /** 培训模式: training records only count for training, real ones only for real work. */
  training: () => boolean;
  /** A stored blob (the vault), to carry an open record's photo and fingerprints into its completion. */
  blob: (sha256: string) => Promise<{ mime: string; bytes: Uint8Array<ArrayBuffer> } | undefined>;
}

/** The newest record among the heads of the candidate's chains (a version supersedes its predecessor). */
export function latestRecord(history: readonly ConfirmationRow[], training: boolean): ConfirmationRow | undefined {
  const rows = history.filter((row) => (row.content.training === true) === training);
  const superseded = new Set(rows.flatMap((row) => (row.supersedes ? [row.supersedes] : [])));
  return rows
    .filter((row) => !superseded.has(row.id))
    .sort((a, b) => (a.savedAt < b.savedAt ? 1 : a.savedAt > b.savedAt ? -1 : b.version - a.version))[0];
}

export function priorVisitOf(record: ConfirmationRow | undefined): PriorVisit {
  if (!record) return { kind: 'none' };
  const kind = record.content.outcome === 'pending-materials' ? 'open-pending' : record.content.outcome;
  return { kind, record };
}

/** How the record made now links the prior one (saved as `follows`, and locally as `supersedes`). */
export function followsOf(prior: PriorVisit): ConfirmationContent['follows'] {
  switch (prior.kind) {
    case 'none':
      return undefined;
    case 'open-pending':
      return { recordId: prior.record.id, kind: 'materials-completed' };
    case 'confirmed':
      return { recordId: prior.record.id, kind: 'reconfirmation' };
    case 'rejected':
      return { recordId: prior.record.id, kind: 'after-rejection' };
  }
}

const COLLECTED_ROLES = /^(standard-photo|fingerprint-(image|template)-\d+|chip-fingerprint)$/;

/**
 * 信息采集 of an open 待补材料 record: the return visit completes that record, so the photo and fingerprints taken
 * the first time come along (with the supervisor approvals that excused a finger); undefined when it collected none.
 */
export async function carriedCollection(
  record: ConfirmationRow,
  blob: (sha256: string) => Promise<{ mime: string; bytes: Uint8Array<ArrayBuffer> } | undefined>,
): Promise<Contribution | undefined> {
  const c = record.content;
  if (!c.standardPhoto && !c.fingerprints) return undefined;
  const blobs: NewBlob[] = [];
  for (const ref of c.blobs.filter((b) => COLLECTED_ROLES.test(b.role))) {
    const stored = await blob(ref.sha256);
    if (stored) blobs.push({ role: ref.role, mime: stored.mime, bytes: stored.bytes });
  }
  const excused = new Set((c.fingerprints ?? []).flatMap((finger) => (finger.approvalId ? [finger.approvalId] : [])));
  return {
    blobs,
    content: {
      ...(c.standardPhoto ? { standardPhoto: c.standardPhoto } : {}),
      ...(c.fingerprints ? { fingerprints: c.fingerprints } : {}),
      ...(c.chipFingerprint !== undefined ? { chipFingerprint: c.chipFingerprint } : {}),
    },
    approvals: (c.approvals ?? []).filter((approval) => excused.has(approval.approvalId)),
  };
}

/** The photos of papers an open 待补材料 record kept (blob `paper-<id>`), by paper id. */
export async function carriedPaperPhotos(
  record: ConfirmationRow,
  blob: (sha256: string) => Promise<{ bytes: Uint8Array<ArrayBuffer> } | undefined>,
): Promise<VisitState['carriedPapers']> {
  const photos: VisitState['carriedPapers'] = {};
  for (const item of record.content.eligibility?.items ?? []) {
    const stored = item.photo ? await blob(item.photo) : undefined;
    if (item.photo && stored) photos[item.id] = { bytes: stored.bytes, sha256: item.photo };
  }
  return photos;
}

export function createVisitStore(deps: VisitDeps): StoreApi<VisitState> {
  const sessionOf = (flow: FlowState) => (flow.step === 'identify' ? undefined : flow.sessionId);
  let generation = 0;

  const store = createStore<VisitState>()((set) => {
    const flagsOf = async (citizenId: string, training: boolean) => {
      const history = (await deps.history(citizenId)).filter((row) => (row.content.training === true) === training);
      return { history, crossStation: history.length > 0 && (await deps.crossStation(history.map((row) => row.id))) };
    };
    const load = async () => {
      const flow = deps.checkIn.getState().flow;
      const mine = ++generation;
      if (flow.step === 'identify') {
        set({ status: 'idle', prior: { kind: 'none' }, crossStation: false, carried: undefined, carriedPapers: {}, error: undefined });
        return;
      }
      set({ status: 'loading', prior: { kind: 'none' }, crossStation: false, carried: undefined, carriedPapers: {}, error: undefined });
      try {
        const training = deps.training();
        const { history, crossStation } = await flagsOf(flow.candidate.citizenId, training);
        const prior = priorVisitOf(latestRecord(history, training));
        const carried = prior.kind === 'open-pending' ? await carriedCollection(prior.record, deps.blob) : undefined;
        const carriedPapers = prior.kind === 'open-pending' ? await carriedPaperPhotos(prior.record, deps.blob) : {};
        if (mine === generation) set({ status: 'ready', prior, crossStation, carried, carriedPapers });
      } catch (error) {
        if (mine === generation) set({ status: 'error', error: toStationError(error).userMessage });
      }
    };
    deps.checkIn.subscribe((state, previous) => {
      if (sessionOf(state.flow) !== sessionOf(previous.flow)) void load();
    });
    return {
      status: 'idle',
      prior: { kind: 'none' },
      crossStation: false,
      carried: undefined,
      carriedPapers: {},
      error: undefined,
      async refreshFlags() {
        const flow = deps.checkIn.getState().flow;
        if (flow.step === 'identify') return;
        const mine = generation;
        try {
          const { crossStation } = await flagsOf(flow.candidate.citizenId, deps.training());
          if (mine === generation) set({ crossStation });
        } catch {
          // The flag stays as last read; the supervisor's queue shows it either way.
        }
      },
    };
  });
  return store;
}

/** What the banner over the candidate card says, already as text pieces. */
export interface PriorVisitView {
  kind: PriorVisit['kind'];
  decidedAt: string | undefined;
  /** 待补材料: the papers still to bring, and until when. */
  missing: string[];
  until: string | undefined;
  crossStation: boolean;
}

export function priorVisitView(state: Pick<VisitState, 'prior' | 'crossStation'>): PriorVisitView {
  const { prior } = state;
  if (prior.kind === 'none') return { kind: 'none', decidedAt: undefined, missing: [], until: undefined, crossStation: state.crossStation };
  const e = prior.record.content.eligibility;
  const decision = e?.decision;
  const label = (id: string) => e?.items.find((item) => item.id === id)?.label ?? id;
  return {
    kind: prior.kind,
    decidedAt: prior.record.content.decidedAt,
    missing: decision?.kind === 'pending' ? decision.missing.map(label) : [],
    until: decision?.kind === 'pending' ? decision.until : undefined,
    crossStation: state.crossStation,
  };
}
