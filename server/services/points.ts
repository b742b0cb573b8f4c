import { z } from 'zod';
import { NotFoundError } from '../../core/errors/station-error.js';
import type { CreatePointRequest } from '../../core/contract/central-api.js';
import type { Queryable } from '../db/database.js';
import { queryOne } from '../db/rows.js';
import { ServerError } from '../errors.js';
import { zhCN } from '../../core/i18n/zh-CN.js';

export const Point = z.object({ code: z.string(), name: z.string() });
export type Point = z.infer<typeof Point>;

export async function createPoint(db: Queryable, point: CreatePointRequest, now: Date): Promise<Point> {
  const created = await queryOne(
    db,
    Point,
    `INSERT INTO points (code, name, created_at) VALUES ($1, $2, $3)
     ON CONFLICT (code) DO NOTHING RETURNING code, name`,
    [point.code, point.name, now],
  );
  if (!created) throw new ServerError('POINT_EXISTS', zhCN.central.points.exists, 'point code already exists');
  return created;
}

export async function findPoint(db: Queryable, code: string): Promise<Point | undefined> {
  return queryOne(db, Point, 'SELECT code, name FROM points WHERE code = $1', [code]);
}

export async function requirePoint(db: Queryable, code: string): Promise<Point> {
  const point = await findPoint(db, code);
  if (!point) throw new NotFoundError('no such point', zhCN.central.points.notFound);
  return point;
}

/**
 * Takes the point's row lock until the transaction ends. Every writer of a point's roster takes it first,
 * so roster row versions of one point are committed in the order they were drawn (see the delta cursor).
 */
export async function lockPoint(tx: Queryable, code: string): Promise<Point> {
  const point = await queryOne(tx, Point, 'SELECT code, name FROM points WHERE code = $1 FOR UPDATE', [code]);
  if (!point) throw new NotFoundError('no such point', zhCN.central.points.notFound);
  return point;
}
