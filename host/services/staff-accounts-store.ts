import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { MAX_STAFF_ACCOUNTS, PointCode } from '../../core/contract/central-api.js';
import { StaffAccount } from '../../core/contract/staff.js';
import { FileInvalidError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';

export const STAFF_ACCOUNTS_FILE = 'staff-accounts.json';

const StaffAccountsFile = z.strictObject({
  version: z.literal(1),
  pointCode: PointCode,
  downloadedAt: z.iso.datetime({ offset: true }),
  accounts: z.array(StaffAccount).max(MAX_STAFF_ACCOUNTS),
});
export type StoredStaffAccounts = z.infer<typeof StaffAccountsFile>;

/**
 * The point's staff accounts as last downloaded from the central server, kept in the station's data folder so
 * sign-in works offline. Hashes only (the schema has no other secret); each download replaces the whole list,
 * so an account removed on the server can no longer sign in here.
 */
export class StaffAccountsStore {
  readonly #file: string;

  constructor(dataDir: string) {
    this.#file = path.join(dataDir, STAFF_ACCOUNTS_FILE);
  }

  /** undefined: nothing downloaded yet. A damaged file is an error, never an empty list to fall back from. */
  async load(): Promise<StoredStaffAccounts | undefined> {
    const text = await readTextIfExists(this.#file);
    if (text === undefined) return undefined;
    const parsed = StaffAccountsFile.safeParse(safeJson(text));
    if (!parsed.success) throw new FileInvalidError('staff accounts file unreadable', zhCN.accounts.storeInvalid);
    return parsed.data;
  }

  async save(stored: StoredStaffAccounts): Promise<void> {
    await writeJsonAtomic(this.#file, StaffAccountsFile.parse(stored));
  }
}

/** Missing file → undefined; any other read failure is an error for a person to look at. */
export async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new FileInvalidError(`cannot read ${path.basename(file)}`, zhCN.accounts.storeInvalid);
  }
}

/** Owner-only, written to a temporary file and renamed, so a crash never leaves half a file. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, JSON.stringify(value, null, 1), { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
