import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import type { StaffAccountList, StaffSession } from '../../core/contract/station-api.js';
import { type Actor, type StaffAccount, StaffAccountId, type StaffRole } from '../../core/contract/staff.js';
import type { SupervisorApproval, SupervisorApprovalRequest, SupervisorList } from '../../core/contract/supervisor.js';
import { hashPassword, verifyPassword } from '../../core/crypto/password-hash.js';
import { StationError, UnauthorizedError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import type { Logger } from '../../core/logging/logger.js';
import { type StaffAccountsStore, type StoredStaffAccounts, readTextIfExists, safeJson, writeJsonAtomic } from './staff-accounts-store.js';

/** A supervisor from the station config (the offline fallback): id, name and the scrypt hash of the PIN. */
export interface ConfigSupervisor {
  id: string;
  name: string;
  pinHash: string;
}

/**
 * Demo accounts for stations running on simulators only, offered while no account is downloaded or configured.
 * The start banner prints them; the sign-in screen and the approval dialog never do.
 */
export const DEMO_PASSWORD = '123456';
export const demoAccounts = [
  { id: 'demo-op', name: '演示操作员', role: 'operator', password: DEMO_PASSWORD },
  { id: 'demo', name: '演示主管', role: 'supervisor', password: DEMO_PASSWORD },
] as const satisfies readonly { id: string; name: string; role: StaffRole; password: string }[];

export const MAX_FAILURES = 5;
export const LOCKOUT_MS = 5 * 60_000;
export const STAFF_FAILURES_FILE = 'staff-signin-failures.json';
/** Failure records kept at most (unknown ids are counted too, so that lockout does not reveal which ids exist). */
const MAX_FAILURE_RECORDS = 1000;
const DEMO_HASH = 'demo';

const Failure = z.strictObject({
  count: z.number().int().min(0).max(MAX_FAILURES),
  lockedUntil: z.number().int().nonnegative(),
  lastAt: z.number().int().nonnegative(),
});
type Failure = z.infer<typeof Failure>;
const FailuresFile = z.strictObject({ version: z.literal(1), failures: z.record(StaffAccountId, Failure) });

type AccountSource = StaffAccountList['source'];
interface Resolved {
  source: AccountSource;
  accounts: StaffAccount[];
}

export interface StaffAuthDeps {
  /** Downloaded accounts; absent without a data folder (then only config and demo accounts exist). */
  store?: StaffAccountsStore | undefined;
  /** The station's data folder: wrong tries are kept there so a restart does not reset a lockout. */
  dataDir?: string | undefined;
  configSupervisors: readonly ConfigSupervisor[];
  /** Whether demo accounts may be used right now (simulators only). */
  demoAllowed: () => boolean;
  idleLockMinutes: number;
  now?: () => number;
  logger?: Logger;
}

/**
 * The station's one authenticator: sign-in at the staff window and a supervisor's approval at the desk both
 * check a password here, against stored scrypt hashes (so offline too), with one lockout per account. The
 * session lives here, in the host, so the window cannot claim a role it did not sign in with.
 */
export class StaffAuth {
  #downloaded: StoredStaffAccounts | undefined;
  /** Set when the stored file is damaged: nobody signs in with it until a download replaces it. */
  #storeError: StationError | undefined;
  #failures: Promise<Map<string, Failure>> | undefined;
  #session: StaffSession | undefined;
  #demoHash: Promise<string> | undefined;
  /** Checks run one at a time: parallel guesses cannot race past the failure count. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: StaffAuthDeps) {}

  /** Loads the downloaded accounts; call once before serving. */
  async ready(): Promise<void> {
    try {
      this.#downloaded = await this.deps.store?.load();
      this.#storeError = undefined;
    } catch (error) {
      this.#storeError = error instanceof StationError ? error : new UnauthorizedError('staff accounts unreadable', zhCN.accounts.storeInvalid);
      this.deps.logger?.warn('staff accounts file unreadable');
    }
  }

  get idleLockMinutes(): number {
    return this.deps.idleLockMinutes;
  }

  /** Whether the demo accounts are what sign-in offers now. */
  get demoOffered(): boolean {
    return this.#resolve().source === 'demo';
  }

  accounts(): StaffAccountList {
    const { source, accounts } = this.#resolve();
    return { source, accounts: accounts.filter((a) => !a.disabled).map(({ id, name, role }) => ({ id, name, role })) };
  }

  supervisors(): SupervisorList {
    const { source, accounts } = this.#resolve();
    return {
      supervisors: accounts.filter((a) => !a.disabled && a.role === 'supervisor').map(({ id, name }) => ({ id, name })),
      demo: source === 'demo',
    };
  }

  current(): StaffSession | undefined {
    return this.#session;
  }

  /** Success replaces whoever was signed in: an operator switch is simply the next person's sign-in. */
  async signIn(accountId: string, password: string): Promise<StaffSession> {
    const account = await this.#check(accountId, password, zhCN.accounts.rejected, zhCN.accounts.lockedOut);
    this.#session = {
      actor: { accountId: account.id, name: account.name, role: account.role },
      signedInAt: new Date(this.#now()).toISOString(),
      idleLockMinutes: this.deps.idleLockMinutes,
    };
    return this.#session;
  }

  /** Ends the session (sign-out, or the window's idle lock); returns who it was, for the audit. */
  signOut(): Actor | undefined {
    const actor = this.#session?.actor;
    this.#session = undefined;
    return actor;
  }

  /** The signed-in actor when it has `role` (a supervisor may do what an operator may). */
  require(role: StaffRole): Actor {
    const session = this.#session;
    if (!session) throw new UnauthorizedError('no staff session', zhCN.accounts.signInRequired);
    if (role === 'supervisor' && session.actor.role !== 'supervisor') {
      throw new StationError('ACCESS_DENIED', zhCN.accounts.supervisorRequired, `${session.actor.role} session, ${role} required`);
    }
    return session.actor;
  }

  /** One approval by the named supervisor's password; an operator's password approves nothing. */
  async authorize(request: SupervisorApprovalRequest): Promise<SupervisorApproval> {
    const account = await this.#check(request.supervisorId, request.pin, zhCN.supervisor.rejected, zhCN.supervisor.lockedOut, 'supervisor');
    return {
      approvalId: randomUUID(),
      supervisorId: account.id,
      supervisorName: account.name,
      action: request.action,
      reason: request.reason,
      at: new Date(this.#now()).toISOString(),
    };
  }

  /**
   * A download from the central server replaces the stored list; whoever is signed in with an account that is
   * gone or disabled now is signed out.
   */
  async replaceAccounts(pointCode: string, accounts: readonly StaffAccount[]): Promise<void> {
    const stored: StoredStaffAccounts = { version: 1, pointCode, downloadedAt: new Date(this.#now()).toISOString(), accounts: [...accounts] };
    await this.deps.store?.save(stored);
    this.#downloaded = stored;
    this.#storeError = undefined;
    const actor = this.#session?.actor;
    if (actor && !this.#resolve().accounts.some((a) => a.id === actor.accountId && a.role === actor.role && !a.disabled)) {
      this.#session = undefined;
    }
  }

  #resolve(): Resolved {
    if (this.#downloaded && this.#downloaded.accounts.length > 0) return { source: 'central', accounts: this.#downloaded.accounts };
    if (this.deps.configSupervisors.length > 0) {
      return {
        source: 'config',
        accounts: this.deps.configSupervisors.map((s) => ({ id: s.id, name: s.name, role: 'supervisor', passwordHash: s.pinHash, disabled: false })),
      };
    }
    // A damaged download must not turn into the demo accounts: only the config's supervisors remain.
    if (this.deps.demoAllowed() && !this.#storeError) {
      return { source: 'demo', accounts: demoAccounts.map(({ id, name, role }) => ({ id, name, role, passwordHash: DEMO_HASH, disabled: false })) };
    }
    return { source: 'none', accounts: [] };
  }

  #check(accountId: string, password: string, rejected: string, lockedOut: (minutes: number) => string, role?: StaffRole): Promise<StaffAccount> {
    const run = this.#queue.then(() => this.#checkNow(accountId, password, rejected, lockedOut, role));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #checkNow(accountId: string, password: string, rejected: string, lockedOut: (minutes: number) => string, role?: StaffRole): Promise<StaffAccount> {
    const now = this.#now();
    const failures = await this.#loadFailures();
    const failure = failures.get(accountId);
    if (failure && failure.lockedUntil > now) {
      throw new UnauthorizedError('account locked out', lockedOut(Math.ceil((failure.lockedUntil - now) / 60_000)));
    }
    const resolved = this.#resolve();
    if (this.#storeError && resolved.source === 'none') throw this.#storeError;
    const account = resolved.accounts.find((candidate) => candidate.id === accountId);
    // An unknown account costs the same scrypt as a known one, and every refusal reads the same.
    const hash = !account || account.passwordHash === DEMO_HASH ? await this.#demoPasswordHash() : account.passwordHash;
    const matches = await verifyPassword(password, hash);
    if (!account || !matches || account.disabled || (role !== undefined && account.role !== role)) {
      const count = (failure && failure.lockedUntil === 0 ? failure.count : 0) + 1;
      const locked = count >= MAX_FAILURES;
      failures.set(accountId, { count: locked ? 0 : count, lockedUntil: locked ? now + LOCKOUT_MS : 0, lastAt: now });
      await this.#saveFailures(failures, now);
      throw new UnauthorizedError(account ? 'staff credential rejected' : 'staff credential rejected (no such account)', rejected);
    }
    if (failures.delete(accountId)) await this.#saveFailures(failures, now);
    return account;
  }

  #now(): number {
    return (this.deps.now ?? Date.now)();
  }

  #failuresFile(): string | undefined {
    return this.deps.dataDir === undefined ? undefined : path.join(this.deps.dataDir, STAFF_FAILURES_FILE);
  }

  #loadFailures(): Promise<Map<string, Failure>> {
    this.#failures ??= (async () => {
      const file = this.#failuresFile();
      const text = file === undefined ? undefined : await readTextIfExists(file).catch(() => undefined);
      if (text === undefined) return new Map<string, Failure>();
      const parsed = FailuresFile.safeParse(safeJson(text));
      if (!parsed.success) {
        this.deps.logger?.warn('sign-in failures file unreadable; starting empty');
        return new Map<string, Failure>();
      }
      return new Map(Object.entries(parsed.data.failures));
    })();
    return this.#failures;
  }

  async #saveFailures(failures: Map<string, Failure>, now: number): Promise<void> {
    for (const [id, failure] of failures) if (failure.lockedUntil !== 0 && failure.lockedUntil <= now) failures.delete(id);
    if (failures.size > MAX_FAILURE_RECORDS) {
      const oldest = [...failures].sort((a, b) => a[1].lastAt - b[1].lastAt).slice(0, failures.size - MAX_FAILURE_RECORDS);
      for (const [id] of oldest) failures.delete(id);
    }
    const file = this.#failuresFile();
    if (file !== undefined) await writeJsonAtomic(file, { version: 1, failures: Object.fromEntries(failures) });
  }

  #demoPasswordHash(): Promise<string> {
    this.#demoHash ??= hashPassword(DEMO_PASSWORD);
    return this.#demoHash;
  }
}
