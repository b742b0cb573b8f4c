import type { FastifyRequest } from 'fastify';
import { InternalError, UnauthorizedError } from '../../core/errors/station-error.js';
import { MAX_CLOCK_SKEW_MS, signingText, stationHeaders } from '../../core/contract/request-signing.js';
import { ED25519_SIGNATURE_BYTES, ed25519PublicKeyFromRaw, verifyEd25519 } from '../crypto/ed25519.js';
import { sha256Hex } from '../../core/crypto/sha256.js';
import type { Queryable } from '../db/database.js';
import { ServerError } from '../errors.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { type Station, findStation } from '../services/stations.js';
import type { RawBodies } from './body-parsers.js';

export type AuthenticatedStations = WeakMap<FastifyRequest, Station>;

function singleHeader(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const EMPTY = Buffer.alloc(0);

/**
 * Checks a station's signed request. Order matters: only a request signed with the station's own key learns
 * that the station is revoked or that its clock is off, so neither answer helps someone holding only an id.
 */
export async function authenticateStation(
  db: Queryable,
  request: FastifyRequest,
  rawBody: Buffer | undefined,
  now: Date,
): Promise<Station> {
  const id = singleHeader(request, stationHeaders.stationId);
  const timestamp = singleHeader(request, stationHeaders.timestamp);
  const signature = singleHeader(request, stationHeaders.signature);
  if (id === undefined || timestamp === undefined || signature === undefined) {
    throw new UnauthorizedError('missing station signature headers', zhCN.central.errors.unauthorized);
  }
  if (!/^\d{1,16}$/.test(timestamp) || !BASE64.test(signature) || signature.length > 128) {
    throw new UnauthorizedError('malformed station signature headers', zhCN.central.errors.unauthorized);
  }
  const station = await findStation(db, id);
  if (!station) throw new ServerError('STATION_UNKNOWN', zhCN.central.errors.stationUnknown, 'station id not enrolled');

  const key = ed25519PublicKeyFromRaw(station.publicKey);
  const signatureBytes = Buffer.from(signature, 'base64');
  const text = signingText(request.method, request.url, Number(timestamp), sha256Hex(rawBody ?? EMPTY));
  if (!key || signatureBytes.length !== ED25519_SIGNATURE_BYTES || !verifyEd25519(key, text, signatureBytes)) {
    throw new ServerError('BAD_SIGNATURE', zhCN.central.errors.badSignature, 'signature does not verify');
  }
  if (station.revokedAt !== null) throw new ServerError('STATION_REVOKED', zhCN.central.errors.stationRevoked);

  const serverTime = now.getTime();
  if (Math.abs(serverTime - Number(timestamp)) > MAX_CLOCK_SKEW_MS) {
    throw new ServerError('CLOCK_SKEW', zhCN.central.errors.clockSkew, 'timestamp too far from server time', { serverTime });
  }
  return station;
}

export function stationOf(stations: AuthenticatedStations, request: FastifyRequest): Station {
  const station = stations.get(request);
  if (!station) throw new InternalError('route reached without station authentication');
  return station;
}

export function rawBodyOf(rawBodies: RawBodies, request: FastifyRequest): Buffer | undefined {
  return rawBodies.get(request);
}
