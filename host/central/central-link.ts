import type { z } from 'zod';
import { describeIssues } from '../../core/api/describe-issues.js';
import { ApiErrorReply, EnrollReply, type EnrollRequest, API_PREFIX } from '../../core/contract/central-api.js';
import { signingText, stationHeaders } from '../../core/contract/request-signing.js';
import { CentralError, InternalError, type ErrorCode } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { sha256Hex } from '../../core/crypto/sha256.js';
import type { StationIdentity } from './station-identity.js';

/** Server time minus local time (ms) and when that was seen (local ms). */
export interface ClockReading {
  offsetMs: number;
  measuredAt: number;
}

/** Server reasons that no retry can fix: the station must be re-enrolled or a person must look. */
const permanentReasons = new Set(['STATION_REVOKED', 'STATION_UNKNOWN', 'BAD_SIGNATURE', 'VALIDATION', 'ACCESS_DENIED', 'PAYLOAD_TOO_LARGE']);

/**
 * The station's only channel to the enrolled central server: every request is signed with the station's
 * Ed25519 key, replies are validated against the wire contract, and a clock that is hours off is corrected
 * from the server's time once per request instead of failing the whole day.
 */
export class CentralLink {
  /** Server time minus local time, learned from CLOCK_SKEW replies. */
  #clockOffsetMs = 0;
  /** The server's clock as its last reply's Date header showed it (second resolution), for the readiness check. */
  #observedClock: ClockReading | undefined;

  constructor(
    private readonly identity: StationIdentity,
    private readonly deps: { fetch?: typeof fetch; now?: () => number; timeoutMs?: number } = {},
  ) {}

  get enrolled(): boolean {
    return this.identity.enrollment !== undefined;
  }

  async enroll(request: { serverUrl: string; code: string; pointCode: string; stationName: string }): Promise<EnrollReply> {
    const body: EnrollRequest = {
      code: request.code,
      pointCode: request.pointCode,
      stationName: request.stationName,
      publicKey: this.identity.publicKey,
    };
    const reply = await this.#send(request.serverUrl, 'POST', `${API_PREFIX}/enroll`, Buffer.from(JSON.stringify(body)), false);
    const enrolled = parseReply(EnrollReply, reply.body);
    await this.identity.setEnrollment({
      serverUrl: request.serverUrl,
      stationId: enrolled.stationId,
      pointCode: enrolled.pointCode,
      pointName: enrolled.pointName,
      enrolledAt: new Date(this.#now()).toISOString(),
      ...(enrolled.handoffKey ? { handoffKey: enrolled.handoffKey } : {}),
      ...(enrolled.rulesKey ? { rulesKey: enrolled.rulesKey } : {}),
    });
    return enrolled;
  }

  /** A signed request to the enrolled server; `schema` validates the JSON reply. */
  async request<S extends z.ZodType>(method: 'GET' | 'POST' | 'PUT', target: string, schema: S, body?: Uint8Array, contentType?: string): Promise<z.output<S>> {
    const enrollment = this.identity.enrollment;
    if (!enrollment) throw new CentralError('ACCESS_DENIED', zhCN.central.notEnrolled, 'NOT_ENROLLED', false);
    const reply = await this.#send(enrollment.serverUrl, method, target, body, true, contentType);
    return parseReply(schema, reply.body);
  }

  /** A signed request whose reply is raw bytes (roster photos), with the type the server declared. */
  async requestBytes(target: string): Promise<{ body: Uint8Array; contentType: string }> {
    const enrollment = this.identity.enrollment;
    if (!enrollment) throw new CentralError('ACCESS_DENIED', zhCN.central.notEnrolled, 'NOT_ENROLLED', false);
    const reply = await this.#send(enrollment.serverUrl, 'GET', target, undefined, true);
    return { body: reply.body, contentType: reply.contentType };
  }

  /** How far the local clock is from the server's, as last seen; undefined before any reply. */
  get clockReading(): ClockReading | undefined {
    return this.#observedClock;
  }

  #now(): number {
    return (this.deps.now ?? Date.now)();
  }

  #observeServerDate(response: Response, sentAt: number): void {
    const serverTime = Date.parse(response.headers.get('date') ?? '');
    if (!Number.isFinite(serverTime)) return;
    const receivedAt = this.#now();
    // The Date header truncates to the second: compare with the middle of that second and of the round trip.
    this.#observedClock = { offsetMs: Math.round(serverTime + 500 - (sentAt + receivedAt) / 2), measuredAt: receivedAt };
  }

  async #send(
    serverUrl: string,
    method: string,
    target: string,
    body: Uint8Array | undefined,
    signed: boolean,
    contentType = 'application/json',
    retried = false,
  ): Promise<{ status: number; body: Uint8Array; contentType: string }> {
    const headers: Record<string, string> = {};
    if (body) headers['content-type'] = contentType;
    if (signed) {
      const enrollment = this.identity.enrollment!;
      const timestamp = Math.round(this.#now() + this.#clockOffsetMs);
      const bodyHash = sha256Hex(body ?? new Uint8Array());
      headers[stationHeaders.stationId] = enrollment.stationId;
      headers[stationHeaders.timestamp] = String(timestamp);
      headers[stationHeaders.signature] = this.identity.sign(signingText(method, target, timestamp, bodyHash));
    }
    let response: Response;
    const sentAt = this.#now();
    try {
      response = await (this.deps.fetch ?? fetch)(new URL(target, serverUrl), {
        method,
        headers,
        ...(body ? { body: Buffer.from(body) } : {}),
        signal: AbortSignal.timeout(this.deps.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new CentralError('TRANSPORT', zhCN.central.unreachable, 'UNREACHABLE', true, error instanceof Error ? error.name : 'fetch failed');
    }
    this.#observeServerDate(response, sentAt);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (response.ok) return { status: response.status, body: bytes, contentType: response.headers.get('content-type') ?? '' };

    const parsed = ApiErrorReply.safeParse(safeJson(bytes));
    if (!parsed.success) {
      throw new CentralError('TRANSPORT', zhCN.central.serverError, `HTTP_${response.status}`, response.status >= 500 || response.status === 429);
    }
    const { error } = parsed.data;
    if (error.code === 'CLOCK_SKEW' && error.serverTime !== undefined && !retried) {
      // The station's clock is off (a drifted Windows clock, a wrong time zone): sign with the server's time.
      this.#clockOffsetMs = error.serverTime - this.#now();
      return this.#send(serverUrl, method, target, body, signed, contentType, true);
    }
    const code: ErrorCode = error.code in baseCodes ? baseCodes[error.code as keyof typeof baseCodes] : 'INTERNAL';
    throw new CentralError(code, error.message, error.code, !permanentReasons.has(error.code) && response.status >= 500, error.detail);
  }
}

/** The station-wide code nearest to each error code the server may send. */
const baseCodes = {
  VALIDATION: 'VALIDATION',
  ACCESS_DENIED: 'ACCESS_DENIED',
  UNAUTHORIZED: 'UNAUTHORIZED',
  NOT_FOUND: 'NOT_FOUND',
  INVALID_STATE: 'INVALID_STATE',
  FILE_INVALID: 'FILE_INVALID',
  INTERNAL: 'INTERNAL',
  BAD_SIGNATURE: 'UNAUTHORIZED',
  CLOCK_SKEW: 'UNAUTHORIZED',
  STATION_UNKNOWN: 'ACCESS_DENIED',
  STATION_REVOKED: 'ACCESS_DENIED',
  ENROLLMENT_CODE_INVALID: 'ACCESS_DENIED',
  ENROLLMENT_CODE_EXPIRED: 'ACCESS_DENIED',
  ENROLLMENT_CODE_USED: 'INVALID_STATE',
  PAYLOAD_TOO_LARGE: 'VALIDATION',
} as const satisfies Record<string, ErrorCode>;

function safeJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
}

function parseReply<S extends z.ZodType>(schema: S, bytes: Uint8Array): z.output<S> {
  const parsed = schema.safeParse(safeJson(bytes));
  if (!parsed.success) throw new InternalError(`central reply failed the contract: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

