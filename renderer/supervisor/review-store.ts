import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ConfirmationContent } from '../../core/contract/confirmation.js';
import type { Actor } from '../../core/contract/staff.js';
import { toStationError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import type { LedgerEntry } from './day-ledger.js';
import { filterReviewItems, reviewItems, type ReviewFilter, type ReviewItem } from './review-queue.js';

/** Images a record keeps that a supervisor looks at: photo, signature, fingerprints (not templates). */
const viewableRole = /^(standard-photo|signature|fingerprint-image-\d+)$/;

export interface ReviewImage {
  role: string;
  url: string;
}

export interface OpenReview {
  item: ReviewItem;
  content: ConfirmationContent;
  /** The roster's reference photo (data URL), for comparing with the standard photo. */
  referencePhoto: string | undefined;
  /** Decrypted on demand when the item is opened; object URLs, revoked when it closes. */
  images: ReviewImage[];
}

export interface ReviewState {
  status: 'idle' | 'loading' | 'ready' | 'failed';
  items: ReviewItem[];
  filter: ReviewFilter;
  open: OpenReview | undefined;
  busy: boolean;
  error: string | undefined;
  load(): Promise<void>;
  setFilter(filter: Partial<ReviewFilter>): void;
  openItem(recordId: string): Promise<void>;
  close(): void;
  /** 复核通过 or 备注: saved as a new version of the record, synced like any other. */
  decide(decision: 'approved' | 'annotated', note: string): Promise<void>;
}

export interface ReviewDeps {
  ledger: () => Promise<LedgerEntry[]>;
  blob: (sha256: string) => Promise<{ mime: string; bytes: Uint8Array<ArrayBuffer> } | undefined>;
  referencePhoto: (citizenId: string) => Promise<string | undefined>;
  /** The signed-in supervisor; anyone else is refused (the host refuses again). */
  actor: () => Actor | undefined;
  /** Saves the review version (the same content plus `review`, superseding `recordId`) and audits it. */
  saveReview: (request: { record: LedgerEntry; review: NonNullable<ConfirmationContent['review']> }) => Promise<void>;
  objectUrl?: { create: (blob: Blob) => string; revoke: (url: string) => void };
  now?: () => Date;
}

/** Only reviewed items change; the rest of the queue is kept while a decision is saved. */
export function createReviewStore(deps: ReviewDeps): StoreApi<ReviewState> {
  const urls = deps.objectUrl ?? { create: (blob: Blob) => URL.createObjectURL(blob), revoke: (url: string) => URL.revokeObjectURL(url) };
  const now = deps.now ?? (() => new Date());
  let entries: LedgerEntry[] = [];

  return createStore<ReviewState>()((set, get) => {
    const release = () => get().open?.images.forEach((image) => urls.revoke(image.url));
    const refresh = async () => {
      entries = await deps.ledger();
      const all = reviewItems(entries);
      set({ status: 'ready', items: filterReviewItems(all, get().filter) });
      return all;
    };

    return {
      status: 'idle',
      items: [],
      filter: { state: 'open', kind: 'all' },
      open: undefined,
      busy: false,
      error: undefined,

      async load() {
        set({ status: get().status === 'ready' ? 'ready' : 'loading', error: undefined });
        try {
          await refresh();
        } catch (error) {
          set({ status: 'failed', error: toStationError(error).userMessage });
        }
      },

      setFilter(filter) {
        set({ filter: { ...get().filter, ...filter } });
        set({ items: filterReviewItems(reviewItems(entries), get().filter) });
      },

      async openItem(recordId) {
        release();
        const record = entries.find((entry) => entry.id === recordId);
        const item = reviewItems(entries).find((candidate) => candidate.recordId === recordId);
        if (!record || !item) return;
        set({ open: { item, content: record.content, referencePhoto: undefined, images: [] }, error: undefined });
        try {
          const images: ReviewImage[] = [];
          for (const ref of record.content.blobs.filter((b) => viewableRole.test(b.role))) {
            const blob = await deps.blob(ref.sha256);
            if (blob) images.push({ role: ref.role, url: urls.create(new Blob([blob.bytes], { type: blob.mime })) });
          }
          const referencePhoto = await deps.referencePhoto(record.content.candidate.citizenId);
          if (get().open?.item.recordId !== recordId) {
            images.forEach((image) => urls.revoke(image.url));
            return;
          }
          set({ open: { item, content: record.content, referencePhoto, images } });
        } catch (error) {
          set({ error: toStationError(error).userMessage });
        }
      },

      close() {
        release();
        set({ open: undefined, error: undefined });
      },

      async decide(decision, note) {
        const open = get().open;
        if (!open || get().busy) return;
        const actor = deps.actor();
        if (actor?.role !== 'supervisor') {
          set({ error: zhCN.supervisorDesk.needsSupervisor });
          return;
        }
        if (decision === 'annotated' && note.trim().length === 0) {
          set({ error: zhCN.supervisorDesk.review.noteRequired });
          return;
        }
        const record = entries.find((entry) => entry.id === open.item.recordId);
        if (!record) return;
        set({ busy: true, error: undefined });
        try {
          await deps.saveReview({ record, review: { decision, note: note.trim().slice(0, 500), by: actor, at: now().toISOString() } });
          release();
          set({ busy: false, open: undefined });
          await refresh();
        } catch (error) {
          set({ busy: false, error: toStationError(error).userMessage });
        }
      },
    };
  });
}
