import 'fake-indexeddb/auto';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfirmationContent } from '../../../core/contract/confirmation.js';
import type { SupervisorApproval } from '../../../core/contract/supervisor.js';
import { materialsByType } from '../../../core/eligibility/materials.js';
import { ConfirmationRepository } from '../../../renderer/confirmations/confirmation-repository.js';
import { StationDb } from '../../../renderer/db/station-db.js';
import { deskCheckIn } from './desk-check-in.js';
import type { Collector } from '../../../renderer/staff/stores/collector.js';

/** These collectors keep nothing for resume (desk-draft tests cover that). */
const noDraft = { draft: () => undefined, restore: () => false, subscribe: () => () => undefined } satisfies Pick<Collector, 'draft' | 'restore' | 'subscribe'>;
import { createConfirmationStore } from '../../../renderer/staff/stores/confirmation-store.js';
import { createEligibilityStore } from '../../../renderer/staff/stores/eligibility-store.js';
import { BUILTIN_RULES } from '../../../core/rules/builtin.js';
import { LIN, sampleRoster } from '../../support/sample-roster.js';
import { testDataKey } from './data-key.js';

const dbs: StationDb[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

const approval = (action: SupervisorApproval['action']): SupervisorApproval => ({
  approvalId: '123e4567-e89b-42d3-a456-426614174009',
  supervisorId: 'demo',
  supervisorName: '演示主管',
  action,
  reason: '网络故障无法更新名单',
  at: '2026-11-23T08:00:00.000+08:00',
});

const operator = { accountId: 'op-01', name: '张敏', role: 'operator' } as const;

function setup(
  options: { collectors?: Collector[]; override?: SupervisorApproval; askApproval?: SupervisorApproval | undefined; signFails?: boolean; faceCheckRequired?: boolean } = {},
) {
  const db = new StationDb(`confirmation-store-${Math.random().toString(36).slice(2)}`, { dataKey: testDataKey });
  dbs.push(db);
  const { checkIn, shown } = deskCheckIn();
  let woken = 0;
  const eligibility = createEligibilityStore({ checkIn, bundle: () => BUILTIN_RULES, today: () => '2026-11-23', takePhoto: async () => new Uint8Array([0xff, 0xd8, 0xff, 9]) });
  const store = createConfirmationStore({
    checkIn,
    eligibility,
    repository: new ConfirmationRepository(db),
    rosterOverride: () => options.override,
    onSaved: () => woken++,
    askApproval: async () => options.askApproval,
    faceCheckRequired: () => options.faceCheckRequired ?? false,
    signReceipt: async (record) => {
      if (options.signFails) throw new Error('not enrolled');
      return { qr: `XCQR1.${record.id}.sig` };
    },
    qrImage: async (text) => `data:image/svg+xml;base64,${btoa(text)}`,
    actor: () => operator,
    ...(options.collectors ? { collectors: options.collectors } : {}),
    now: () => new Date('2026-11-23T02:00:00.000Z'),
  });
  return { db, checkIn, store, eligibility, shown, woken: () => woken };
}

async function identifyLin(checkIn: ReturnType<typeof setup>['checkIn']) {
  checkIn.getState().setInput(LIN);
  await checkIn.getState().submit();
  expect(checkIn.getState().flow.step).toBe('verify-identity');
}

const strokes = [Array.from({ length: 20 }, (_, i) => ({ x: i / 20, y: 0.5, t: i * 10 }))];

async function signAtKiosk(checkIn: ReturnType<typeof setup>['checkIn']) {
  const flow = checkIn.getState().flow;
  if (flow.step === 'identify') throw new Error('no session');
  checkIn.getState().receiveKioskResponse({ kind: 'signature', sessionId: flow.sessionId, strokes });
}

describe('confirmation store: from identification to a saved record', () => {
  it('有误: the report and the staff correction (old and new value, source manual) reach the record; the kiosk shows the data again', async () => {
    const { db, checkIn, store, eligibility, shown } = setup();
    await identifyLin(checkIn);
    const flow = checkIn.getState().flow;
    if (flow.step === 'identify') throw new Error('no session');
    const sessionId = flow.sessionId;
    const report = { kind: 'report-error' as const, sessionId, fields: ['major' as const, 'registrationNo' as const], note: '专业应为软件工程' };
    checkIn.getState().receiveKioskResponse(report);
    checkIn.getState().receiveKioskResponse(report); // a replay is not a second report
    expect(checkIn.getState().flow).toMatchObject({ reports: [{ fields: ['major', 'registrationNo'], note: '专业应为软件工程' }] });

    // Only reported, correctable fields; the value must pass the roster's own rule and differ.
    await checkIn.getState().correctField('name', '林小雨');
    expect(checkIn.getState().correction).toMatchObject({ status: 'failed' });
    await checkIn.getState().correctField('major', '   ');
    expect(checkIn.getState().correction).toEqual({ status: 'failed', message: zhCN.correction.invalid });
    const before = shown.length;
    const oldMajor = sampleRoster.entries.find((e) => e.citizenId === LIN)!.major;
    await checkIn.getState().correctField('major', ' 软件工程 ');
    expect(checkIn.getState().correction).toEqual({ status: 'resent' });
    expect(checkIn.getState().kioskResponse).toBeUndefined();
    expect(shown.length).toBe(before + 1);
    expect(shown.at(-1)).toMatchObject({ kind: 'verify-info', sessionId, candidate: { major: '软件工程' } });

    checkIn.getState().receiveKioskResponse({ kind: 'confirm', sessionId });
    await store.getState().identityPassed();
    const type = sampleRoster.entries.find((e) => e.citizenId === LIN)!.candidateType;
    for (const id of materialsByType[type]) eligibility.getState().setStatus(id, 'verified');
    await store.getState().eligibilityPassed();
    await signAtKiosk(checkIn);
    await store.getState().saveConfirmed();
    const [record] = await new ConfirmationRepository(db).all();
    expect(record!.content.candidateReports).toEqual([{ fields: ['major', 'registrationNo'], note: '专业应为软件工程', at: expect.any(String) }]);
    expect(record!.content.corrections).toEqual([{ field: 'major', from: oldMajor, to: '软件工程', source: 'manual', at: expect.any(String) }]);
    expect(record!.content.identification.fieldSources).toMatchObject({ major: 'manual' });
    expect(ConfirmationContent.parse(record!.content)).toEqual(record!.content);
  });

  it('confirmed: identity, papers, pledge at the kiosk, signature → one saved record with the signature blob and a signed receipt', async () => {
    const { db, checkIn, store, eligibility, shown, woken } = setup({ override: approval('roster-stale') });
    await identifyLin(checkIn);
    await store.getState().identityPassed();
    // No collectors: 信息采集 has nothing to do and is passed by.
    expect(checkIn.getState().flow.step).toBe('eligibility');
    const type = sampleRoster.entries.find((e) => e.citizenId === LIN)!.candidateType;
    await store.getState().eligibilityPassed();
    expect(checkIn.getState().flow.step).toBe('eligibility');
    for (const id of materialsByType[type]) eligibility.getState().setStatus(id, 'verified');
    await store.getState().eligibilityPassed();
    expect(checkIn.getState().flow.step).toBe('candidate-confirm');
    expect(shown.at(-1)?.kind).toBe('pledge');

    // Saving before the signature does nothing.
    await store.getState().saveConfirmed();
    expect(await db.sealedConfirmations.count()).toBe(0);
    await signAtKiosk(checkIn);
    expect(store.getState().signature).toEqual(strokes);
    await store.getState().saveConfirmed();

    expect(checkIn.getState().flow).toMatchObject({ step: 'done', outcome: 'confirmed' });
    expect(shown.at(-1)).toMatchObject({ kind: 'done', outcome: 'confirmed' });
    expect(woken()).toBe(1);
    const [record] = await new ConfirmationRepository(db).all();
    expect(record!.content).toMatchObject({
      candidate: { citizenId: LIN },
      identityCheck: { method: 'visual', result: 'pass' },
      outcome: 'confirmed',
      pledge: { pledgeVersion: '2026-1' },
      approvals: [{ action: 'roster-stale', supervisorName: '演示主管' }],
      actor: operator,
      eligibility: {
        candidateType: type,
        rulesType: type,
        items: materialsByType[type].map((id) => ({ id, label: zhCN.materials.items[id], result: 'pass', status: 'verified' })),
        decision: { kind: 'pass' },
      },
    });
    expect(record!.content.blobs).toEqual([{ role: 'signature', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    const svg = new TextDecoder().decode((await db.vault.get(record!.content.blobs[0]!.sha256))!.bytes);
    expect(svg).toMatch(/^<svg [^>]*><g [^>]*><path d="M0\.0 150\.0L45\.0 150\.0/);
    expect(await db.outbox.count()).toBe(1);
    await expect.poll(() => store.getState().saved?.receipt?.qr).toBe(`XCQR1.${record!.id}.sig`);
    expect(store.getState().saved).toMatchObject({ outcome: 'confirmed', citizenIdMasked: '410105********0223' });
  });

  it('rejected at 身份核验 or 资格审核: saved with the reasons and no collected data; a failed receipt signing is shown, not fatal', async () => {
    const photo: Collector = {
      ...noDraft,
    name: 'standard-photo',
      ready: () => true,
      contribution: () => ({ blobs: [{ role: 'standard-photo', mime: 'image/jpeg', bytes: new Uint8Array([0xff, 0xd8, 1]) }], content: {}, approvals: [] }),
      reset: () => undefined,
    };
    const { db, checkIn, store, eligibility } = setup({ collectors: [photo], signFails: true });
    await identifyLin(checkIn);
    await store.getState().identityFailed();
    expect(checkIn.getState().flow).toMatchObject({ step: 'done', outcome: 'rejected' });
    const [first] = await new ConfirmationRepository(db).all();
    expect(first!.content).toMatchObject({ outcome: 'rejected', reasons: ['人证不符'], identityCheck: { result: 'fail' }, blobs: [] });
    await expect.poll(() => store.getState().saved?.receiptError).toBeTruthy();

    await checkIn.getState().reset();
    expect(store.getState().saved).toBeUndefined();
    await identifyLin(checkIn);
    await store.getState().identityPassed();
    expect(checkIn.getState().flow.step).toBe('collect');
    await store.getState().collectDone();
    eligibility.getState().setStatus('id-card', 'verified');
    eligibility.getState().setStatus('xuexin-report', 'mismatch');
    // Nothing is saved until a decision is prepared and saveable.
    await store.getState().eligibilityFailed();
    expect(await db.sealedConfirmations.count()).toBe(1);
    eligibility.getState().chooseDecision('reject');
    expect(eligibility.getState().reasons).toEqual(['paper-mismatch']);
    await eligibility.getState().takePhoto('xuexin-report');
    await store.getState().eligibilityFailed();
    const second = (await new ConfirmationRepository(db).all()).find((r) => r.id !== first!.id)!;
    expect(second.content).toMatchObject({
      outcome: 'rejected',
      reasons: ['所交材料与要求不符', '学籍/学历验证不通过'],
      eligibility: { decision: { kind: 'reject', reasons: ['paper-mismatch'] } },
    });
    // The photo taken for this candidate is not kept with a rejection; the photo of the paper is (evidence).
    expect(second.content.blobs.map((b) => b.role)).toEqual(['paper-xuexin-report']);
    expect(second.content.eligibility?.items.find((item) => item.id === 'xuexin-report')?.photo).toBe(second.content.blobs[0]!.sha256);
    expect(second.content).not.toHaveProperty('standardPhoto');
  });

  it('信息采集 waits for every enabled collector; a disabled one is skipped; contributions go into the confirmed record', async () => {
    let ready = false;
    const photo: Collector = {
      ...noDraft,
    name: 'standard-photo',
      ready: () => ready,
      contribution: () => ({
        blobs: [{ role: 'standard-photo', mime: 'image/jpeg', bytes: new Uint8Array([0xff, 0xd8, 0xff, 7]) }],
        content: { standardPhoto: { widthPx: 358, heightPx: 441, bytes: 4, quality: { brightness: 0.5 } } },
        approvals: [],
      }),
      reset: () => (ready = false),
    };
    const disabled: Collector = { ...noDraft, name: 'fingerprints', enabled: () => false, ready: () => false, contribution: () => ({ blobs: [], content: {}, approvals: [] }), reset: () => undefined };
    const { db, checkIn, store, eligibility } = setup({ collectors: [photo, disabled] });
    await identifyLin(checkIn);
    await store.getState().identityPassed();
    await store.getState().collectDone();
    expect(checkIn.getState().flow.step).toBe('collect');
    ready = true;
    await store.getState().collectDone();
    expect(checkIn.getState().flow.step).toBe('eligibility');
    const flow = checkIn.getState().flow;
    if (flow.step === 'identify') throw new Error('unreachable');
    for (const id of materialsByType[flow.candidate.candidateType]) eligibility.getState().setStatus(id, 'verified');
    await store.getState().eligibilityPassed();
    await signAtKiosk(checkIn);
    await store.getState().saveConfirmed();
    const [record] = await new ConfirmationRepository(db).all();
    expect(record!.content.standardPhoto).toEqual({ widthPx: 358, heightPx: 441, bytes: 4, quality: { brightness: 0.5 } });
    expect(record!.content.blobs.map((b) => b.role).sort()).toEqual(['signature', 'standard-photo']);
  });

  it('face check: 通过 moves on with the figures; otherwise only a supervisor approval (人工认证) does', async () => {
    const refused = setup({ askApproval: undefined });
    await identifyLin(refused.checkIn);
    await refused.store.getState().identityByFace({ decision: 'review', distance: 0.43, threshold: 0.45, modelVersion: 'm' });
    expect(refused.checkIn.getState().flow.step).toBe('verify-identity');
    await refused.store.getState().identityOverride({ distance: 0.43, threshold: 0.45, modelVersion: 'm' });
    expect(refused.checkIn.getState().flow.step).toBe('verify-identity');

    const approved = setup({ askApproval: approval('identity-override') });
    await identifyLin(approved.checkIn);
    await approved.store.getState().identityOverride({ decision: 'fail', distance: 0.62, threshold: 0.45, modelVersion: 'm' });
    expect(approved.checkIn.getState().flow.step).toBe('eligibility');
    // The engine's 不通过 and the supervisor's approval are kept apart, and linked by the approval's id.
    expect(approved.store.getState().identity).toEqual({
      method: 'face',
      result: 'override',
      approvalId: approval('identity-override').approvalId,
      face: { distance: 0.62, threshold: 0.45, modelVersion: 'm', decision: 'fail' },
    });
    expect(approved.store.getState().approvals).toEqual([approval('identity-override')]);

    // Where the face check is required, the by-eye pass is refused even if something calls it.
    const strict = setup({ faceCheckRequired: true });
    await identifyLin(strict.checkIn);
    await strict.store.getState().identityPassed();
    expect(strict.checkIn.getState().flow.step).toBe('verify-identity');

    const passed = setup();
    await identifyLin(passed.checkIn);
    await passed.store.getState().identityByFace({ decision: 'pass', distance: 0.31, threshold: 0.45, modelVersion: 'm' });
    expect(passed.store.getState().identity).toEqual({ method: 'face', result: 'pass', face: { distance: 0.31, threshold: 0.45, modelVersion: 'm', decision: 'pass' } });
  });

  it('records the recognizer, metric, band in force and aligned-crop hashes of a face result, and nothing else of it', async () => {
    const { store, checkIn } = setup();
    await identifyLin(checkIn);
    const crops = { reference: 'a'.repeat(64), live: 'b'.repeat(64) };
    const result = {
      ok: true as const,
      decision: 'pass' as const,
      distance: 0.21,
      threshold: 0.5,
      metric: 'cosine' as const,
      reviewBand: { lower: 0.45, upper: 0.6 },
      modelVersion: 'face-api@1.7.15/ssd_mobilenetv1+landmark68+faceplugin-fr-feature@0.0.1',
      recognizer: 'faceplugin-fr-feature@0.0.1',
      crops,
      timings: { detectMs: 1, descriptorMs: 1, totalMs: 2 },
      framesTried: 2,
      bestFrame: 1,
    };
    await store.getState().identityByFace(result);
    const identity = store.getState().identity;
    expect(identity).toEqual({
      method: 'face',
      result: 'pass',
      face: { distance: 0.21, threshold: 0.5, metric: 'cosine', reviewBand: { lower: 0.45, upper: 0.6 }, modelVersion: result.modelVersion, recognizer: result.recognizer, crops, decision: 'pass' },
    });
    // The same contract the server validates: the extended section parses, and a record without it still does.
    expect(ConfirmationContent.shape.identityCheck.parse(identity)).toEqual(identity);
    expect(ConfirmationContent.shape.identityCheck.parse({ method: 'face', result: 'pass', face: { distance: 0.3, threshold: 0.45, modelVersion: 'm' } })).toBeTruthy();
    expect(() => ConfirmationContent.shape.identityCheck.parse({ method: 'face', result: 'pass', face: { distance: 0.3, threshold: 0.45, modelVersion: 'm', crops: { live: 'not-a-hash' } } })).toThrow();
  });
});
