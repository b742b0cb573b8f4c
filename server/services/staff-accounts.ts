import { z } from 'zod';
import type { CreateStaffAccountRequest, StaffAccountSummary } from '../../core/contract/central-api.js';
import { StaffAccount } from '../../core/contract/staff.js';
import { hashPassword } from '../../core/crypto/password-hash.js';
import { InternalError, InvalidStateError, NotFoundError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import type { Queryable } from '../db/database.js';
import { queryOne, queryRows } from '../db/rows.js';
import { requirePoint } from './points.js';

const SummaryRow = z
  .object({ point_code: z.string(), id: z.string(), name: z.string(), role: z.enum(['operator', 'supervisor']), disabled: z.boolean(), updated_at: z.date() })
  .transform((row): StaffAccountSummary => ({
    pointCode: row.point_code,
    id: row.id,
    name: row.name,
    role: row.role,
    disabled: row.disabled,
    updatedAt: row.updated_at.toISOString(),
  }));
const SUMMARY_COLUMNS = 'point_code, id, name, role, disabled, updated_at';

/** The password is hashed here and never stored or logged; a second account with the same id is refused. */
export async function createStaffAccount(db: Queryable, pointCode: string, request: CreateStaffAccountRequest, now: Date): Promise<StaffAccountSummary> {
  await requirePoint(db, pointCode);
  const hash = await hashPassword(request.password);
  const created = await queryOne(
    db,
    SummaryRow,
    `INSERT INTO staff_accounts (point_code, id, name, role, password_hash, disabled, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, false, $6, $6)
     ON CONFLICT (point_code, id) DO NOTHING RETURNING ${SUMMARY_COLUMNS}`,
    [pointCode, request.id, request.name, request.role, hash, now],
  );
  if (!created) throw new InvalidStateError('staff account exists', zhCN.accounts.server.exists);
  return created;
}

export async function setStaffPassword(db: Queryable, pointCode: string, id: string, password: string, now: Date): Promise<StaffAccountSummary> {
  const hash = await hashPassword(password);
  return updateOne(db, pointCode, id, 'password_hash = $3, updated_at = $4', [hash, now]);
}

/** Disabled accounts stay listed for stations (flagged), so a station that stored one refuses it at once. */
export async function setStaffDisabled(db: Queryable, pointCode: string, id: string, disabled: boolean, now: Date): Promise<StaffAccountSummary> {
  return updateOne(db, pointCode, id, 'disabled = $3, updated_at = $4', [disabled, now]);
}

async function updateOne(db: Queryable, pointCode: string, id: string, set: string, params: [string | boolean, Date]): Promise<StaffAccountSummary> {
  await requirePoint(db, pointCode);
  const updated = await queryOne(db, SummaryRow, `UPDATE staff_accounts SET ${set} WHERE point_code = $1 AND id = $2 RETURNING ${SUMMARY_COLUMNS}`, [
    pointCode,
    id,
    ...params,
  ]);
  if (!updated) throw new NotFoundError('no such staff account', zhCN.accounts.server.notFound);
  return updated;
}

export async function listStaffAccounts(db: Queryable, pointCode: string): Promise<StaffAccountSummary[]> {
  await requirePoint(db, pointCode);
  return queryRows(db, SummaryRow, `SELECT ${SUMMARY_COLUMNS} FROM staff_accounts WHERE point_code = $1 ORDER BY id`, [pointCode]);
}

/** What a station of the point downloads: each row checked against the StaffAccount contract (hashes only). */
const StationRow = z
  .object({ id: z.string(), name: z.string(), role: z.string(), password_hash: z.string(), disabled: z.boolean() })
  .transform((row) => ({ id: row.id, name: row.name, role: row.role, passwordHash: row.password_hash, disabled: row.disabled }));

export async function staffAccountsForStation(db: Queryable, pointCode: string): Promise<StaffAccount[]> {
  const rows = await queryRows(db, StationRow, 'SELECT id, name, role, password_hash, disabled FROM staff_accounts WHERE point_code = $1 ORDER BY id', [pointCode]);
  return rows.map((row) => {
    const parsed = StaffAccount.safeParse(row);
    // The table's checks match the contract; a row that fails it is drift, and is never sent half-checked.
    if (!parsed.success) throw new InternalError('staff account row fails the StaffAccount contract');
    return parsed.data;
  });
}
