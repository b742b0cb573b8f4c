import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../../core/rules/builtin.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { AuditLog } from '../../../renderer/audit/audit-log.js';
import { ConfirmationRepository } from '../../../renderer/confirmations/confirmation-repository.js';
import { DraftRepository } from '../../../renderer/confirmations/draft-repository.js';
import { StationDb } from '../../../renderer/db/station-db.js';
import { keepDeskDraft } from '../../../renderer/staff/services/desk-draft.js';
import { deskCheckIn } from './desk-check-in.js';
import type { Collector } from '../../../renderer/staff/stores/collector.js';
import { createConfirmationStore } from '../../../renderer/staff/stores/confirmation-store.js';
import { createEligibilityStore } from '../../../renderer/staff/stores/eligibility-store.js';
import { createResumeStore } from '../../../renderer/staff/stores/resume-store.js';
import { createStore } from 'zustand/vanilla';
import { LIN } from '../../support/sample-roster.js';
import { testDataKey } from './data-key.js';

const dbs: StationDb[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

const strokes = [Array.from({ length: 20 }, (_, i) => ({ x: i / 20, y: 0.5, t: i * 10 }))];

/** A collector with one capture: its draft is the captured bytes' label once taken (like the photo store's). */
function fakePhoto() {
  const state = createStore<{ taken: string | undefined }>()(() => ({ taken: undefined }));
  const collector: Collector = {
    name: 'standard-photo',
    ready: () => state.getState().taken !== undefined,
    contribution: () => ({
      blobs: [{ role: 'standard-photo', mime: 'image/jpeg', bytes: new TextEncoder().encode(state.getState().taken ?? '') as Uint8Array<ArrayBuffer> }],
      content: { standardPhoto: { widthPx: 358, heightPx: 441, bytes: 4 } },
      approvals: [],
    }),
    reset: () => state.setState({ taken: undefined }),
    draft: () => state.getState().taken,
    restore: (value) => {
      if (typeof value !== 'string') return false;
      state.setState({ taken: value });
      return true;
    },
    subscribe: (listener) => state.subscribe(listener),
  };
  return { collector, take: (label: string) => state.setState({ taken: label }) };
}

/** One staff window over a database: what main.tsx wires, without the screen. A "reload" is a second desk(). */
function desk(db: StationDb) {
  const { checkIn, shown } = deskCheckIn({ randomSessions: true });
  const photo = fakePhoto();
  const collectors = [photo.collector];
  const eligibility = createEligibilityStore({ checkIn, bundle: () => BUILTIN_RULES, today: () => '2026-11-23', takePhoto: async () => new Uint8Array([0xff, 0xd8, 0xff, 3]) });
  const repository = new ConfirmationRepository(db);
  const confirmation = createConfirmationStore({ checkIn, eligibility, repository, rosterOverride: () => undefined, onSaved: () => undefined, collectors });
  const drafts = new DraftRepository(db);
  const stores = { checkIn, confirmation, eligibility, collectors };
  const audit = new AuditLog(db);
  let keeper: ReturnType<typeof keepDeskDraft> | undefined;
  const resume = createResumeStore({ drafts, stores, audit: (entry) => audit.append(entry), keep: () => (keeper = keepDeskDraft(stores, drafts, (e) => { throw e; })) });
  return { checkIn, confirmation, eligibility, repository, drafts, resume, shown, photo, flushed: () => keeper?.flushed() ?? Promise.resolve(), stop: () => keeper?.() };
}

async function toEligibility(d: ReturnType<typeof desk>) {
  await d.resume.getState().check();
  expect(d.resume.getState().status).toBe('none');
  d.checkIn.getState().setInput(LIN);
  await d.checkIn.getState().submit();
  await d.confirmation.getState().identityPassed();
  d.photo.take('photo-bytes-1');
  await d.confirmation.getState().collectDone();
  expect(d.checkIn.getState().flow.step).toBe('eligibility');
  d.eligibility.getState().setStatus('id-card', 'verified');
  d.eligibility.getState().setNote('id-card', '原件已核');
  await d.eligibility.getState().takePhoto('id-card');
  await d.flushed();
}

describe('resume after a crash', () => {
  it('a reload mid-step offers the candidate; resuming restores every step and the kiosk; the record is saved once', async () => {
    const db = new StationDb(`resume-${Math.random().toString(36).slice(2)}`, { dataKey: testDataKey });
    dbs.push(db);
    const first = desk(db);
    await toEligibility(first);
    // The draft on disk is sealed: no personal value in the clear.
    const raw = JSON.stringify(await db.drafts.toArray(), (_k, v: unknown) => (v instanceof Uint8Array ? new TextDecoder('latin1').decode(v) : v));
    expect(raw).not.toContain(LIN);
    expect(raw).not.toContain('原件已核');
    first.stop(); // the window is gone

    const second = desk(new StationDb(db.name, { dataKey: testDataKey }));
    await second.resume.getState().check();
    expect(second.resume.getState()).toMatchObject({ status: 'offer', offer: { name: '林晓雨', citizenIdMasked: '410105********0223', step: 'eligibility' } });
    // New candidates wait until the offer is answered... (the staff window's lookup gate) and resume applies.
    await second.resume.getState().resume();
    const flow = second.checkIn.getState().flow;
    expect(flow).toMatchObject({ step: 'eligibility', candidate: { citizenId: LIN }, completed: ['identify', 'verify-identity', 'collect'] });
    expect(second.shown.at(-1)).toMatchObject({ kind: 'verify-info' });
    expect(second.confirmation.getState().identity).toEqual({ method: 'visual', result: 'pass' });
    expect(second.eligibility.getState().checks['id-card']).toMatchObject({ status: 'verified', note: '原件已核', photo: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(second.photo.collector.ready()).toBe(true);

    for (const id of ['student-card', 'xuexin-report']) second.eligibility.getState().setStatus(id, 'verified');
    await second.confirmation.getState().eligibilityPassed();
    const f = second.checkIn.getState().flow;
    if (f.step === 'identify') throw new Error('no session');
    second.checkIn.getState().receiveKioskResponse({ kind: 'signature', sessionId: f.sessionId, strokes });
    await second.flushed();
    await second.confirmation.getState().saveConfirmed();
    await second.flushed();
    const records = await second.repository.all();
    expect(records).toHaveLength(1);
    expect(records[0]!.content.blobs.map((b) => b.role).sort()).toEqual(['paper-id-card', 'signature', 'standard-photo']);
    // Saved and resumable are never both true: the draft went in the save's transaction.
    expect(await db.drafts.count()).toBe(0);
    const third = desk(new StationDb(db.name, { dataKey: testDataKey }));
    await third.resume.getState().check();
    expect(third.resume.getState().status).toBe('none');
    const kinds = (await db.audit.toArray()).map((row) => row.kind);
    expect(kinds).toContain('confirmation-resumed');
  });

  it('discarding needs a reason, which goes to the audit log (no citizen number); the draft is gone', async () => {
    const db = new StationDb(`resume-${Math.random().toString(36).slice(2)}`, { dataKey: testDataKey });
    dbs.push(db);
    const first = desk(db);
    await toEligibility(first);
    first.stop();
    const second = desk(new StationDb(db.name, { dataKey: testDataKey }));
    await second.resume.getState().check();
    await second.resume.getState().discard();
    expect(second.resume.getState()).toMatchObject({ status: 'offer', error: zhCN.resume.reasonRequired });
    second.resume.getState().setDiscardReason(`考生${LIN}临时离开，改日再办`);
    await second.resume.getState().discard();
    expect(second.resume.getState().status).toBe('none');
    expect(await db.drafts.count()).toBe(0);
    const entry = (await db.audit.toArray()).find((row) => row.kind === 'confirmation-discarded') as { detail?: string } | undefined;
    expect(entry?.detail).toContain('临时离开');
    expect(entry?.detail).not.toContain(LIN);
    expect(second.checkIn.getState().flow.step).toBe('identify');
  });

  it('a damaged or foreign draft is never offered (and is cleared); a part of another session is not applied', async () => {
    const db = new StationDb(`resume-${Math.random().toString(36).slice(2)}`, { dataKey: testDataKey });
    dbs.push(db);
    const first = desk(db);
    await toEligibility(first);
    first.stop();
    const row = (await db.drafts.get('flow'))!;
    const cipher = new Uint8Array(row.sealed.cipher);
    cipher[5] = cipher[5]! ^ 0xff;
    await db.drafts.put({ ...row, sealed: { iv: row.sealed.iv, cipher } });
    const second = desk(new StationDb(db.name, { dataKey: testDataKey }));
    await second.resume.getState().check();
    expect(second.resume.getState().status).toBe('none');
    expect(await db.drafts.count()).toBe(0);

    // A stored part of another session (a row swapped in) is dropped; the flow still resumes.
    const third = desk(new StationDb(db.name, { dataKey: testDataKey }));
    await toEligibility(third);
    third.stop();
    await new DraftRepository(db).put('decisions', { sessionId: 'another-session', identity: { method: 'visual', result: 'override' }, approvals: [] });
    const fourth = desk(new StationDb(db.name, { dataKey: testDataKey }));
    await fourth.resume.getState().check();
    await fourth.resume.getState().resume();
    expect(fourth.checkIn.getState().flow.step).toBe('eligibility');
    expect(fourth.confirmation.getState().identity).toBeUndefined();
  });
});
