import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfirmationContent } from '../../../core/contract/confirmation.js';
import { RulesBundle } from '../../../core/rules/bundle.js';
import { ConfirmationRepository } from '../../../renderer/confirmations/confirmation-repository.js';
import { StationDb } from '../../../renderer/db/station-db.js';
import { deskCheckIn } from './desk-check-in.js';
import type { Collector } from '../../../renderer/staff/stores/collector.js';

/** These collectors keep nothing for resume (desk-draft tests cover that). */
const noDraft = { draft: () => undefined, restore: () => false, subscribe: () => () => undefined } satisfies Pick<Collector, 'draft' | 'restore' | 'subscribe'>;
import { createConfirmationStore } from '../../../renderer/staff/stores/confirmation-store.js';
import { createEligibilityStore, papersReview } from '../../../renderer/staff/stores/eligibility-store.js';
import { createVisitStore, priorVisitView } from '../../../renderer/staff/stores/visit-store.js';
import { LIN, sampleRoster } from '../../support/sample-roster.js';
import { testDataKey } from './data-key.js';

const nm = RulesBundle.parse(JSON.parse(readFileSync(new URL('../../../server/sample-data/rules/nm-zsb-2027.json', import.meta.url), 'utf8')));
const dbs: StationDb[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

const strokes = [Array.from({ length: 20 }, (_, i) => ({ x: i / 20, y: 0.5, t: i * 10 }))];
const photoBytes = new Uint8Array([0xff, 0xd8, 0xff, 0x11, 0x22]);

/** One station: the real repository, check-in, eligibility, visit and confirmation stores over one database. */
function station(options: { cross?: Set<string> } = {}) {
  const db = new StationDb(`pending-${Math.random().toString(36).slice(2)}`, { dataKey: testDataKey });
  dbs.push(db);
  const repository = new ConfirmationRepository(db);
  let clock = Date.parse('2026-11-23T01:00:00.000Z');
  const { checkIn, shown } = deskCheckIn();
  let photoReady = false;
  const photo: Collector = {
    ...noDraft,
    name: 'standard-photo',
    ready: () => photoReady,
    contribution: () => ({
      blobs: [{ role: 'standard-photo', mime: 'image/jpeg', bytes: new Uint8Array([0xff, 0xd8, 0xff, 0x01]) }],
      content: { standardPhoto: { widthPx: 358, heightPx: 441, bytes: 4 } },
      approvals: [],
    }),
    reset: () => (photoReady = false),
  };
  const visit = createVisitStore({
    checkIn,
    history: (id) => repository.history(id),
    crossStation: async (ids) => ids.some((id) => options.cross?.has(id) === true),
    training: () => false,
    blob: (sha256) => db.vault.get(sha256),
  });
  const eligibility = createEligibilityStore({ checkIn, visit, bundle: () => nm, today: () => '2026-11-23', takePhoto: async () => new Uint8Array(photoBytes) });
  const store = createConfirmationStore({
    checkIn,
    eligibility,
    visit,
    repository,
    rosterOverride: () => undefined,
    onSaved: () => undefined,
    collectors: [photo],
    rules: () => ({ rulesVersion: nm.version, pledgeVersion: nm.pledge.version }),
    now: () => new Date((clock += 60_000)),
  });
  const identify = async () => {
    checkIn.getState().setInput(LIN);
    await checkIn.getState().submit();
    await expect.poll(() => visit.getState().status).toBe('ready');
    await store.getState().identityPassed();
  };
  const sign = () => {
    const flow = checkIn.getState().flow;
    if (flow.step === 'identify') throw new Error('no session');
    checkIn.getState().receiveKioskResponse({ kind: 'signature', sessionId: flow.sessionId, strokes });
  };
  return { db, repository, checkIn, eligibility, visit, store, shown, identify, sign, collectPhoto: () => (photoReady = true) };
}

describe('待补材料 and the return visit', () => {
  it('a missing paper is saved as 待补材料 (with photo and deadline); the return visit completes it as a linked new version', async () => {
    const s = station();
    await s.identify();
    expect(s.checkIn.getState().flow.step).toBe('collect');
    s.collectPhoto();
    await s.store.getState().collectDone();
    expect(s.eligibility.getState().typeId).toBe('fresh-graduate');
    s.eligibility.getState().setStatus('id-card', 'verified');
    s.eligibility.getState().setStatus('student-card', 'missing');
    s.eligibility.getState().setNote('student-card', '学生证遗失，需补办在校证明');
    s.eligibility.getState().setStatus('xuexin-report', 'mismatch');
    await s.eligibility.getState().takePhoto('xuexin-report');
    expect(papersReview(s.eligibility.getState())).toMatchObject({ canPass: false, canPend: true });
    // 通过 is refused while papers are outstanding.
    await s.store.getState().eligibilityPassed();
    expect(s.checkIn.getState().flow.step).toBe('eligibility');
    s.eligibility.getState().chooseDecision('pending');
    expect(s.eligibility.getState().until).toBe('2026-11-26');
    s.eligibility.getState().setUntil('2026-11-20'); // in the past: refused
    await s.store.getState().eligibilityPending();
    expect(await s.db.sealedConfirmations.count()).toBe(0);
    s.eligibility.getState().setUntil('2026-11-25');
    await s.store.getState().eligibilityPending();
    expect(s.checkIn.getState().flow).toMatchObject({ step: 'done', outcome: 'pending-materials' });
    expect(s.shown.at(-1)).toMatchObject({ kind: 'done', outcome: 'pending-materials' });

    const [open] = await s.repository.all();
    expect(open!.content).toMatchObject({
      outcome: 'pending-materials',
      rulesVersion: nm.version,
      reasons: ['待补材料：学生证或在校证明、教育部学籍在线验证报告（2026-11-25前补交）'],
      eligibility: {
        rulesType: 'fresh-graduate',
        decision: { kind: 'pending', missing: ['student-card', 'xuexin-report'], until: '2026-11-25' },
      },
      standardPhoto: { widthPx: 358 },
    });
    expect(open!.content.eligibility!.items.find((i) => i.id === 'student-card')).toMatchObject({ status: 'missing', result: 'fail', note: '学生证遗失，需补办在校证明' });
    expect(open!.content.blobs.map((b) => b.role).sort()).toEqual(['paper-xuexin-report', 'standard-photo']);
    expect(await s.db.outbox.count()).toBe(1);

    // The afternoon: the candidate comes back. The desk shows the open record and skips 信息采集.
    await s.checkIn.getState().reset();
    await s.identify();
    expect(priorVisitView(s.visit.getState())).toMatchObject({ kind: 'open-pending', until: '2026-11-25', missing: ['学生证或在校证明', '教育部学籍在线验证报告'] });
    expect(s.checkIn.getState().flow.step).toBe('eligibility');
    // What was judged is there; staff judge the brought papers.
    expect(s.eligibility.getState().checks['id-card']).toEqual({ status: 'verified' });
    expect(s.eligibility.getState().checks['student-card']?.status).toBe('missing');
    s.eligibility.getState().setStatus('student-card', 'verified');
    s.eligibility.getState().setStatus('xuexin-report', 'verified');
    await s.store.getState().eligibilityPassed();
    expect(s.checkIn.getState().flow.step).toBe('candidate-confirm');
    s.sign();
    await s.store.getState().saveConfirmed();

    const all = await s.repository.all();
    expect(all).toHaveLength(2);
    const done = all.find((r) => r.id !== open!.id)!;
    expect(done.supersedes).toBe(open!.id);
    expect(done.version).toBe(2);
    expect(done.content).toMatchObject({ outcome: 'confirmed', follows: { recordId: open!.id, kind: 'materials-completed' }, standardPhoto: { widthPx: 358 } });
    // The first visit's photo comes along (same bytes, same hash); the frozen record is unchanged.
    const hashOf = (r: typeof done, role: string) => r.content.blobs.find((b) => b.role === role)?.sha256;
    expect(hashOf(done, 'standard-photo')).toBe(hashOf(open!, 'standard-photo'));
    // So does the photo of the paper that did not match the first time.
    expect(hashOf(done, 'paper-xuexin-report')).toBe(hashOf(open!, 'paper-xuexin-report'));
    expect(done.content.eligibility!.items.find((i) => i.id === 'xuexin-report')).toMatchObject({ status: 'verified', photo: hashOf(open!, 'paper-xuexin-report') });
    expect(await s.repository.get(open!.id)).toEqual(open);
    expect(ConfirmationContent.parse(done.content)).toEqual(done.content);
    expect(await s.db.outbox.count()).toBe(2);
  });

  it('re-confirming a confirmed candidate warns and links the earlier record; the cross-station flag is shown', async () => {
    const cross = new Set<string>();
    const s = station({ cross });
    await s.identify();
    s.collectPhoto();
    await s.store.getState().collectDone();
    for (const id of ['id-card', 'student-card', 'xuexin-report']) s.eligibility.getState().setStatus(id, 'verified');
    await s.store.getState().eligibilityPassed();
    s.sign();
    await s.store.getState().saveConfirmed();
    const [first] = await s.repository.all();
    expect(s.visit.getState().crossStation).toBe(false);
    // The server answers on upload that another station confirmed this candidate too.
    cross.add(first!.id);
    await s.visit.getState().refreshFlags();
    expect(s.visit.getState().crossStation).toBe(true);
    expect(s.visit.getState().prior.kind).toBe('none');

    await s.checkIn.getState().reset();
    await s.identify();
    expect(priorVisitView(s.visit.getState())).toMatchObject({ kind: 'confirmed', crossStation: true, decidedAt: first!.content.decidedAt });
    // A re-confirmation collects again (nothing is carried from a finished record).
    expect(s.checkIn.getState().flow.step).toBe('collect');
    s.collectPhoto();
    await s.store.getState().collectDone();
    for (const id of ['id-card', 'student-card', 'xuexin-report']) s.eligibility.getState().setStatus(id, 'verified');
    await s.store.getState().eligibilityPassed();
    s.sign();
    await s.store.getState().saveConfirmed();
    const second = (await s.repository.all()).find((r) => r.id !== first!.id)!;
    expect(second).toMatchObject({ supersedes: first!.id, content: { follows: { recordId: first!.id, kind: 'reconfirmation' } } });
  });

  it('不通过 needs a reason (其他 needs text); 区内/区外 is chosen by staff and changing it clears the papers', async () => {
    const s = station();
    const veteran = sampleRoster.entries.find((e) => e.candidateType === 'veteran');
    if (!veteran) return expect.fail('sample roster has a veteran');
    s.checkIn.getState().setInput(veteran.citizenId);
    await s.checkIn.getState().submit();
    expect(s.eligibility.getState().typeChoices.map((t) => t.id)).toEqual(['veteran-local', 'veteran-external']);
    expect(s.eligibility.getState().typeId).toBeUndefined();
    s.eligibility.getState().chooseType('veteran-external');
    await s.store.getState().identityPassed();
    s.collectPhoto();
    await s.store.getState().collectDone();
    s.eligibility.getState().setStatus('household-register', 'mismatch');
    s.eligibility.getState().chooseType('veteran-local');
    expect(s.eligibility.getState().checks).toEqual({});
    s.eligibility.getState().chooseType('veteran-external');
    s.eligibility.getState().setStatus('household-register', 'mismatch');
    s.eligibility.getState().chooseDecision('reject');
    s.eligibility.getState().toggleReason('paper-mismatch');
    await s.store.getState().eligibilityFailed();
    expect(await s.db.sealedConfirmations.count()).toBe(0);
    s.eligibility.getState().toggleReason('other');
    await s.store.getState().eligibilityFailed();
    expect(await s.db.sealedConfirmations.count()).toBe(0);
    s.eligibility.getState().setReasonText('户籍迁入时间不满两年');
    await s.store.getState().eligibilityFailed();
    const [record] = await s.repository.all();
    expect(record!.content).toMatchObject({
      outcome: 'rejected',
      eligibility: { rulesType: 'veteran-external', rulesTypeLabel: '退役大学生士兵（区外）', decision: { kind: 'reject', reasons: ['other'], text: '户籍迁入时间不满两年' } },
    });
    expect(record!.content.reasons).toContain('户籍迁入时间不满两年');
    expect(record!.content).not.toHaveProperty('standardPhoto');
  });
});
