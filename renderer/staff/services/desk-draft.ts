import { z } from 'zod';
import type { StoreApi } from 'zustand/vanilla';
import { PersistedFlow, flowFromPersisted, resumable } from '../../../core/confirmation-flow/persisted-flow.js';
import { ConfirmationContent, PaperStatus, RejectionReasonId, Sha256Hex } from '../../../core/contract/confirmation.js';
import { SignatureStrokes } from '../../../core/contract/kiosk.js';
import { SupervisorApproval } from '../../../core/contract/supervisor.js';
import { sha256Hex } from '../../../core/crypto/sha256.js';
import type { DraftPart, DraftRepository, StoredDraft } from '../../confirmations/draft-repository.js';
import { base64ToBytes, bytesToBase64 } from '../../util/base64.js';
import type { CheckInState } from '../stores/check-in-store.js';
import type { Collector } from '../stores/collector.js';
import type { ConfirmationState } from '../stores/confirmation-store.js';
import type { EligibilityState, PaperPhoto } from '../stores/eligibility-store.js';

/**
 * Resume after a crash (issue 13 item 1): the desk's open confirmation is written to the draft repository as each
 * step's result changes, and read back, checked part by part, into the same stores after a reload or restart.
 * Kiosk state is not kept: resuming shows the current step on the kiosk again.
 */
export interface DeskStores {
  checkIn: StoreApi<CheckInState>;
  confirmation: StoreApi<ConfirmationState>;
  eligibility: StoreApi<EligibilityState>;
  collectors: readonly Collector[];
}

/** The desk's decisions so far: how identity was established, the approvals given, the kiosk signature. */
export const DecisionsDraft = z.strictObject({
  sessionId: z.string().min(1).max(64),
  identity: ConfirmationContent.shape.identityCheck,
  approvals: z.array(SupervisorApproval).max(10),
  signature: SignatureStrokes.optional(),
});

export const EligibilityDraftSchema = z.strictObject({
  sessionId: z.string().min(1).max(64),
  typeId: z.string().max(40).optional(),
  checks: z.record(z.string().max(40), z.strictObject({ status: PaperStatus, note: z.string().max(200).optional(), photo: Sha256Hex.optional() })),
  decisionKind: z.enum(['pass', 'reject', 'pending']).optional(),
  reasons: z.array(RejectionReasonId).max(10),
  reasonText: z.string().max(200),
  until: z.string().max(10),
  pendingNote: z.string().max(200),
  photos: z.record(z.string().max(40), z.base64().max(4 * 1024 * 1024)),
});

/** A collector's part is stored with the session it belongs to: never applied to another candidate. */
const CollectorDraft = z.strictObject({ sessionId: z.string().min(1).max(64), value: z.unknown() });

const collectorPart = (collector: Collector): DraftPart => collector.name;

/** The record is being saved (or is saved): from here on the draft only goes away. */
const stillOpen = (stores: DeskStores) => {
  const { saving, saved } = stores.confirmation.getState();
  return !saving && saved === undefined;
};

/** What each part holds now for the open confirmation (undefined: nothing worth keeping yet). */
function snapshot(stores: DeskStores): Partial<Record<DraftPart, unknown>> | undefined {
  const flow = stores.checkIn.getState().flow;
  if (!resumable(flow)) return undefined;
  const { sessionId } = flow;
  const c = stores.confirmation.getState();
  const e = stores.eligibility.getState();
  const parts: Partial<Record<DraftPart, unknown>> = {
    flow: PersistedFlow.parse(flow),
    decisions: { sessionId, identity: c.identity, approvals: c.approvals, ...(c.signature ? { signature: c.signature } : {}) },
    eligibility: {
      sessionId,
      ...(e.typeId ? { typeId: e.typeId } : {}),
      checks: e.checks,
      ...(e.decisionKind ? { decisionKind: e.decisionKind } : {}),
      reasons: e.reasons,
      reasonText: e.reasonText,
      until: e.until,
      pendingNote: e.pendingNote,
      photos: Object.fromEntries(Object.entries(e.photos).map(([id, photo]) => [id, bytesToBase64(photo.bytes)])),
    },
  };
  for (const collector of stores.collectors) {
    const value = collector.draft();
    if (value !== undefined) parts[collectorPart(collector)] = { sessionId, value };
  }
  return parts;
}

/**
 * Keeps the draft in step with the stores until the returned function is called. Writes are serialised and only
 * a part that changed is written again; when the flow leaves the candidate (saved, or 办理下一位) the draft goes.
 */
export function keepDeskDraft(
  stores: DeskStores,
  drafts: Pick<DraftRepository, 'put' | 'remove' | 'clear'>,
  onError: (error: unknown) => void,
): (() => void) & { flushed(): Promise<void> } {
  const written = new Map<DraftPart, string>();
  let chain: Promise<void> = Promise.resolve();
  let paused = false;
  const enqueue = (work: () => Promise<void>) => {
    chain = chain.then(work).catch(onError);
  };
  const sync = () => {
    // While the record is being saved nothing changes on disk: its transaction clears the draft, and if saving
    // fails the draft must still be there.
    if (paused || !stillOpen(stores)) return;
    const parts = snapshot(stores);
    if (!parts) {
      if (written.size === 0) return;
      written.clear();
      enqueue(() => drafts.clear());
      return;
    }
    for (const [part, value] of Object.entries(parts) as [DraftPart, unknown][]) {
      const json = JSON.stringify(value);
      if (written.get(part) === json) continue;
      written.set(part, json);
      enqueue(() => drafts.put(part, value, () => !paused && stillOpen(stores)));
    }
    for (const part of [...written.keys()]) {
      if (part in parts) continue;
      written.delete(part);
      enqueue(() => drafts.remove(part));
    }
  };
  const unsubscribe = [
    stores.checkIn.subscribe(sync),
    stores.confirmation.subscribe(sync),
    stores.eligibility.subscribe(sync),
    ...stores.collectors.map((collector) => collector.subscribe(sync)),
  ];
  return Object.assign(
    () => {
      paused = true;
      for (const stop of unsubscribe) stop();
    },
    {
      /** Resolves when every write queued so far is on disk (tests; orderly shutdown). */
      flushed: () => chain,
    },
  );
}

/** What the resume offer shows, and what applying the draft needs; undefined when nothing can be resumed. */
export interface ResumableDraft {
  flow: PersistedFlow;
  at: string;
  parts: StoredDraft['parts'];
}

/** The stored draft, if its flow part is whole and valid (anything else is not offered). */
export function resumableDraft(stored: StoredDraft): ResumableDraft | undefined {
  const flow = PersistedFlow.safeParse(stored.parts.flow);
  if (!flow.success || stored.at === undefined || stored.unreadable.includes('flow')) return undefined;
  return { flow: flow.data, at: stored.at, parts: stored.parts };
}

/**
 * Puts the draft back into the stores: the flow first (which starts the candidate's session in every store), then
 * each part that belongs to the same session and passes its schema. A part that fails is dropped (its step is
 * done again), never half-applied. Returns the parts that were applied.
 */
export async function applyDeskDraft(stores: DeskStores, draft: ResumableDraft): Promise<DraftPart[]> {
  const sessionId = draft.flow.sessionId;
  await stores.checkIn.getState().resume(flowFromPersisted(draft.flow));
  const applied: DraftPart[] = ['flow'];
  const decisions = DecisionsDraft.safeParse(draft.parts.decisions);
  if (decisions.success && decisions.data.sessionId === sessionId) {
    const { identity, approvals, signature } = decisions.data;
    stores.confirmation.getState().restore({ identity, approvals, signature });
    applied.push('decisions');
  }
  const eligibility = EligibilityDraftSchema.safeParse(draft.parts.eligibility);
  if (eligibility.success && eligibility.data.sessionId === sessionId) {
    const { sessionId: _session, photos, typeId, decisionKind, ...rest } = eligibility.data;
    const kept: Record<string, PaperPhoto> = {};
    for (const [id, base64] of Object.entries(photos)) {
      const bytes = base64ToBytes(base64);
      kept[id] = { bytes, mime: 'image/jpeg', sha256: sha256Hex(bytes) };
    }
    stores.eligibility.getState().restore({ ...rest, typeId, decisionKind }, kept);
    applied.push('eligibility');
  }
  for (const collector of stores.collectors) {
    const part = CollectorDraft.safeParse(draft.parts[collectorPart(collector)]);
    if (part.success && part.data.sessionId === sessionId && collector.restore(part.data.value)) applied.push(collectorPart(collector));
  }
  return applied;
}
