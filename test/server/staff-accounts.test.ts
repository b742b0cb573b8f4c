import { expect, it } from 'vitest';
import { StaffAccountListReply, StaffAccountSummary, StaffAccountsReply } from '../../core/contract/central-api.js';
import { verifyPassword } from '../../core/crypto/password-hash.js';
import { runAdminCommand } from '../../server/admin/commands.js';
import { describeEachDatabase } from './support/databases.js';
import { START_MS, adminRequest, createPoint, enrollStation, expectApiError, json, signedRequest, startServer } from './support/harness.js';

const POINT = 'ZZ-JS-01';
const OTHER = 'ZZ-EQ-02';
const STAFF_URL = '/api/v1/station/staff-accounts';

describeEachDatabase('staff accounts', (handle) => {
  it('are provisioned through the admin API with the password stored only as an scrypt hash', async () => {
    const { app } = startServer(handle.db);
    await createPoint(app, POINT);
    const created = await adminRequest(app, 'POST', `/api/v1/admin/points/${POINT}/staff`, { id: 'wang', name: '王主管', role: 'supervisor', password: 'Zhu-guan-2026' });
    expect(created.statusCode, created.body).toBe(201);
    const summary = StaffAccountSummary.parse(json(created));
    expect(summary).toMatchObject({ pointCode: POINT, id: 'wang', name: '王主管', role: 'supervisor', disabled: false });
    expect(created.body).not.toContain('Zhu-guan-2026');
    expect(created.body).not.toContain('scrypt');

    const { rows } = await handle.db.query('SELECT password_hash FROM staff_accounts WHERE point_code = $1 AND id = $2', [POINT, 'wang']);
    const hash = String(rows[0]?.['password_hash']);
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(hash).not.toContain('Zhu-guan-2026');
    expect(await verifyPassword('Zhu-guan-2026', hash)).toBe(true);

    // Same id again on the point: refused; too short a password: refused; unknown point: 404.
    expectApiError(await adminRequest(app, 'POST', `/api/v1/admin/points/${POINT}/staff`, { id: 'wang', name: '王二', role: 'operator', password: 'another-pass' }), 409, 'INVALID_STATE');
    expectApiError(await adminRequest(app, 'POST', `/api/v1/admin/points/${POINT}/staff`, { id: 'li', name: '李操作员', role: 'operator', password: '12345' }), 400, 'VALIDATION');
    expectApiError(await adminRequest(app, 'POST', `/api/v1/admin/points/${OTHER}/staff`, { id: 'li', name: '李操作员', role: 'operator', password: '123456' }), 404, 'NOT_FOUND');

    // Reset the password and disable: the hash changes, the old password no longer matches.
    const reset = await adminRequest(app, 'POST', `/api/v1/admin/points/${POINT}/staff/wang/password`, { password: 'new-password-1' });
    expect(reset.statusCode, reset.body).toBe(200);
    const after = await handle.db.query('SELECT password_hash FROM staff_accounts WHERE id = $1', ['wang']);
    expect(await verifyPassword('Zhu-guan-2026', String(after.rows[0]?.['password_hash']))).toBe(false);
    expect(await verifyPassword('new-password-1', String(after.rows[0]?.['password_hash']))).toBe(true);
    const disabled = await adminRequest(app, 'POST', `/api/v1/admin/points/${POINT}/staff/wang/disabled`, { disabled: true });
    expect(StaffAccountSummary.parse(json(disabled)).disabled).toBe(true);
    expectApiError(await adminRequest(app, 'POST', `/api/v1/admin/points/${POINT}/staff/zhao/disabled`, { disabled: true }), 404, 'NOT_FOUND');

    const list = StaffAccountListReply.parse(json(await adminRequest(app, 'GET', `/api/v1/admin/points/${POINT}/staff`)));
    expect(list.accounts.map((a) => [a.id, a.disabled])).toEqual([['wang', true]]);

    // Without the admin token nothing is provisioned.
    const anonymous = await app.inject({ method: 'POST', url: `/api/v1/admin/points/${POINT}/staff`, payload: { id: 'li', name: '李', role: 'operator', password: '123456' } });
    expectApiError(anonymous, 401, 'UNAUTHORIZED');
  });

  it("are served to a station of the point only, hashes only, disabled ones flagged; never another point's", async () => {
    const server = startServer(handle.db);
    await createPoint(server.app, POINT);
    await createPoint(server.app, OTHER);
    for (const [point, id, role] of [
      [POINT, 'wang', 'supervisor'],
      [POINT, 'li', 'operator'],
      [OTHER, 'zhao', 'operator'],
    ] as const) {
      const response = await adminRequest(server.app, 'POST', `/api/v1/admin/points/${point}/staff`, { id, name: `${id}姓名`, role, password: `${id}-secret-pass` });
      expect(response.statusCode, response.body).toBe(201);
    }
    await adminRequest(server.app, 'POST', `/api/v1/admin/points/${POINT}/staff/li/disabled`, { disabled: true });
    const station = await enrollStation(server.app, POINT);

    const response = await signedRequest(server, station, { method: 'GET', url: STAFF_URL });
    expect(response.statusCode, response.body).toBe(200);
    const reply = StaffAccountsReply.parse(json(response));
    expect(reply.pointCode).toBe(POINT);
    expect(reply.accounts.map((a) => [a.id, a.role, a.disabled])).toEqual([
      ['li', 'operator', true],
      ['wang', 'supervisor', false],
    ]);
    expect(response.body).not.toContain('zhao');
    expect(response.body).not.toContain('secret-pass');
    expect(await verifyPassword('wang-secret-pass', reply.accounts[1]!.passwordHash)).toBe(true);

    // Unsigned, or signed by another key: refused.
    expectApiError(await server.app.inject({ method: 'GET', url: STAFF_URL }), 401, 'UNAUTHORIZED');
    const other = await enrollStation(server.app, OTHER);
    expectApiError(await signedRequest(server, station, { method: 'GET', url: STAFF_URL, signWith: other.privateKey }), 401, 'BAD_SIGNATURE');
    const theirs = StaffAccountsReply.parse(json(await signedRequest(server, other, { method: 'GET', url: STAFF_URL })));
    expect(theirs.accounts.map((a) => a.id)).toEqual(['zhao']);
  });

  it('are managed by the admin CLI in-process, the password read from stdin and never from argv', async () => {
    const { app } = startServer(handle.db);
    await createPoint(app, POINT);
    const lines: string[] = [];
    let stdin = 'cli-password-1';
    let asked = 0;
    const cli = (argv: string[]) =>
      runAdminCommand(argv, {
        db: handle.db,
        now: () => new Date(START_MS),
        out: (line) => lines.push(line),
        readPassword: async () => {
          asked += 1;
          return stdin;
        },
      });

    expect(await cli(['add-staff', 'zhou', '周操作员', '--role', 'operator', '--point', POINT, '--password-stdin'])).toBe(0);
    expect(await cli(['add-staff', 'wu', '吴主管', '--role', 'supervisor', '--point', POINT])).toBe(0);
    expect(asked).toBe(2);
    // A bad role is refused before the password is asked for; a short password is refused.
    expect(await cli(['add-staff', 'qian', '钱', '--role', 'admin', '--point', POINT])).toBe(1);
    expect(asked).toBe(2);
    stdin = '123';
    expect(await cli(['add-staff', 'qian', '钱', '--role', 'operator', '--point', POINT])).toBe(1);
    // There is no way to pass the password on the command line.
    expect(await cli(['add-staff', 'sun', '孙', '--role', 'operator', '--point', POINT, '--password', 'x123456'])).toBe(1);

    stdin = 'cli-password-2';
    expect(await cli(['set-staff-password', 'zhou', '--point', POINT])).toBe(0);
    expect(await cli(['disable-staff', 'wu', '--point', POINT])).toBe(0);
    expect(await cli(['set-staff-password', 'nobody', '--point', POINT])).toBe(1);

    lines.length = 0;
    expect(await cli(['list-staff', '--point', POINT])).toBe(0);
    expect(lines[0]).toContain('2');
    expect(lines.some((l) => l.includes('wu') && l.includes('已停用'))).toBe(true);
    expect(lines.some((l) => l.includes('zhou') && l.includes('操作员') && !l.includes('已停用'))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/scrypt|cli-password/);

    const { rows } = await handle.db.query('SELECT id, password_hash, disabled FROM staff_accounts ORDER BY id');
    expect(rows.map((r) => r['id'])).toEqual(['wu', 'zhou']);
    expect(await verifyPassword('cli-password-2', String(rows[1]?.['password_hash']))).toBe(true);
    expect(rows[0]?.['disabled']).toBe(true);
  });
});
