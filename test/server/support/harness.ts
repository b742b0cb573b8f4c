import { type KeyObject, generateKeyPairSync, sign } from 'node:crypto';
import { sha256Hex } from '../../../core/crypto/sha256.js';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { computeCheckCharacter } from '../../../core/citizen-id/citizen-id.js';
import type { RosterEntry } from '../../../core/contract/roster.js';
import { type ApiErrorReply, ApiErrorReply as ApiErrorReplySchema } from '../../../core/contract/central-api.js';
import { signingText, stationHeaders } from '../../../core/contract/request-signing.js';
import { encodeRecordSignature, recordSigningText } from '../../../core/records/record-signature.js';
import { ed25519RawFromPublicKey } from '../../../server/crypto/ed25519.js';
import type { Database } from '../../../server/db/database.js';
import { buildServer } from '../../../server/http/app.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const HAN = /[\u4e00-\u9fff]/u;
/** 2026-11-24 09:00 in China: a confirmation-season morning. */
export const START_MS = Date.parse('2026-11-24T09:00:00+08:00');

/** A settable clock shared by the server under test and the stations signing requests. */
export class TestClock {
  ms = START_MS;
  readonly now = (): Date => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface TestServer {
  app: FastifyInstance;
  clock: TestClock;
}

export function startServer(db: Database, options: { adminToken?: string | undefined; receiptVerifyLimit?: { perMinute: number } } = {}): TestServer {
  const clock = new TestClock();
  const adminToken = 'adminToken' in options ? options.adminToken : ADMIN_TOKEN;
  const app = buildServer({ db, now: clock.now, adminToken, ...(options.receiptVerifyLimit ? { receiptVerifyLimit: options.receiptVerifyLimit } : {}) });
  return { app, clock };
}

export function json(response: LightMyRequestResponse): unknown {
  return JSON.parse(response.body) as unknown;
}

/** Asserts the typed error shape, the code and a Chinese message; returns the error for more checks. */
export function expectApiError(response: LightMyRequestResponse, status: number, code: string): ApiErrorReply['error'] {
  expect(response.statusCode, response.body).toBe(status);
  const reply = ApiErrorReplySchema.parse(json(response));
  expect(reply.error.code).toBe(code);
  expect(reply.error.message).toMatch(HAN);
  return reply.error;
}

export function adminRequest(app: FastifyInstance, method: 'GET' | 'POST', url: string, payload?: unknown) {
  return app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

export async function createPoint(app: FastifyInstance, code: string, name = `${code}现场确认点`): Promise<void> {
  const response = await adminRequest(app, 'POST', '/api/v1/admin/points', { code, name });
  expect(response.statusCode, response.body).toBe(201);
}

export async function issueCode(app: FastifyInstance, pointCode: string, ttlMinutes?: number): Promise<string> {
  const response = await adminRequest(
    app,
    'POST',
    `/api/v1/admin/points/${pointCode}/enrollment-codes`,
    ttlMinutes === undefined ? undefined : { ttlMinutes },
  );
  expect(response.statusCode, response.body).toBe(201);
  return (json(response) as { code: string }).code;
}

export interface TestStation {
  id: string;
  pointCode: string;
  privateKey: KeyObject;
  publicKeyRaw: Uint8Array;
}

export function newKeyPair(): { privateKey: KeyObject; publicKeyRaw: Uint8Array } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKeyRaw: ed25519RawFromPublicKey(publicKey) };
}

export function enrollRequest(app: FastifyInstance, body: Record<string, unknown>) {
  return app.inject({ method: 'POST', url: '/api/v1/enroll', payload: body });
}

/** Creates the point when needed, issues a code and enrolls a fresh key pair with it. */
export async function enrollStation(app: FastifyInstance, pointCode: string, stationName = '1号工位'): Promise<TestStation> {
  const code = await issueCode(app, pointCode);
  const keys = newKeyPair();
  const response = await enrollRequest(app, {
    code,
    pointCode,
    stationName,
    publicKey: Buffer.from(keys.publicKeyRaw).toString('base64'),
  });
  expect(response.statusCode, response.body).toBe(201);
  return { id: (json(response) as { stationId: string }).stationId, pointCode, ...keys };
}

export interface SignedRequest {
  method: 'GET' | 'PUT' | 'POST';
  url: string;
  /** Objects are sent as JSON; bytes as they are. */
  body?: unknown;
  contentType?: string;
  /** Default: the server's clock. */
  timestampMs?: number;
  /** Sign with this key instead of the station's. */
  signWith?: KeyObject;
  /** Send these bytes instead of the signed ones. */
  sendInstead?: Buffer;
  /** Send to this URL instead of the signed one. */
  urlInstead?: string;
}

export function signedRequest(server: TestServer, station: TestStation, request: SignedRequest) {
  const bytes =
    request.body === undefined
      ? Buffer.alloc(0)
      : Buffer.isBuffer(request.body)
        ? request.body
        : Buffer.from(JSON.stringify(request.body), 'utf8');
  const contentType = request.contentType ?? (Buffer.isBuffer(request.body) ? 'application/octet-stream' : 'application/json');
  const timestamp = request.timestampMs ?? server.clock.ms;
  const hash = sha256Hex(bytes);
  const signature = sign(null, Buffer.from(signingText(request.method, request.url, timestamp, hash)), request.signWith ?? station.privateKey);
  const headers: Record<string, string> = {
    [stationHeaders.stationId]: station.id,
    [stationHeaders.timestamp]: String(timestamp),
    [stationHeaders.signature]: signature.toString('base64'),
  };
  if (request.body !== undefined) headers['content-type'] = contentType;
  const payload = request.sendInstead ?? bytes;
  return server.app.inject({
    method: request.method,
    url: request.urlInstead ?? request.url,
    headers,
    ...(request.body === undefined ? {} : { payload }),
  });
}

export { sha256Hex };

/** A record item as tests build them: the fields a record signature covers, loosely typed (tests send bad ones too). */
export type RecordItem = Record<string, unknown> & { id: string };

/**
 * Signs a record as the station's host does (host/central/record-signer.ts): the station key over
 * recordSigningText(station id, record). An item that already carries a `signature` (a test's forgery) or lacks a
 * record's fields goes as it is. `as`: the station id to sign for; `key`: another key (a forgery).
 */
export function signRecordAs<T extends RecordItem>(station: Pick<TestStation, 'id' | 'privateKey'>, item: T, options: { as?: string; key?: KeyObject } = {}): T {
  const { citizenId, content, blobs = [] } = item;
  if ('signature' in item || typeof citizenId !== 'string' || typeof content !== 'object' || content === null || !Array.isArray(blobs)) return item;
  const text = recordSigningText(options.as ?? station.id, {
    id: item.id,
    citizenId,
    content: content as Record<string, unknown>,
    blobs: blobs.map(String),
  });
  const signature = sign(null, Buffer.from(text, 'utf8'), options.key ?? station.privateKey);
  return { ...item, signature: encodeRecordSignature(new Uint8Array(signature)) };
}

/** A record's content list of its blobs (ConfirmationContent.blobs), which must name the upload's blobs. */
export function contentBlobs(blobs: readonly string[]): Array<{ role: string; sha256: string }> {
  return blobs.map((sha256, i) => ({ role: `blob-${i + 1}`, sha256 }));
}

/** A valid GB 11643 number: Zhengzhou Jinshui district, born in 2003, sequence `seq`. */
export function citizenId(seq: number, birth = '20030314'): string {
  const body = `410105${birth}${String(seq % 1000).padStart(3, '0')}`;
  return body + computeCheckCharacter(body);
}

export const PHOTO_SVG = 'PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4='; // <svg xmlns="http://www.w3.org/2000/svg"/>

/** Synthetic roster rows for `pointName` (fictitious people). */
export function rosterRows(count: number, pointName: string, from = 1): RosterEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return {
      registrationNo: `2026410${String(n).padStart(5, '0')}`,
      citizenId: citizenId(n),
      name: `测试考生${n}`,
      sex: n % 2 === 1 ? 'male' : 'female',
      candidateType: 'fresh-graduate',
      major: '计算机科学与技术',
      examCity: '郑州市',
      confirmationPoint: pointName,
      phone: `138${String(n).padStart(8, '0')}`,
      ...(n % 3 === 0 ? {} : { photo: `data:image/svg+xml;base64,${PHOTO_SVG}` }),
      status: 'pending',
    };
  });
}
