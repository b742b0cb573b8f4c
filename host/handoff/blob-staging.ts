import type { BundleBlob } from '../../core/handoff/payload.js';
import { MAX_BUNDLE_BYTES } from '../../core/handoff/payload.js';
import { ValidationError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';

/** A draft nobody finished (the window closed mid-way) is dropped after this. */
const DRAFT_TTL_MS = 30 * 60_000;

/**
 * A bundle's blobs, handed over a few at a time before handoff.build: a day's photos and fingerprints are tens of
 * megabytes, more than one browser-host frame. Held in memory for one build only, never written to disk.
 */
export class BlobStaging {
  readonly #drafts = new Map<string, { blobs: Map<string, BundleBlob>; chars: number; touchedAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  add(draftId: string, blobs: readonly BundleBlob[]): number {
    this.#sweep();
    const draft = this.#drafts.get(draftId) ?? { blobs: new Map<string, BundleBlob>(), chars: 0, touchedAt: 0 };
    for (const blob of blobs) {
      if (draft.blobs.has(blob.sha256)) continue;
      draft.chars += blob.base64.length;
      // base64 is 4/3 of the bytes: refuse before the bundle itself would be refused as too large.
      if ((draft.chars * 3) / 4 > MAX_BUNDLE_BYTES) {
        this.#drafts.delete(draftId);
        throw new ValidationError('staged blobs exceed the bundle limit', zhCN.handoff.build.tooLarge(MAX_BUNDLE_BYTES / 1024 / 1024));
      }
      draft.blobs.set(blob.sha256, blob);
    }
    draft.touchedAt = this.now();
    this.#drafts.set(draftId, draft);
    return draft.blobs.size;
  }

  /** The draft's blobs, once: a build takes them and the draft is gone. */
  take(draftId: string): BundleBlob[] {
    this.#sweep();
    const draft = this.#drafts.get(draftId);
    this.#drafts.delete(draftId);
    return draft ? [...draft.blobs.values()] : [];
  }

  #sweep(): void {
    const now = this.now();
    for (const [id, draft] of this.#drafts) if (now - draft.touchedAt > DRAFT_TTL_MS) this.#drafts.delete(id);
  }
}
