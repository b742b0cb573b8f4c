import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { EnrollReply, RulesKeyInfo } from '../../core/contract/central-api.js';
import { RulesBundle } from '../../core/rules/bundle.js';
import { openSignedRules } from '../../core/rules/signing.js';
import { PublishRulesReply, RULES_KEY_PATH, RULES_PATH, RulesReply } from '../../core/rules/wire.js';
import { runAdminCommand } from '../../server/admin/commands.js';
import { isKnownRulesVersion } from '../../server/services/rules-versions.js';
import { countRows, describeEachDatabase } from './support/databases.js';
import { START_MS, adminRequest, createPoint, enrollRequest, enrollStation, expectApiError, issueCode, json, newKeyPair, signedRequest, startServer } from './support/harness.js';

const POINT = 'NM-HHHT-01';
const OTHER = 'HN-CS-01';
const NM_FILE = 'server/sample-data/rules/nm-zsb-2027.json';
const HN_FILE = 'server/sample-data/rules/hn-zsb-2027.json';
const sample = (file: string): RulesBundle => RulesBundle.parse(JSON.parse(readFileSync(file, 'utf8')));
const rulesUrl = (point: string) => `/api/v1/admin/points/${point}/rules`;

describeEachDatabase('province rules', (handle) => {
  it('are published by the admin API, signed for the point and served to its stations only', async () => {
    const server = startServer(handle.db);
    await createPoint(server.app, POINT);
    await createPoint(server.app, OTHER);
    const station = await enrollStation(server.app, POINT);

    // Nothing published yet: the station keeps its built-in default.
    const none = RulesReply.parse(json(await signedRequest(server, station, { method: 'GET', url: RULES_PATH })));
    expect(none).toEqual({ pointCode: POINT, rules: null });

    const nm = sample(NM_FILE);
    const published = await adminRequest(server.app, 'POST', rulesUrl(POINT), nm);
    expect(published.statusCode, published.body).toBe(201);
    expect(PublishRulesReply.parse(json(published))).toMatchObject({ status: 'published', pointCode: POINT, version: 'NM-ZSB-2027.1' });

    const response = await signedRequest(server, station, { method: 'GET', url: RULES_PATH });
    expect(response.statusCode, response.body).toBe(200);
    const reply = RulesReply.parse(json(response));
    const key = RulesKeyInfo.parse(json(await signedRequest(server, station, { method: 'GET', url: RULES_KEY_PATH })));
    // What the station verifies: the key it got, the bundle as published (jsonb on the way did not change it).
    const opened = openSignedRules(reply.rules, key, POINT);
    expect(opened.bundle).toEqual(nm);
    // Signed for this point: the same envelope is refused by a station of another point.
    expect(() => openSignedRules(reply.rules, key, OTHER)).toThrow(expect.objectContaining({ reason: 'wrong-point' }));

    // Another point has its own bundle (or none).
    const other = await enrollStation(server.app, OTHER);
    expect(RulesReply.parse(json(await signedRequest(server, other, { method: 'GET', url: RULES_PATH }))).rules).toBeNull();
    // Unsigned: refused like every station route.
    expectApiError(await server.app.inject({ method: 'GET', url: RULES_PATH }), 401, 'UNAUTHORIZED');

    // A newer version becomes the point's current bundle.
    const hnLike = { ...sample(HN_FILE), version: 'NM-ZSB-2027.2' };
    expect((await adminRequest(server.app, 'POST', rulesUrl(POINT), hnLike)).statusCode).toBe(201);
    const next = RulesReply.parse(json(await signedRequest(server, station, { method: 'GET', url: RULES_PATH })));
    expect(openSignedRules(next.rules, key, POINT).bundle.version).toBe('NM-ZSB-2027.2');
  });

  it('gives the rules key at enrollment, the same one the key route gives', async () => {
    const server = startServer(handle.db);
    await createPoint(server.app, POINT);
    const keys = newKeyPair();
    const enrolled = await enrollRequest(server.app, { code: await issueCode(server.app, POINT), pointCode: POINT, stationName: '1号工位', publicKey: Buffer.from(keys.publicKeyRaw).toString('base64') });
    const reply = EnrollReply.parse(json(enrolled));
    expect(reply.rulesKey).toBeDefined();
    const station = { id: reply.stationId, pointCode: POINT, ...keys };
    expect(json(await signedRequest(server, station, { method: 'GET', url: RULES_KEY_PATH }))).toEqual(reply.rulesKey);
    expect(await countRows(handle.db, "SELECT count(*) FROM server_keys WHERE purpose = 'rules'")).toBe(1);
  });

  it('refuses a version already published with other content, bad bundles with reasons, and reserved versions', async () => {
    const server = startServer(handle.db);
    await createPoint(server.app, POINT);
    const nm = sample(NM_FILE);
    expect((await adminRequest(server.app, 'POST', rulesUrl(POINT), nm)).statusCode).toBe(201);

    // The same content again (a retried publish): unchanged, no second row.
    const again = await adminRequest(server.app, 'POST', rulesUrl(POINT), nm);
    expect(again.statusCode).toBe(200);
    expect(PublishRulesReply.parse(json(again)).status).toBe('unchanged');
    expect(await countRows(handle.db, 'SELECT count(*) FROM rules_bundles')).toBe(1);

    // The same version, one line of the pledge changed: refused, the published one stays.
    const changed = { ...nm, pledge: { ...nm.pledge, minReadSeconds: 3 } };
    const conflict = expectApiError(await adminRequest(server.app, 'POST', rulesUrl(POINT), changed), 409, 'INVALID_STATE');
    expect(conflict.message).toContain('新的版本号');
    expect(await countRows(handle.db, 'SELECT count(*) FROM rules_bundles')).toBe(1);

    // A type without a required paper, two types with one id: refused, naming where.
    const broken = {
      ...nm,
      version: 'NM-ZSB-2027.9',
      candidateTypes: [
        { ...nm.candidateTypes[0]!, materials: nm.candidateTypes[0]!.materials.map((m) => ({ ...m, required: false })) },
        nm.candidateTypes[1]!,
        { ...nm.candidateTypes[2]!, id: nm.candidateTypes[1]!.id },
      ],
    };
    const invalid = expectApiError(await adminRequest(server.app, 'POST', rulesUrl(POINT), broken), 400, 'VALIDATION');
    expect(invalid.detail).toContain('has no required material');
    expect(invalid.detail).toContain('appears twice');

    expectApiError(await adminRequest(server.app, 'POST', rulesUrl(POINT), { ...nm, version: 'builtin-2' }), 400, 'VALIDATION');
    expectApiError(await adminRequest(server.app, 'POST', rulesUrl('XX-NONE'), nm), 404, 'NOT_FOUND');
    expect(await countRows(handle.db, 'SELECT count(*) FROM rules_bundles')).toBe(1);
  });

  it('knows the built-in version and the versions published for a point, and no others', async () => {
    const server = startServer(handle.db);
    await createPoint(server.app, POINT);
    await createPoint(server.app, OTHER);
    await adminRequest(server.app, 'POST', rulesUrl(POINT), sample(NM_FILE));
    await adminRequest(server.app, 'POST', rulesUrl(POINT), { ...sample(NM_FILE), version: 'NM-ZSB-2027.2' });

    expect(await isKnownRulesVersion(handle.db, POINT, 'builtin-1')).toBe(true);
    expect(await isKnownRulesVersion(handle.db, OTHER, 'builtin-1')).toBe(true);
    // Earlier versions stay known: records made offline under them arrive later.
    expect(await isKnownRulesVersion(handle.db, POINT, 'NM-ZSB-2027.1')).toBe(true);
    expect(await isKnownRulesVersion(handle.db, POINT, 'NM-ZSB-2027.2')).toBe(true);
    expect(await isKnownRulesVersion(handle.db, OTHER, 'NM-ZSB-2027.1')).toBe(false);
    expect(await isKnownRulesVersion(handle.db, POINT, 'NM-ZSB-2027.3')).toBe(false);
    expect(await isKnownRulesVersion(handle.db, POINT, 'builtin-2')).toBe(false);
    // Inside a transaction too (the upload path checks it there).
    expect(await handle.db.transaction((tx) => isKnownRulesVersion(tx, POINT, 'NM-ZSB-2027.1'))).toBe(true);
  });

  it('are published from a sample file by the admin CLI', async () => {
    const { app } = startServer(handle.db);
    await createPoint(app, OTHER);
    const lines: string[] = [];
    const cli = (argv: string[]) => runAdminCommand(argv, { db: handle.db, now: () => new Date(START_MS), out: (line) => lines.push(line) });

    expect(await cli(['publish-rules', '--point', OTHER, '--file', HN_FILE])).toBe(0);
    expect(lines.at(-1)).toMatch(/^已发布省级配置 published rules HN-ZSB-2027\.1 for HN-CS-01/);
    expect(await cli(['publish-rules', '--point', OTHER, '--file', HN_FILE])).toBe(0);
    expect(lines.at(-1)).toContain('已发布过，内容相同');
    expect(await isKnownRulesVersion(handle.db, OTHER, 'HN-ZSB-2027.1')).toBe(true);

    // The Inner Mongolia sample under the Hunan version number: refused as a conflict.
    const conflicting = `${process.env['TMPDIR'] ?? '/tmp'}/rules-conflict-${process.pid}.json`;
    const { writeFileSync, rmSync } = await import('node:fs');
    writeFileSync(conflicting, JSON.stringify({ ...sample(NM_FILE), version: 'HN-ZSB-2027.1' }));
    try {
      expect(await cli(['publish-rules', '--point', OTHER, '--file', conflicting])).toBe(1);
      expect(lines.at(-1)).toContain('(version-conflict)');
      // A file that is not a bundle: refused with the failed checks listed.
      writeFileSync(conflicting, JSON.stringify({ format: 1, version: 'X' }));
      expect(await cli(['publish-rules', '--point', OTHER, '--file', conflicting])).toBe(1);
      expect(lines.some((line) => line.includes('(content-invalid)'))).toBe(true);
      expect(await cli(['publish-rules', '--point', OTHER, '--file', `${conflicting}.missing`])).toBe(1);
    } finally {
      rmSync(conflicting, { force: true });
    }
    expect(await countRows(handle.db, 'SELECT count(*) FROM rules_bundles')).toBe(1);
  });
});
