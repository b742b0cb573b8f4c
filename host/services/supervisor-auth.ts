import { randomBytes, randomUUID, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { SupervisorApproval, SupervisorApprovalRequest } from '../../core/contract/supervisor.js';
import { UnauthorizedError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';

export interface SupervisorAccount {
  id: string;
  name: string;
  pinHash: string;
}

const scrypt = (pin: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCallback(pin, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))));

/** Cost that takes ~50 ms here: slow for guessing offline, unnoticeable for a supervisor at the desk. */
const N = 16384;
const R = 8;
const P = 1;

export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(pin, salt, 32, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPin(pin: string, pinHash: string): Promise<boolean> {
  const [kind, n, r, p, salt, key] = pinHash.split('$');
  if (kind !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(pin, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A demo account for stations running on simulators only; never offered when real hardware is in use. */
export const demoSupervisor = { id: 'demo', name: '演示主管', pin: '123456' } as const;

const MAX_FAILURES = 5;
const LOCKOUT_MS = 5 * 60_000;

/**
 * Checks a supervisor's PIN for one approval. Five wrong PINs lock that account for five minutes, so a
 * PIN cannot be guessed at the desk; every approval gets its own id for the confirmation and the audit log.
 */
export class SupervisorAuth {
  readonly #failures = new Map<string, { count: number; lockedUntil: number }>();
  #demoHash: Promise<string> | undefined;

  constructor(
    private readonly deps: {
      accounts: readonly SupervisorAccount[];
      /** Whether the demo supervisor may be used right now (simulators only, none configured). */
      demoAllowed: () => boolean;
      now?: () => number;
    },
  ) {}

  list(): { id: string; name: string }[] {
    return this.#accounts().map(({ id, name }) => ({ id, name }));
  }

  async authorize(request: SupervisorApprovalRequest): Promise<SupervisorApproval> {
    const now = (this.deps.now ?? Date.now)();
    const account = this.#accounts().find((candidate) => candidate.id === request.supervisorId);
    const failures = this.#failures.get(request.supervisorId);
    if (failures && failures.lockedUntil > now) {
      throw new UnauthorizedError('supervisor locked out', zhCN.supervisor.lockedOut(Math.ceil((failures.lockedUntil - now) / 60_000)));
    }
    const hash = account && (account.pinHash === 'demo' ? await this.#demoPinHash() : account.pinHash);
    if (!account || !hash || !(await verifyPin(request.pin, hash))) {
      const count = (failures?.count ?? 0) + 1;
      this.#failures.set(request.supervisorId, { count: count >= MAX_FAILURES ? 0 : count, lockedUntil: count >= MAX_FAILURES ? now + LOCKOUT_MS : 0 });
      throw new UnauthorizedError('supervisor credential rejected', zhCN.supervisor.rejected);
    }
    this.#failures.delete(request.supervisorId);
    return {
      approvalId: randomUUID(),
      supervisorId: account.id,
      supervisorName: account.name,
      action: request.action,
      reason: request.reason,
      at: new Date(now).toISOString(),
    };
  }

  #accounts(): SupervisorAccount[] {
    if (this.deps.accounts.length > 0) return [...this.deps.accounts];
    return this.deps.demoAllowed() ? [{ id: demoSupervisor.id, name: demoSupervisor.name, pinHash: 'demo' }] : [];
  }

  #demoPinHash(): Promise<string> {
    this.#demoHash ??= hashPin(demoSupervisor.pin);
    return this.#demoHash;
  }
}
