import { describe, expect, it } from 'vitest';
import type { KioskView } from '../../../core/contract/kiosk.js';
import type { RosterEntry } from '../../../core/contract/roster.js';
import { TransportError } from '../../../core/errors/station-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { createCheckInStore, type CheckInDeps } from '../../../renderer/staff/stores/check-in-store.js';
import { LIN, NOT_IN_ROSTER, ZHANG, sampleEntry, sampleRoster } from '../../support/sample-roster.js';

function setup(
  options: {
    /** How many kiosk.show calls fail before they work again. */
    kioskFailures?: number;
    rosterReady?: boolean;
    find?: (id: string) => Promise<RosterEntry | undefined>;
    entries?: RosterEntry[];
  } = {},
) {
  const shown: KioskView[] = [];
  let kioskFailures = options.kioskFailures ?? 0;
  const lookups: string[] = [];
  let session = 0;
  const deps: CheckInDeps = {
    api: {
      call: (async (method: string, payload: unknown) => {
        if (method !== 'kiosk.show') throw new Error(`unexpected ${method}`);
        if ((kioskFailures -= 1) >= 0) throw new TransportError('closed');
        shown.push(payload as KioskView);
        return { ok: true };
      }) as CheckInDeps['api']['call'],
    },
    roster: {
      findByCitizenId: async (id: string): Promise<RosterEntry | undefined> => {
        lookups.push(id);
        return options.find ? options.find(id) : sampleRoster.entries.find((e) => e.citizenId === id);
      },
      findByLast6: async (last6: string): Promise<RosterEntry[]> => {
        lookups.push(`last6:${last6}`);
        return (options.entries ?? sampleRoster.entries).filter((e) => e.citizenId.endsWith(last6));
      },
    },
    rosterReady: () => options.rosterReady ?? true,
    today: () => new Date(2026, 10, 23),
    newSessionId: () => `00000000-0000-4000-8000-00000000000${++session}`,
  };
  return { store: createCheckInStore(deps), shown, lookups };
}

describe('check-in store', () => {
  it('six characters list the candidates whose number ends so; staff pick one and the flow starts as typed', async () => {
    // Another candidate whose number differs only in the sixth-last character is not listed.
    const near = { ...sampleEntry(ZHANG), citizenId: `${LIN.slice(0, 12)}9${LIN.slice(-5)}` };
    const { store, lookups } = setup({ entries: [...sampleRoster.entries, near] });
    store.getState().setInput(' 140223 ');
    await store.getState().submit();
    expect(lookups).toEqual(['last6:140223']);
    const lookup = store.getState().lookup;
    expect(lookup).toMatchObject({ status: 'choose', last6: '140223' });
    if (lookup.status !== 'choose') throw new Error('no pick list');
    expect(lookup.matches.map((m) => m.citizenId)).toEqual([LIN]);
    await store.getState().choose(LIN);
    expect(store.getState().flow).toMatchObject({ step: 'verify-identity', source: 'manual', candidate: { citizenId: LIN } });
  });

  it('the short search: none found, too many to list, a check character X, and only a listed number can be picked', async () => {
    const none = setup();
    none.store.getState().setInput('999999');
    await none.store.getState().submit();
    expect(none.store.getState().lookup).toEqual({ status: 'not-found', warnings: [] });

    const base = sampleEntry(LIN);
    const many = Array.from({ length: 9 }, (_, i) => ({ ...base, citizenId: `${410100 + i}200203140223`, name: `考生${i}` }));
    const crowded = setup({ entries: many });
    crowded.store.getState().setInput('140223');
    await crowded.store.getState().submit();
    expect(crowded.store.getState().lookup).toMatchObject({ status: 'invalid', message: expect.stringContaining('9 人') });

    const withX = setup({ entries: [{ ...base, citizenId: '11010519491231002X' }] });
    withX.store.getState().setInput('31002x');
    await withX.store.getState().submit();
    expect(withX.lookups).toEqual(['last6:31002X']);
    expect(withX.store.getState().lookup).toMatchObject({ status: 'choose', matches: [{ citizenId: '11010519491231002X' }] });
    await withX.store.getState().choose(LIN);
    expect(withX.store.getState().flow.step).toBe('identify');
  });

  it('rejects malformed numbers with the catalogue message and never searches', async () => {
    const { store, lookups, shown } = setup();
    store.getState().setInput('4101052002031402');
    await store.getState().submit();
    expect(store.getState().lookup).toEqual({ status: 'invalid', message: '身份证号应为18位，当前为16位，请核对。' });
    store.getState().setInput('410105200203140224');
    await store.getState().submit();
    expect(store.getState().lookup).toMatchObject({ status: 'invalid', message: expect.stringContaining('校验位不正确') });
    expect(lookups).toEqual([]);
    expect(shown).toEqual([]);
    expect(store.getState().flow.step).toBe('identify');
  });

  describe('foreign permanent resident card numbers', () => {
    const F2017 = 'USA110088071537';
    const F2023 = '911840199506120036';
    const foreigners: RosterEntry[] = [
      { ...sampleEntry(LIN), citizenId: F2017, name: '史密斯', sex: 'male' },
      { ...sampleEntry(ZHANG), citizenId: F2023, name: '穆勒', sex: 'female', status: 'pending' },
    ];
    const find = async (id: string) => foreigners.find((e) => e.citizenId === id);

    it('finds a candidate by a 15-character 2017 number typed in lower case with spaces', async () => {
      const { store, lookups, shown } = setup({ find });
      store.getState().setInput(' usa 1100 8807 1537 ');
      await store.getState().submit();
      expect(lookups).toEqual([F2017]);
      expect(store.getState().input).toBe(F2017);
      expect(store.getState().lookup).toEqual({ status: 'found', warnings: [] });
      expect(store.getState().flow).toMatchObject({ step: 'verify-identity', source: 'manual', candidate: { citizenId: F2017, name: '史密斯' } });
      // The kiosk sees the masked form: nationality and accepting office, never the birth date.
      expect(shown[0]).toMatchObject({ kind: 'verify-info', candidate: { citizenIdMasked: 'USA1100******37' } });
    });

    it('finds a candidate by an 18-digit 2023 number, and by the last six characters of a 2017 number', async () => {
      const a = setup({ find });
      a.store.getState().setInput(F2023);
      await a.store.getState().submit();
      expect(a.store.getState().flow).toMatchObject({ step: 'verify-identity', candidate: { citizenId: F2023 } });

      const b = setup({ entries: foreigners });
      b.store.getState().setInput('071537');
      await b.store.getState().submit();
      expect(b.lookups).toEqual(['last6:071537']);
      expect(b.store.getState().lookup).toMatchObject({ status: 'choose', matches: [{ citizenId: F2017 }] });
    });

    it('refuses malformed foreign numbers with the layout in the message and never searches', async () => {
      const { store, lookups } = setup({ find });
      store.getState().setInput('usa11008807153');
      await store.getState().submit();
      expect(store.getState().lookup).toEqual({ status: 'invalid', message: zhCN.documentNumber.foreign2017.length(14) });
      store.getState().setInput('USA110088131537');
      await store.getState().submit();
      expect(store.getState().lookup).toMatchObject({ status: 'invalid', message: expect.stringContaining('第8–13位') });
      store.getState().setInput(`${F2023.slice(0, 17)}0`);
      await store.getState().submit();
      expect(store.getState().lookup).toEqual({ status: 'invalid', message: zhCN.documentNumber.foreign2023.checkDigit });
      expect(lookups).toEqual([]);
    });
  });

  it('reports an unknown but valid number as not found and stays on identify', async () => {
    const { store, lookups, shown } = setup();
    store.getState().setInput(NOT_IN_ROSTER.toLowerCase());
    await store.getState().submit();
    expect(lookups).toEqual([NOT_IN_ROSTER]);
    expect(store.getState().lookup).toEqual({ status: 'not-found', warnings: [] });
    expect(store.getState().flow.step).toBe('identify');
    expect(shown).toEqual([]);
  });

  it('finds a candidate, moves the flow to identity check and shows a masked view on the kiosk', async () => {
    const { store, shown } = setup();
    store.getState().setInput(` ${LIN.slice(0, 6)} ${LIN.slice(6)} `);
    await store.getState().submit();
    const { flow, lookup, kiosk } = store.getState();
    expect(lookup).toEqual({ status: 'found', warnings: [] });
    expect(flow).toMatchObject({ step: 'verify-identity', source: 'manual', completed: ['identify'] });
    expect(flow.step !== 'identify' && flow.candidate).toEqual(sampleEntry(LIN));
    expect(kiosk).toEqual({ status: 'shown' });
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({
      kind: 'verify-info',
      sessionId: '00000000-0000-4000-8000-000000000001',
      candidate: { name: '林晓雨', citizenIdMasked: '410105********0223', candidateType: 'fresh-graduate' },
    });
    expect(JSON.stringify(shown[0])).not.toContain(LIN);
  });

  it('keeps only kiosk answers for the current session', async () => {
    const { store } = setup();
    store.getState().setInput(LIN);
    await store.getState().submit();
    store.getState().receiveKioskResponse({ kind: 'confirm', sessionId: '00000000-0000-4000-8000-000000000009' });
    expect(store.getState().kioskResponse).toBeUndefined();
    store.getState().receiveKioskResponse({ kind: 'confirm', sessionId: '00000000-0000-4000-8000-000000000001' });
    expect(store.getState().kioskResponse).toEqual({ kind: 'confirm', sessionId: '00000000-0000-4000-8000-000000000001' });
  });

  it('says so when the kiosk cannot be updated, without losing the candidate', async () => {
    const { store } = setup({ kioskFailures: 1 });
    store.getState().setInput(LIN);
    await store.getState().submit();
    expect(store.getState().flow.step).toBe('verify-identity');
    expect(store.getState().kiosk).toEqual({ status: 'failed', message: '与工作站主程序的连接已断开，正在重新连接…' });
  });

  it('reset returns to identify and clears the kiosk', async () => {
    const { store, shown } = setup();
    store.getState().setInput(LIN);
    await store.getState().submit();
    await store.getState().reset();
    expect(store.getState()).toMatchObject({ input: '', lookup: { status: 'idle' }, flow: { step: 'identify' }, kiosk: { status: 'idle' } });
    expect(shown.at(-1)).toEqual({ kind: 'idle' });
  });

  it('ignores submit while a candidate is being processed', async () => {
    const { store, lookups } = setup();
    store.getState().setInput(LIN);
    await store.getState().submit();
    await store.getState().submit();
    expect(lookups).toHaveLength(1);
  });

  it('does not search an unloaded roster: a registered candidate would be sent away as unknown', async () => {
    const { store, lookups } = setup({ rosterReady: false });
    store.getState().setInput(LIN);
    await store.getState().submit();
    expect(lookups).toEqual([]);
    expect(store.getState().lookup).toEqual({ status: 'unavailable', message: expect.stringContaining('报名名单尚未载入') });
  });

  it('reports a failing database in Chinese instead of hanging on "searching"', async () => {
    const { store } = setup({ find: () => Promise.reject(new Error('QuotaExceededError')) });
    store.getState().setInput(LIN);
    await store.getState().submit();
    expect(store.getState().lookup).toEqual({ status: 'unavailable', message: '查找失败：工作站内部错误，请重试；如果反复出现，请联系技术支持。' });
    expect(store.getState().flow.step).toBe('identify');
  });

  it('drops a slow result when staff have already changed the number', async () => {
    let release: (entry: RosterEntry | undefined) => void = () => undefined;
    const { store, shown } = setup({ find: () => new Promise((resolve) => (release = resolve)) });
    store.getState().setInput(LIN);
    const pending = store.getState().submit();
    store.getState().setInput('4101');
    release(sampleEntry(LIN));
    await pending;
    expect(store.getState()).toMatchObject({ input: '4101', lookup: { status: 'idle' }, flow: { step: 'identify' } });
    expect(shown).toEqual([]);
  });

  it('asks staff to acknowledge a candidate who is already confirmed before anything reaches the kiosk', async () => {
    const { store, shown } = setup();
    store.getState().setInput(ZHANG);
    await store.getState().submit();
    expect(store.getState().lookup).toMatchObject({ status: 'needs-ack', candidate: { name: '张浩然', status: 'confirmed' } });
    expect(store.getState().flow.step).toBe('identify');
    expect(shown).toEqual([]);
    await store.getState().acknowledge();
    expect(store.getState().flow).toMatchObject({ step: 'verify-identity', candidate: { name: '张浩然' } });
    expect(shown).toHaveLength(1);
  });

  it('after a reconnect, recovers the kiosk answer it missed, or re-shows a kiosk that lost the view', async () => {
    const { store, shown } = setup();
    store.getState().setInput(LIN);
    await store.getState().submit();
    const view = shown[0]!;
    const answer = { kind: 'confirm' as const, sessionId: '00000000-0000-4000-8000-000000000001' };
    await store.getState().syncWithKiosk({ view, answer });
    expect(store.getState().kioskResponse).toEqual(answer);
    expect(shown).toHaveLength(1);
    await store.getState().syncWithKiosk({ view: { kind: 'idle' }, answer: null });
    expect(shown).toHaveLength(2);
    expect(shown[1]).toEqual(view);
  });

  it('resends the view when the kiosk could not be reached', async () => {
    const failing = setup({ kioskFailures: 1 });
    failing.store.getState().setInput(LIN);
    await failing.store.getState().submit();
    expect(failing.store.getState().kiosk.status).toBe('failed');
    await failing.store.getState().resendToKiosk();
    expect(failing.store.getState().kiosk.status).toBe('shown');
    expect(failing.shown).toHaveLength(1);
  });

  it('starts the flow from a chip read, keeping the card and a name difference as a warning', async () => {
    const { store, shown } = setup();
    const entry = sampleEntry(LIN);
    const card = {
      source: 'chip' as const,
      cardType: 'resident' as const,
      name: '林小雨',
      sex: 'female' as const,
      sexCode: '2',
      birthDate: '20020314',
      idNumber: LIN,
      validFrom: '20220315',
      validTo: '20320315',
    };
    await store.getState().readCard({ card, readMs: 12 });
    const { flow, lookup } = store.getState();
    expect(flow).toMatchObject({ step: 'verify-identity', source: 'chip', card, candidate: entry });
    expect(lookup).toEqual({ status: 'found', warnings: ['证件姓名“林小雨”与报名姓名“林晓雨”不一致，请核实。'] });
    // The roster entry is not overwritten by the card.
    expect(flow.step !== 'identify' && flow.candidate.name).toBe('林晓雨');
    expect(shown).toHaveLength(1);
  });

  it('stops for a decision when the card is not a valid document today', async () => {
    const { store, shown } = setup();
    const card = {
      source: 'chip' as const,
      cardType: 'resident' as const,
      name: '林晓雨',
      sex: 'female' as const,
      sexCode: '2',
      birthDate: '20020314',
      idNumber: LIN,
      validFrom: '20160101',
      validTo: '20260101',
    };
    await store.getState().readCard({ card, readMs: 12 });
    expect(store.getState().lookup).toMatchObject({
      status: 'needs-ack',
      reasons: ['证件已过期（有效期至 2026-01-01），不能作为有效身份证件。'],
      warnings: [],
    });
    expect(store.getState().flow.step).toBe('identify');
    expect(shown).toEqual([]);
    await store.getState().acknowledge();
    expect(store.getState().flow).toMatchObject({ step: 'verify-identity', card });
  });

  it('reports a card whose holder is not in the roster', async () => {
    const { store } = setup();
    const card = { source: 'chip' as const, cardType: 'resident' as const, name: '王芳', sex: 'female' as const, sexCode: '2', birthDate: '19491231', idNumber: NOT_IN_ROSTER, validFrom: '20200101', validTo: '长期' };
    await store.getState().readCard({ card, readMs: 5 });
    expect(store.getState().lookup).toEqual({ status: 'not-found', card, warnings: [] });
    expect(store.getState().input).toBe(NOT_IN_ROSTER);
  });

  it('does not replace the candidate being processed when another card is placed', async () => {
    const { store } = setup();
    store.getState().setInput(LIN);
    await store.getState().submit();
    const other = sampleRoster.entries[5]!;
    await store.getState().readCard({
      card: { source: 'chip', cardType: 'resident', name: other.name, sex: other.sex, sexCode: other.sex === 'male' ? '1' : '2', birthDate: other.citizenId.slice(6, 14), idNumber: other.citizenId, validFrom: '20200101', validTo: '长期' },
      readMs: 5,
    });
    expect(store.getState().flow).toMatchObject({ candidate: { citizenId: LIN } });
    expect(store.getState().readerNotice).toContain('当前考生尚未办完');
  });

  it('shows reader errors until the next action', async () => {
    const { store } = setup();
    store.getState().readerError({ reason: 'status', message: '读卡失败（证件可能被移动），请将证件移开后重新放置并保持不动。' });
    expect(store.getState().readerNotice).toContain('读卡失败');
    store.getState().setInput('4');
    expect(store.getState().readerNotice).toBeUndefined();
  });
});
