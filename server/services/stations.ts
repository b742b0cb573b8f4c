import { z } from 'zod';
import { NotFoundError } from '../../core/errors/station-error.js';
import type { Queryable } from '../db/database.js';
import { queryOne, queryRows } from '../db/rows.js';
import type { PointStationKey } from '../../core/contract/central-api.js';
import { zhCN } from '../../core/i18n/zh-CN.js';

const StationRow = z
  .object({
    id: z.string(),
    point_code: z.string(),
    name: z.string(),
    public_key: z.instanceof(Uint8Array),
    revoked_at: z.date().nullable(),
  })
  .transform((row) => ({
    id: row.id,
    pointCode: row.point_code,
    name: row.name,
    publicKey: row.public_key,
    revokedAt: row.revoked_at,
  }));
export type Station = z.infer<typeof StationRow>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function findStation(db: Queryable, id: string): Promise<Station | undefined> {
  // A malformed id would be a uuid cast error in SQL; it simply names no station.
  if (!UUID.test(id)) return undefined;
  return queryOne(db, StationRow, 'SELECT id, point_code, name, public_key, revoked_at FROM stations WHERE id = $1', [id]);
}

/** Idempotent: revoking a revoked station keeps the first revocation time. */
export async function revokeStation(db: Queryable, id: string, now: Date): Promise<{ stationId: string; revokedAt: Date }> {
  const row = UUID.test(id)
    ? await queryOne(
        db,
        z.object({ id: z.string(), revoked_at: z.date() }),
        'UPDATE stations SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING id, revoked_at',
        [id, now],
      )
    : undefined;
  if (!row) throw new NotFoundError('no such station', zhCN.central.stations.notFound);
  return { stationId: row.id, revokedAt: row.revoked_at };
}

const PointKeyRow = z.object({ id: z.string(), name: z.string(), public_key: z.instanceof(Uint8Array), revoked_at: z.date().nullable() });

/**
 * Every station ever enrolled at the point, revoked ones included (their earlier receipts stay true), with its
 * raw public key as base64: what a station needs to check the point's receipts offline. Public keys only.
 */
export async function pointStationKeys(db: Queryable, pointCode: string): Promise<PointStationKey[]> {
  const rows = await queryRows(db, PointKeyRow, 'SELECT id, name, public_key, revoked_at FROM stations WHERE point_code = $1 ORDER BY enrolled_at, id', [pointCode]);
  return rows.map((row) => ({
    stationId: row.id,
    name: row.name,
    publicKey: Buffer.from(row.public_key).toString('base64'),
    ...(row.revoked_at ? { revokedAt: row.revoked_at.toISOString() } : {}),
  }));
}
