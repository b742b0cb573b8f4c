import {
  API_PREFIX,
  AuditBatchReply,
  BlobMime,
  BlobPutReply,
  ConfirmationBatchReply,
  DAY_CLOSE_PATH,
  HANDOFF_KEY_PATH,
  HandoffKeyInfo,
  POINT_KEYS_PATH,
  PointKeysReply,
  RosterDeltaReply,
  RulesKeyInfo,
  StaffAccountsReply,
  type AuditBatchRequest,
  type ConfirmationBatchRequest,
} from '../../core/contract/central-api.js';
import { DayCloseReply, type SignedDayClose } from '../../core/contract/day-close.js';
import type { CentralBlobDownload, CentralStatus, EnrollmentHint } from '../../core/contract/station-api.js';
import { CentralError, InternalError, InvalidStateError } from '../../core/errors/station-error.js';
import { sha256Hex } from '../../core/crypto/sha256.js';
import { RULES_KEY_PATH, RULES_PATH, RulesReply } from '../../core/rules/wire.js';
import type { z } from 'zod';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { CentralLink, type ClockReading } from './central-link.js';
import { signRecordItems } from './record-signer.js';
import { StationIdentity, ownerOnlyFile, type SecretStore } from './station-identity.js';

/**
 * The StationApi's central.* calls: the station's identity is loaded (or created) on first use from the
 * data folder, and every call goes through the one signed CentralLink.
 */
export class CentralService {
  #link: Promise<{ identity: StationIdentity; link: CentralLink }> | undefined;
  /** Training's 网络中断 scenario: every request fails as an unreachable server would (simulators only). */
  #simulatedOffline = false;

  simulateOffline(offline: boolean): void {
    this.#simulatedOffline = offline;
  }

  constructor(
    private readonly options: { dataDir: string | undefined; secrets?: SecretStore; fetch?: typeof fetch; now?: () => number; hint?: EnrollmentHint },
  ) {}

  /** The station's identity (one instance: a later enrollment is seen by everything that signs). */
  async identity(): Promise<StationIdentity> {
    return (await this.#open()).identity;
  }

  /** The local clock against the server's, from the last reply (undefined before the link has been used). */
  async clockReading(): Promise<ClockReading | undefined> {
    if (!this.#link) return undefined;
    return (await this.#link.catch(() => undefined))?.link.clockReading;
  }

  async status(): Promise<CentralStatus> {
    const { identity } = await this.#open();
    const e = identity.enrollment;
    return e
      ? { enrolled: true, serverUrl: e.serverUrl, stationId: e.stationId, pointCode: e.pointCode, pointName: e.pointName }
      : { enrolled: false, ...(this.options.hint ? { hint: this.options.hint } : {}) };
  }

  async enroll(request: { serverUrl: string; code: string; pointCode: string; stationName: string }): Promise<CentralStatus> {
    const { link } = await this.#online();
    await link.enroll(request);
    return this.status();
  }

  async uploadBlob(blob: { sha256: string; mime: string; base64: string }): Promise<BlobPutReply> {
    const { link } = await this.#online();
    return link.request('PUT', `${API_PREFIX}/blobs/${blob.sha256}`, BlobPutReply, Buffer.from(blob.base64, 'base64'), blob.mime);
  }

  /** Each record is signed here with the station key (the server refuses unsigned ones), then sent in one request. */
  async uploadBatch(batch: ConfirmationBatchRequest): Promise<ConfirmationBatchReply> {
    const { identity, link } = await this.#online();
    const stationId = identity.enrollment?.stationId;
    // Not enrolled: the link refuses the request itself (NOT_ENROLLED); there is no station id to sign for.
    const body = stationId ? { confirmations: signRecordItems(identity, stationId, batch.confirmations) } : batch;
    return link.request('POST', `${API_PREFIX}/confirmations/batch`, ConfirmationBatchReply, Buffer.from(JSON.stringify(body)));
  }

  /** The station's audit chain entries; the server answers which it stored and any break it found. */
  async uploadAudit(batch: AuditBatchRequest): Promise<AuditBatchReply> {
    const { link } = await this.#online();
    return link.request('POST', `${API_PREFIX}/station/audit`, AuditBatchReply, Buffer.from(JSON.stringify(batch)));
  }

  /** A roster photo by its address. The bytes must hash to it: a server (or proxy) cannot swap a photo. */
  async fetchBlob(request: { sha256: string }): Promise<CentralBlobDownload> {
    const { link } = await this.#online();
    const { body, contentType } = await link.requestBytes(`${API_PREFIX}/blobs/${request.sha256}`);
    if (sha256Hex(body) !== request.sha256) {
      throw new CentralError('VALIDATION', zhCN.central.blobMismatch, 'BLOB_HASH_MISMATCH', true, 'downloaded bytes do not match their address');
    }
    const mime = BlobMime.safeParse(contentType.split(';')[0]?.trim());
    return { sha256: request.sha256, mime: mime.success ? mime.data : 'application/octet-stream', base64: Buffer.from(body).toString('base64') };
  }

  async rosterDelta(request: { cursor?: string | undefined; limit: number }): Promise<RosterDeltaReply> {
    const { link } = await this.#online();
    const query = new URLSearchParams({ cursor: request.cursor ?? '', limit: String(request.limit) });
    return link.request('GET', `${API_PREFIX}/roster?${query.toString()}`, RosterDeltaReply);
  }

  /** The point's staff accounts (hashes only); a reply for another point than ours is refused. */
  async staffAccounts(): Promise<StaffAccountsReply> {
    const { identity, link } = await this.#online();
    const reply = await link.request('GET', `${API_PREFIX}/station/staff-accounts`, StaffAccountsReply);
    if (reply.pointCode !== identity.enrollment?.pointCode) throw new InternalError('staff accounts reply names another point');
    return reply;
  }

  /** The public keys of the point's stations (receipts verify offline); a reply for another point is refused. */
  async pointKeys(): Promise<PointKeysReply> {
    const { identity, link } = await this.#online();
    const reply = await link.request('GET', POINT_KEYS_PATH, PointKeysReply);
    if (reply.pointCode !== identity.enrollment?.pointCode) throw new InternalError('point keys reply names another point');
    return reply;
  }

  /** 日结 online: a day-close record the host signed; the server answers stored or duplicate. */
  async postDayClose(signed: SignedDayClose): Promise<DayCloseReply> {
    const { link } = await this.#online();
    return link.request('POST', DAY_CLOSE_PATH, DayCloseReply, Buffer.from(JSON.stringify(signed)));
  }

  /**
   * The server's handoff key: the one kept with the enrollment, else asked for once and kept (stations enrolled
   * before the server had one). Undefined when not enrolled, or when neither is possible (offline).
   */
  async handoffKey(): Promise<HandoffKeyInfo | undefined> {
    return this.#serverKey('handoffKey', HANDOFF_KEY_PATH, HandoffKeyInfo, (identity, key) => identity.setHandoffKey(key));
  }

  /** The server's rules key, as handoffKey: from the enrollment, else asked for once (trusted from then on) and kept. */
  async rulesKey(): Promise<RulesKeyInfo | undefined> {
    return this.#serverKey('rulesKey', RULES_KEY_PATH, RulesKeyInfo, (identity, key) => identity.setRulesKey(key));
  }

  /** The point's current signed rules bundle (null: none published); a reply for another point is refused. */
  async rules(): Promise<RulesReply> {
    const { identity, link } = await this.#online();
    const reply = await link.request('GET', RULES_PATH, RulesReply);
    if (reply.pointCode !== identity.enrollment?.pointCode) throw new InternalError('rules reply names another point');
    return reply;
  }

  /** Both keys have one shape (id and raw public key); only where they are kept differs. */
  async #serverKey(
    field: 'handoffKey' | 'rulesKey',
    target: string,
    schema: z.ZodType<HandoffKeyInfo & RulesKeyInfo>,
    keep: (identity: StationIdentity, key: HandoffKeyInfo & RulesKeyInfo) => Promise<void>,
  ): Promise<(HandoffKeyInfo & RulesKeyInfo) | undefined> {
    const { identity } = await this.#open();
    const enrollment = identity.enrollment;
    if (!enrollment) return undefined;
    const kept = enrollment[field];
    if (kept) return kept;
    try {
      const { link } = await this.#online();
      const key = await link.request('GET', target, schema);
      await keep(identity, key);
      return key;
    } catch {
      return undefined;
    }
  }

  async #online(): Promise<{ identity: StationIdentity; link: CentralLink }> {
    if (this.#simulatedOffline) throw new CentralError('TRANSPORT', zhCN.central.unreachable, 'UNREACHABLE', true, 'simulated network loss');
    return this.#open();
  }

  #open(): Promise<{ identity: StationIdentity; link: CentralLink }> {
    const { dataDir } = this.options;
    if (!dataDir) return Promise.reject(new InvalidStateError('no data folder configured', zhCN.central.noDataDir));
    this.#link ??= StationIdentity.load(dataDir, this.options.secrets ?? ownerOnlyFile).then((identity) => ({
      identity,
      link: new CentralLink(identity, {
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
        ...(this.options.now ? { now: this.options.now } : {}),
      }),
    }));
    // A failed load (damaged file) is reported each time rather than cached.
    this.#link.catch(() => (this.#link = undefined));
    return this.#link;
  }
}
