import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StaffSession } from '../../../core/contract/station-api.js';
import type { StaffAccount } from '../../../core/contract/staff.js';
import { hashPassword } from '../../../core/crypto/password-hash.js';
import { STAFF_ACCOUNTS_FILE, StaffAccountsStore } from '../../../host/services/staff-accounts-store.js';
import { LOCKOUT_MS, STAFF_FAILURES_FILE, StaffAuth, type ConfigSupervisor } from '../../../host/services/staff-auth.js';

const REJECTED = '账号或密码不正确。';
const POINT = 'ZZ-JS-01';
const cost = 1024;

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'staff-auth-'));
  dirs.push(dir);
  return dir;
}

let accounts: StaffAccount[];
let configSupervisors: ConfigSupervisor[];
beforeAll(async () => {
  accounts = [
    { id: 'li', name: '李操作员', role: 'operator', passwordHash: await hashPassword('li-password', { cost }), disabled: false },
    { id: 'wang', name: '王主管', role: 'supervisor', passwordHash: await hashPassword('wang-password', { cost }), disabled: false },
    { id: 'zhao', name: '赵操作员', role: 'operator', passwordHash: await hashPassword('zhao-password', { cost }), disabled: true },
  ];
  configSupervisors = [{ id: 'chen', name: '陈主管', pinHash: await hashPassword('246810', { cost }) }];
});

interface Options {
  dataDir?: string;
  config?: ConfigSupervisor[];
  simulators?: () => boolean;
  now?: () => number;
}

/** A StaffAuth as the host builds one: the store and the failures in the data folder. */
async function open(options: Options = {}): Promise<StaffAuth> {
  const auth = new StaffAuth({
    store: options.dataDir === undefined ? undefined : new StaffAccountsStore(options.dataDir),
    dataDir: options.dataDir,
    configSupervisors: options.config ?? [],
    demoAllowed: options.simulators ?? (() => false),
    idleLockMinutes: 7,
    ...(options.now ? { now: options.now } : {}),
  });
  await auth.ready();
  return auth;
}

async function withDownloaded(options: Options = {}): Promise<StaffAuth> {
  const auth = await open(options);
  await auth.replaceAccounts(POINT, accounts);
  return auth;
}

describe('StaffAuth sign-in', () => {
  it('signs in with the right password and refuses a wrong one, an unknown account and a disabled one alike', async () => {
    const auth = await withDownloaded();
    const session = StaffSession.parse(await auth.signIn('li', 'li-password'));
    expect(session.actor).toEqual({ accountId: 'li', name: '李操作员', role: 'operator' });
    expect(session.idleLockMinutes).toBe(7);
    expect(auth.current()).toEqual(session);

    for (const [id, password] of [
      ['li', 'wrong-password'],
      ['nobody', 'li-password'],
      ['zhao', 'zhao-password'],
    ] as const) {
      await expect(auth.signIn(id, password)).rejects.toMatchObject({ code: 'UNAUTHORIZED', userMessage: REJECTED });
    }
    // A failed try leaves the signed-in person as they were.
    expect(auth.current()?.actor.accountId).toBe('li');
    // The disabled account is not offered either; the list never carries a hash.
    expect(auth.accounts()).toEqual({
      source: 'central',
      accounts: [
        { id: 'li', name: '李操作员', role: 'operator' },
        { id: 'wang', name: '王主管', role: 'supervisor' },
      ],
    });
    expect(JSON.stringify(auth.accounts())).not.toContain('scrypt');
  });

  it('switches operators by the next sign-in alone, and ends the session on sign-out or idle lock', async () => {
    const auth = await withDownloaded();
    await auth.signIn('li', 'li-password');
    await auth.signIn('wang', 'wang-password');
    expect(auth.current()?.actor).toEqual({ accountId: 'wang', name: '王主管', role: 'supervisor' });
    expect(auth.signOut()).toMatchObject({ accountId: 'wang' });
    expect(auth.current()).toBeUndefined();
    expect(auth.signOut()).toBeUndefined();
  });

  it('checks roles: no session is refused, an operator is refused what needs a supervisor, a supervisor may do both', async () => {
    const auth = await withDownloaded();
    expect(() => auth.require('operator')).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED', userMessage: '请先登录。' }));
    await auth.signIn('li', 'li-password');
    expect(auth.require('operator')).toMatchObject({ accountId: 'li', role: 'operator' });
    expect(() => auth.require('supervisor')).toThrow(expect.objectContaining({ code: 'ACCESS_DENIED', userMessage: '此操作需要主管登录。' }));
    // An operator's own password approves nothing either.
    await expect(auth.authorize({ supervisorId: 'li', pin: 'li-password', action: 'identity-override', reason: '照片年代久远' })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await auth.signIn('wang', 'wang-password');
    expect(auth.require('supervisor')).toMatchObject({ accountId: 'wang', role: 'supervisor' });
    expect(auth.require('operator')).toMatchObject({ accountId: 'wang' });
  });
});

describe('StaffAuth lockout', () => {
  it('locks an account for five minutes after five wrong tries, even against the right password, then lets it in', async () => {
    let now = Date.parse('2026-11-24T09:00:00+08:00');
    const auth = await withDownloaded({ now: () => now });
    for (let i = 0; i < 4; i++) await expect(auth.signIn('li', `wrong-${i}`)).rejects.toMatchObject({ userMessage: REJECTED });
    await expect(auth.signIn('li', 'wrong-4')).rejects.toMatchObject({ userMessage: REJECTED });
    await expect(auth.signIn('li', 'li-password')).rejects.toMatchObject({ code: 'UNAUTHORIZED', userMessage: expect.stringContaining('已锁定') });
    // Another account is not affected; approvals share the lock.
    await expect(auth.signIn('wang', 'wang-password')).resolves.toMatchObject({ actor: { accountId: 'wang' } });
    now += LOCKOUT_MS - 1000;
    await expect(auth.signIn('li', 'li-password')).rejects.toMatchObject({ userMessage: expect.stringContaining('1 分钟') });
    now += 1001;
    await expect(auth.signIn('li', 'li-password')).resolves.toMatchObject({ actor: { accountId: 'li' } });
  });

  it('counts wrong tries for unknown accounts too, so a lockout tells nothing about which ids exist', async () => {
    const auth = await withDownloaded();
    for (let i = 0; i < 5; i++) await expect(auth.signIn('ghost', `wrong-${i}`)).rejects.toMatchObject({ userMessage: REJECTED });
    await expect(auth.signIn('ghost', 'anything')).rejects.toMatchObject({ userMessage: expect.stringContaining('已锁定') });
  });

  it('keeps the wrong tries in the data folder: restarting the host does not lift a lockout', async () => {
    const dataDir = await tempDir();
    let now = Date.parse('2026-11-24T09:00:00+08:00');
    const first = await withDownloaded({ dataDir, now: () => now });
    for (let i = 0; i < 3; i++) await expect(first.signIn('li', `wrong-${i}`)).rejects.toMatchObject({ userMessage: REJECTED });

    // A restart after three wrong tries: two more lock it.
    const second = await open({ dataDir, now: () => now });
    for (let i = 0; i < 2; i++) await expect(second.signIn('li', `wrong-${i}`)).rejects.toMatchObject({ userMessage: REJECTED });
    const third = await open({ dataDir, now: () => now });
    await expect(third.signIn('li', 'li-password')).rejects.toMatchObject({ userMessage: expect.stringContaining('已锁定') });
    const file = await readFile(path.join(dataDir, STAFF_FAILURES_FILE), 'utf8');
    expect(file).not.toContain('wrong-');

    now += LOCKOUT_MS + 1;
    const fourth = await open({ dataDir, now: () => now });
    await expect(fourth.signIn('li', 'li-password')).resolves.toMatchObject({ actor: { accountId: 'li' } });
  });
});

describe('StaffAuth accounts', () => {
  it('signs in offline against the stored hashes after a restart (no server), hashes only on disk', async () => {
    const dataDir = await tempDir();
    await withDownloaded({ dataDir });
    const text = await readFile(path.join(dataDir, STAFF_ACCOUNTS_FILE), 'utf8');
    expect(text).not.toMatch(/li-password|wang-password/);
    expect(JSON.parse(text)).toMatchObject({ version: 1, pointCode: POINT, accounts: [{ id: 'li' }, { id: 'wang' }, { id: 'zhao', disabled: true }] });

    const restarted = await open({ dataDir, config: configSupervisors });
    expect(restarted.accounts().source).toBe('central');
    await expect(restarted.signIn('wang', 'wang-password')).resolves.toMatchObject({ actor: { role: 'supervisor' } });
    // Downloaded accounts replace the config's supervisors.
    await expect(restarted.signIn('chen', '246810')).rejects.toMatchObject({ userMessage: REJECTED });
  });

  it('replaces the whole list on each download: a removed account can no longer sign in and its session ends', async () => {
    const dataDir = await tempDir();
    const auth = await withDownloaded({ dataDir });
    await auth.signIn('li', 'li-password');
    await auth.replaceAccounts(POINT, accounts.filter((a) => a.id !== 'li'));
    expect(auth.current()).toBeUndefined();
    await expect(auth.signIn('li', 'li-password')).rejects.toMatchObject({ userMessage: REJECTED });
    const restarted = await open({ dataDir });
    await expect(restarted.signIn('li', 'li-password')).rejects.toMatchObject({ userMessage: REJECTED });
    expect(restarted.accounts().accounts.map((a) => a.id)).toEqual(['wang']);

    // A supervisor who is disabled on the server is signed out at the next download too.
    await restarted.signIn('wang', 'wang-password');
    await restarted.replaceAccounts(POINT, accounts.map((a) => (a.id === 'wang' ? { ...a, disabled: true } : a)));
    expect(restarted.current()).toBeUndefined();
  });

  it("falls back to the config's supervisors (role supervisor) while nothing is downloaded", async () => {
    const auth = await open({ dataDir: await tempDir(), config: configSupervisors, simulators: () => true });
    expect(auth.accounts()).toEqual({ source: 'config', accounts: [{ id: 'chen', name: '陈主管', role: 'supervisor' }] });
    expect(auth.demoOffered).toBe(false);
    await expect(auth.signIn('chen', '246810')).resolves.toMatchObject({ actor: { accountId: 'chen', role: 'supervisor' } });
    await expect(auth.signIn('demo', '123456')).rejects.toMatchObject({ userMessage: REJECTED });
    // An empty download keeps the fallback.
    await auth.replaceAccounts(POINT, []);
    expect(auth.accounts().source).toBe('config');
  });

  it('offers the demo operator and supervisor only with simulators and no accounts downloaded or configured', async () => {
    let simulators = true;
    const auth = await open({ simulators: () => simulators });
    expect(auth.accounts()).toEqual({
      source: 'demo',
      accounts: [
        { id: 'demo-op', name: '演示操作员', role: 'operator' },
        { id: 'demo', name: '演示主管', role: 'supervisor' },
      ],
    });
    expect(auth.demoOffered).toBe(true);
    await expect(auth.signIn('demo-op', '123456')).resolves.toMatchObject({ actor: { accountId: 'demo-op', role: 'operator' } });
    expect(() => auth.require('supervisor')).toThrow(expect.objectContaining({ code: 'ACCESS_DENIED' }));
    await expect(auth.signIn('demo', '123456')).resolves.toMatchObject({ actor: { accountId: 'demo', role: 'supervisor' } });

    simulators = false;
    expect(auth.accounts()).toEqual({ source: 'none', accounts: [] });
    await expect(auth.signIn('demo', '123456')).rejects.toMatchObject({ userMessage: REJECTED });

    simulators = true;
    await auth.replaceAccounts(POINT, accounts);
    expect(auth.demoOffered).toBe(false);
    await expect(auth.signIn('demo-op', '123456')).rejects.toMatchObject({ userMessage: REJECTED });
  });

  it('never turns a damaged accounts file into the demo accounts', async () => {
    const dataDir = await tempDir();
    await writeFile(path.join(dataDir, STAFF_ACCOUNTS_FILE), '{"version":1,"accounts":[{"id":"x","passwordHash":"plain"}]}');
    const auth = await open({ dataDir, simulators: () => true });
    expect(auth.accounts().source).toBe('none');
    await expect(auth.signIn('demo', '123456')).rejects.toMatchObject({ code: 'FILE_INVALID', userMessage: expect.stringContaining('已损坏') });
    // The next download repairs it.
    await auth.replaceAccounts(POINT, accounts);
    await expect(auth.signIn('wang', 'wang-password')).resolves.toMatchObject({ actor: { accountId: 'wang' } });
  });
});
