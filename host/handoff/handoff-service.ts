import { randomUUID } from 'node:crypto';
import type { HandoffKeyInfo } from '../../core/contract/central-api.js';
import { type DayCloseDraft, type SignedDayClose, DayClose, dayCloseRecordsDigest, dayCloseSigningText } from '../../core/contract/day-close.js';
import type { HandoffBuildRequest, HandoffBuildResult } from '../../core/contract/station-api.js';
import { handoffKeyId, sealBundle } from '../../core/handoff/bundle.js';
import { sha256Hex } from '../../core/crypto/sha256.js';
import { InvalidStateError, StationError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { signRecordItems } from '../central/record-signer.js';
import type { Enrollment, StationIdentity } from '../central/station-identity.js';

export interface HandoffDeps {
  identity: () => Promise<StationIdentity>;
  /** The server's handoff key as the station knows it (kept with the enrollment, or fetched once). */
  serverKey: () => Promise<HandoffKeyInfo | undefined>;
  now?: () => number;
}

/**
 * 离线移交 and the day close on the station: the host holds the station key, so it signs the day-close record and
 * the bundle, and seals the bundle to the server's handoff key. The staff window supplies what only it has (the
 * records, blobs and audit entries in its database); station, point and times come from here.
 *
 * The bundle is built in memory and at most MAX_BUNDLE_BYTES (200 MB, core/handoff/payload.ts). Through the browser
 * host the request travels in one WebSocket frame (MAX_FRAME_BYTES), which bounds a bundle there far lower; the
 * Electron IPC has no such frame limit.
 */
export class HandoffService {
  constructor(private readonly deps: HandoffDeps) {}

  async #enrolled(): Promise<{ identity: StationIdentity; enrollment: Enrollment }> {
    const identity = await this.deps.identity();
    const enrollment = identity.enrollment;
    if (!enrollment) throw new InvalidStateError('station not enrolled', zhCN.handoff.build.notEnrolled);
    return { identity, enrollment };
  }

  #now(): Date {
    return new Date((this.deps.now ?? Date.now)());
  }

  /** A signed day-close record for this station; a new id each time (a re-close is a new version on the server). */
  async signDayClose(draft: DayCloseDraft): Promise<SignedDayClose> {
    const { identity, enrollment } = await this.#enrolled();
    // The supervisor answers for the point's day (issue 12): an operator's session cannot close it.
    if (draft.closedBy.role !== 'supervisor') throw new StationError('ACCESS_DENIED', zhCN.handoff.build.needsSupervisor, 'day close by a non-supervisor');
    const record = DayClose.parse({
      id: randomUUID(),
      stationId: enrollment.stationId,
      pointCode: enrollment.pointCode,
      day: draft.day,
      closedAt: this.#now().toISOString(),
      closedBy: draft.closedBy,
      counts: draft.counts,
      records: dayCloseRecordsDigest(draft.recordIds),
    });
    return { record, signature: identity.sign(dayCloseSigningText(record)) };
  }

  /** The file as bytes: the handler hands it to the window (base64) or to a file sink. */
  async build(request: HandoffBuildRequest): Promise<BuiltBundle> {
    const { identity, enrollment } = await this.#enrolled();
    const key = await this.deps.serverKey();
    const publicKey = key ? new Uint8Array(Buffer.from(key.publicKey, 'base64')) : undefined;
    // A key whose id does not match its bytes was damaged on the way or in the file: never seal to it.
    if (!key || !publicKey || handoffKeyId(publicKey) !== key.keyId) throw new InvalidStateError('no server handoff key', zhCN.handoff.build.noServerKey);

    // The close inside a bundle is of the bundle's day.
    const dayClose = request.dayClose ? await this.signDayClose({ ...request.dayClose, day: request.day }) : undefined;
    const bytes = await sealBundle({
      payload: {
        stationId: enrollment.stationId,
        pointCode: enrollment.pointCode,
        day: request.day,
        createdAt: this.#now().toISOString(),
        // Signed like an online upload: the server checks bundle records with the same rules.
        records: signRecordItems(identity, enrollment.stationId, request.records),
        blobs: request.blobs,
        audit: request.audit,
        ...(dayClose ? { dayClose } : {}),
      },
      recipientPublicKey: publicKey,
      sign: (text) => identity.sign(text),
    });
    return {
      fileName: handoffFileName(enrollment.pointCode, request.day, enrollment.stationId),
      file: bytes,
      sha256: sha256Hex(bytes),
      counts: { records: request.records.length, blobs: request.blobs.length, audit: request.audit.length },
      ...(dayClose ? { dayClose } : {}),
    };
  }
}

export type BuiltBundle = Pick<HandoffBuildResult, 'fileName' | 'sha256' | 'counts' | 'dayClose'> & { file: Uint8Array };

/** Says what it is and whose, so a desk of USB sticks stays sorted; the point code and day are safe in a name. */
export function handoffFileName(pointCode: string, day: string, stationId: string): string {
  return `离线移交-${pointCode}-${day}-${stationId.slice(0, 8)}.xqb`;
}
