import { describe, expect, it } from 'vitest';
import { SupervisorApproval } from '../../../core/contract/supervisor.js';
import { hashPassword, verifyPassword } from '../../../core/crypto/password-hash.js';
import { parseStationConfig } from '../../../host/config/station-config.js';
import { StaffAuth, type ConfigSupervisor } from '../../../host/services/staff-auth.js';

/** Supervisor approvals at the desk (supervisor.authorize), now checked by the one StaffAuth. */
const request = { supervisorId: 'wang', pin: '246810', action: 'roster-stale', reason: '网络故障无法更新名单' } as const;
/** Low scrypt cost keeps the tests quick; verification reads the cost from the hash. */
const cost = 1024;

function auth(configSupervisors: ConfigSupervisor[], options: { demoAllowed?: () => boolean; now?: () => number } = {}): StaffAuth {
  return new StaffAuth({ configSupervisors, demoAllowed: options.demoAllowed ?? (() => false), idleLockMinutes: 10, ...(options.now ? { now: options.now } : {}) });
}

describe('supervisor approvals through StaffAuth', () => {
  it('hashes with a fresh salt, verifies the right PIN and nothing else; the config accepts the hash', async () => {
    const hash = await hashPassword('246810', { cost });
    expect(hash).not.toContain('246810');
    expect(await hashPassword('246810', { cost })).not.toBe(hash);
    expect(await verifyPassword('246810', hash)).toBe(true);
    expect(await verifyPassword('246811', hash)).toBe(false);
    expect(await verifyPassword('246810', 'scrypt$garbage')).toBe(false);
    // A hash made by Node's scrypt (the old supervisor-pin script) still verifies: same format, same function.
    const { scryptSync } = await import('node:crypto');
    const salt = Buffer.from('0123456789abcdef');
    const nodeHash = `scrypt$16384$8$1$${salt.toString('base64')}$${scryptSync('246810', salt, 32, { N: 16384, r: 8, p: 1 }).toString('base64')}`;
    expect(await verifyPassword('246810', nodeHash)).toBe(true);
    expect(await verifyPassword('246811', nodeHash)).toBe(false);
    const config = parseStationConfig({ supervisors: [{ id: 'wang', name: '王主管', pinHash: hash }] }, 'test');
    expect(config.supervisors[0]?.pinHash).toBe(hash);
    expect(() => parseStationConfig({ supervisors: [{ id: 'wang', name: '王主管', pinHash: '246810' }] }, 'test')).toThrow();
  });

  it('issues an approval with its own id for the right PIN and refuses a wrong one or an unknown supervisor', async () => {
    const staff = auth([{ id: 'wang', name: '王主管', pinHash: await hashPassword('246810', { cost }) }], { demoAllowed: () => true });
    expect(staff.supervisors()).toEqual({ supervisors: [{ id: 'wang', name: '王主管' }], demo: false });
    const approval = SupervisorApproval.parse(await staff.authorize(request));
    expect(approval).toMatchObject({ supervisorId: 'wang', supervisorName: '王主管', action: 'roster-stale', reason: request.reason });
    expect((await staff.authorize(request)).approvalId).not.toBe(approval.approvalId);
    await expect(staff.authorize({ ...request, pin: '000000' })).rejects.toMatchObject({ code: 'UNAUTHORIZED', userMessage: '主管或授权密码不正确。' });
    await expect(staff.authorize({ ...request, supervisorId: 'li' })).rejects.toMatchObject({ code: 'UNAUTHORIZED', userMessage: '主管或授权密码不正确。' });
    // Configured supervisors replace the demo accounts even with simulators on.
    await expect(staff.authorize({ ...request, supervisorId: 'demo', pin: '123456' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('locks an account for five minutes after five wrong PINs, even against the right one', async () => {
    let now = Date.parse('2026-11-23T08:00:00Z');
    const staff = auth([{ id: 'wang', name: '王主管', pinHash: await hashPassword('246810', { cost }) }], { now: () => now });
    for (let i = 0; i < 5; i++) await expect(staff.authorize({ ...request, pin: `00000${i}` })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(staff.authorize(request)).rejects.toMatchObject({ userMessage: expect.stringContaining('已锁定') });
    now += 5 * 60_000 + 1;
    await expect(staff.authorize(request)).resolves.toMatchObject({ supervisorId: 'wang' });
  });

  it('offers the demo supervisor only while simulators alone are in use and none are configured', async () => {
    let simulators = true;
    const staff = auth([], { demoAllowed: () => simulators });
    expect(staff.supervisors()).toEqual({ supervisors: [{ id: 'demo', name: '演示主管' }], demo: true });
    await expect(staff.authorize({ ...request, supervisorId: 'demo', pin: '123456' })).resolves.toMatchObject({ supervisorId: 'demo' });
    // The demo operator is no supervisor: the right password approves nothing.
    await expect(staff.authorize({ ...request, supervisorId: 'demo-op', pin: '123456' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    simulators = false;
    expect(staff.supervisors()).toEqual({ supervisors: [], demo: false });
    await expect(staff.authorize({ ...request, supervisorId: 'demo', pin: '123456' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
