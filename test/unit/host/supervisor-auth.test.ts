import { describe, expect, it } from 'vitest';
import { SupervisorApproval } from '../../../core/contract/supervisor.js';
import { parseStationConfig } from '../../../host/config/station-config.js';
import { SupervisorAuth, hashPin, verifyPin } from '../../../host/services/supervisor-auth.js';

const request = { supervisorId: 'wang', pin: '246810', action: 'roster-stale', reason: '网络故障无法更新名单' } as const;

describe('SupervisorAuth', () => {
  it('hashes PINs with a fresh salt, verifies the right PIN and nothing else; the config accepts the hash', async () => {
    const hash = await hashPin('246810');
    expect(hash).not.toContain('246810');
    expect(await hashPin('246810')).not.toBe(hash);
    expect(await verifyPin('246810', hash)).toBe(true);
    expect(await verifyPin('246811', hash)).toBe(false);
    expect(await verifyPin('246810', 'scrypt$garbage')).toBe(false);
    const config = parseStationConfig({ supervisors: [{ id: 'wang', name: '王主管', pinHash: hash }] }, 'test');
    expect(config.supervisors[0]?.pinHash).toBe(hash);
    expect(() => parseStationConfig({ supervisors: [{ id: 'wang', name: '王主管', pinHash: '246810' }] }, 'test')).toThrow();
  });

  it('issues an approval with its own id for the right PIN and refuses a wrong one or an unknown supervisor', async () => {
    const auth = new SupervisorAuth({ accounts: [{ id: 'wang', name: '王主管', pinHash: await hashPin('246810') }], demoAllowed: () => true });
    expect(auth.list()).toEqual([{ id: 'wang', name: '王主管' }]);
    const approval = SupervisorApproval.parse(await auth.authorize(request));
    expect(approval).toMatchObject({ supervisorId: 'wang', supervisorName: '王主管', action: 'roster-stale', reason: request.reason });
    expect((await auth.authorize(request)).approvalId).not.toBe(approval.approvalId);
    await expect(auth.authorize({ ...request, pin: '000000' })).rejects.toMatchObject({ code: 'UNAUTHORIZED', userMessage: '主管或授权密码不正确。' });
    await expect(auth.authorize({ ...request, supervisorId: 'li' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    // Configured supervisors replace the demo account even with simulators on.
    await expect(auth.authorize({ ...request, supervisorId: 'demo', pin: '123456' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('locks an account for five minutes after five wrong PINs, even against the right one', async () => {
    let now = Date.parse('2026-11-23T08:00:00Z');
    const auth = new SupervisorAuth({ accounts: [{ id: 'wang', name: '王主管', pinHash: await hashPin('246810') }], demoAllowed: () => false, now: () => now });
    for (let i = 0; i < 5; i++) await expect(auth.authorize({ ...request, pin: `00000${i}` })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(auth.authorize(request)).rejects.toMatchObject({ userMessage: expect.stringContaining('已锁定') });
    now += 5 * 60_000 + 1;
    await expect(auth.authorize(request)).resolves.toMatchObject({ supervisorId: 'wang' });
  });

  it('offers the demo supervisor only while simulators alone are in use and none are configured', async () => {
    let simulators = true;
    const auth = new SupervisorAuth({ accounts: [], demoAllowed: () => simulators });
    expect(auth.list()).toEqual([{ id: 'demo', name: '演示主管' }]);
    await expect(auth.authorize({ ...request, supervisorId: 'demo', pin: '123456' })).resolves.toMatchObject({ supervisorId: 'demo' });
    simulators = false;
    expect(auth.list()).toEqual([]);
    await expect(auth.authorize({ ...request, supervisorId: 'demo', pin: '123456' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
