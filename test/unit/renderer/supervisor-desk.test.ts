import { describe, expect, it } from 'vitest';
import { readLedger, latestVersions, type LedgerEntry, type LedgerSource } from '../../../renderer/supervisor/day-ledger.js';
import { stationDay } from '../../../renderer/confirmations/confirmation-repository.js';
import { filterReviewItems, reviewItems } from '../../../renderer/supervisor/review-queue.js';
import { createReviewStore } from '../../../renderer/supervisor/review-store.js';
import { createDayStore, summarize } from '../../../renderer/supervisor/day-store.js';
import type { DayLog } from '../../../core/day-log/day-log.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { content, operator, record, sampleDay, supervisor, uuid } from '../host/exports/day-log-fixtures.js';

const day = '2026-11-23';
const entries = (): LedgerEntry[] => sampleDay().filter((r) => r.content.training !== true).map((r) => ({ ...r, crossStation: false, unknownRules: false }));

describe('day ledger', () => {
  it('joins records with the outbox, acknowledgements and handoffs, leaving out training and other days', async () => {
    const source: LedgerSource = {
      records: async () => [
        { id: uuid(1), version: 1, content: content(1), savedAt: content(1).decidedAt },
        { id: uuid(2), version: 1, content: content(2), savedAt: content(2).decidedAt },
        { id: uuid(3), version: 1, content: content(3), savedAt: content(3).decidedAt },
        { id: uuid(4), version: 1, content: content(4, { training: true }), savedAt: content(4).decidedAt },
        { id: uuid(5), version: 1, content: content(5, { decidedAt: '2026-11-23T17:00:00.000Z' }), savedAt: '2026-11-23T17:00:00.000Z' },
        { id: uuid(7), version: 1, content: content(7), savedAt: content(7).decidedAt },
        { id: uuid(8), version: 1, content: content(8, { rulesVersion: 'NM-ZSB-2027.9' }), savedAt: content(8).decidedAt },
      ],
      outbox: async () => [
        { confirmationId: uuid(2), state: 'needs-attention', lastError: { code: 'CONFLICT', message: '记录冲突' } },
        { confirmationId: uuid(3), state: 'pending' },
        { confirmationId: uuid(7), state: 'pending' },
      ],
      // uuid(1)'s ack was stored before the server's unknownRules flag existed; uuid(8)'s carries it.
      acks: async () =>
        new Map([
          [uuid(1), { crossStation: true }],
          [uuid(8), { crossStation: false, unknownRules: true }],
        ]),
      handedOff: async () => new Set([uuid(7)]),
    };
    const ledger = await readLedger(source, day);
    // 17:00 UTC is already the 24th in China.
    expect(stationDay('2026-11-23T17:00:00.000Z')).toBe('2026-11-24');
    expect(ledger.map((e) => [e.id, e.sync])).toEqual([
      [uuid(1), 'acknowledged'],
      [uuid(2), 'needs-attention'],
      [uuid(3), 'pending'],
      [uuid(7), 'handed-off'],
      [uuid(8), 'acknowledged'],
    ]);
    expect(ledger[0]!.crossStation).toBe(true);
    expect(ledger.map((e) => e.unknownRules)).toEqual([false, false, false, false, true]);
    expect(ledger[1]!.syncError?.message).toBe('记录冲突');
  });

  it('keeps the newest version of each chain', () => {
    expect(latestVersions(entries()).map((e) => e.id)).toEqual([uuid(1), uuid(2), uuid(3), uuid(6)]);
  });
});

describe('review queue', () => {
  it('lists what needs a second look, newest first, with sync and cross-station flags; approved items leave the open queue', () => {
    const list = entries();
    list[0] = { ...list[0]!, crossStation: true };
    list[2] = { ...list[2]!, sync: 'needs-attention', syncError: { code: 'INVALID', message: '记录格式不正确' } };
    list.push({ ...record(8, content(8, { rulesVersion: 'NM-ZSB-2027.9' })), crossStation: false, unknownRules: true });
    const items = reviewItems(list);
    expect(items.map((i) => [i.name, i.kinds])).toEqual([
      ['考生8', ['unknown-rules']],
      ['考生5', ['identity-override', 'face-review']],
      ['考生3', ['rejected', 'sync-attention']],
      ['考生2', ['roster-stale', 'ocr-identity']],
      ['考生1', ['cross-station']],
    ]);
    expect(items[0]!.details).toEqual([zhCN.supervisorDesk.review.unknownRulesDetail('NM-ZSB-2027.9')]);
    expect(zhCN.supervisorDesk.review.kinds['unknown-rules']).toBe('配置版本未被中心识别');
    expect(filterReviewItems(items, { state: 'all', kind: 'unknown-rules' }).map((i) => i.name)).toEqual(['考生8']);
    expect(items[2]!.details[1]).toBe('记录格式不正确');
    expect(items.every((i) => /^\d{6}\*{8}[\dX]{4}$/.test(i.citizenIdMasked))).toBe(true);
    expect(filterReviewItems(items, { state: 'open', kind: 'all' }).map((i) => i.name)).toEqual(['考生8', '考生3', '考生2', '考生1']);
    expect(filterReviewItems(items, { state: 'done', kind: 'all' }).map((i) => i.name)).toEqual(['考生5']);
    expect(filterReviewItems(items, { state: 'all', kind: 'ocr-identity' }).map((i) => i.name)).toEqual(['考生2']);
  });

  it("a supervisor's decision is saved as a new version of the record; an operator is refused; photos open on demand", async () => {
    let ledger = entries();
    const saved: { supersedes: string; review: unknown; by: string }[] = [];
    const revoked: string[] = [];
    let actor = operator;
    const withPhoto = ledger.findIndex((e) => e.id === uuid(3));
    ledger[withPhoto] = { ...ledger[withPhoto]!, content: { ...ledger[withPhoto]!.content, blobs: [{ role: 'signature', sha256: 'a'.repeat(64) }, { role: 'fingerprint-template-2', sha256: 'b'.repeat(64) }] } };
    const store = createReviewStore({
      ledger: async () => ledger,
      blob: async (sha) => (sha === 'a'.repeat(64) ? { mime: 'image/svg+xml', bytes: new TextEncoder().encode('<svg/>') } : { mime: 'application/octet-stream', bytes: new Uint8Array(4) }),
      referencePhoto: async () => 'data:image/png;base64,AAAA',
      actor: () => actor,
      saveReview: async ({ record: reviewed, review }) => {
        saved.push({ supersedes: reviewed.id, review, by: review.by.accountId });
        ledger = [...ledger, { ...reviewed, id: uuid(99), version: reviewed.version + 1, supersedes: reviewed.id, content: { ...reviewed.content, review }, sync: 'pending' }];
      },
      objectUrl: { create: () => `blob:${revoked.length}-${Math.random()}`, revoke: (url) => revoked.push(url) },
      now: () => new Date('2026-11-23T09:00:00.000Z'),
    });
    await store.getState().load();
    expect(store.getState().items.map((i) => i.name)).toEqual(['考生3', '考生2']);

    await store.getState().openItem(uuid(3));
    const open = store.getState().open!;
    // Templates are not images: only the signature is decrypted for viewing.
    expect(open.images.map((i) => i.role)).toEqual(['signature']);
    expect(open.referencePhoto).toBe('data:image/png;base64,AAAA');

    await store.getState().decide('approved', '已核实');
    expect(saved).toEqual([]);
    expect(store.getState().error).toBe(zhCN.supervisorDesk.needsSupervisor);

    actor = supervisor;
    await store.getState().decide('annotated', '   ');
    expect(store.getState().error).toBe(zhCN.supervisorDesk.review.noteRequired);
    await store.getState().decide('approved', '已核实');
    expect(saved).toEqual([{ supersedes: uuid(3), review: { decision: 'approved', note: '已核实', by: supervisor, at: '2026-11-23T09:00:00.000Z' }, by: 'sup01' }]);
    expect(store.getState().open).toBeUndefined();
    expect(revoked).toHaveLength(1);
    expect(store.getState().items.map((i) => i.name)).toEqual(['考生2']);
  });
});

describe('day store: export and close', () => {
  function setup(ledger: LedgerEntry[], options: { closed?: boolean; hostKind?: 'electron' | 'browser'; pdfFails?: boolean } = {}) {
    const written: { format: string; log: DayLog }[] = [];
    // What happened while printing, in order, and what the page showed at each step.
    const printing: string[] = [];
    const audited: DayLog[] = [];
    const closed: string[] = options.closed ? [day] : [];
    const handoffs: number[] = [];
    let actor = supervisor;
    const store = createDayStore({
      ledger: async () => ledger,
      actor: () => actor,
      point: () => ({ code: 'ZZ01', name: '郑州市金水区确认点' }),
      station: () => ({ name: '3号工位' }),
      writeExport: async (format, log) => {
        written.push({ format, log });
        return { fileName: `log.${format}` };
      },
      handoff: async (d, _summary, all) => {
        handoffs.push(all.length);
        closed.push(d);
        return { fileName: 'bundle.xqb', count: all.length };
      },
      closeDay: async (d) => {
        closed.push(d);
      },
      recordPrint: async (log) => {
        audited.push(log);
        printing.push('audit');
      },
      printer: {
        hostKind: () => options.hostKind ?? 'browser',
        toPdf: async (request) => {
          printing.push(`pdf ${JSON.stringify(request)} sheet=${store.getState().report?.day}`);
          if (options.pdfFails) throw new Error('printToPDF failed');
          return { fileName: `day-report-${day}.pdf`, bytes: 2048 };
        },
        print: () => printing.push(`dialog sheet=${store.getState().report?.day}`),
        rendered: async () => {
          printing.push(`rendered sheet=${store.getState().report?.day}`);
        },
      },
      isClosed: async (d) => closed.includes(d),
      today: () => day,
    });
    return { store, written, closed, handoffs, printing, audited, setActor: (a: typeof actor) => (actor = a) };
  }

  it('exports the chosen day with masked numbers unless asked for, and only for a supervisor', async () => {
    const { store, written, setActor } = setup(entries());
    await store.getState().exportLog('xlsx');
    expect(written[0]!.log.rows).toHaveLength(4);
    expect(written[0]!.log.rows[0]!.citizenId).toMatch(/\*{8}/);
    store.getState().setFullNumbers(true);
    await store.getState().exportLog('pdf');
    expect(written[1]!.log.fullNumbers).toBe(true);
    expect(written[1]!.log.rows[0]!.citizenId).toMatch(/^\d{17}[\dX]$/);
    expect(store.getState().exportResult).toEqual({ ok: true, message: zhCN.supervisorDesk.export.done('log.pdf') });
    setActor(operator);
    await store.getState().exportLog('csv');
    expect(written).toHaveLength(2);
    expect(store.getState().exportResult?.message).toBe(zhCN.supervisorDesk.needsSupervisor);
  });

  it('打印日报 in Electron: the report on the page first, audited, a PDF copy through print.toPdf, then the print dialog', async () => {
    const { store, printing, audited } = setup(entries(), { hostKind: 'electron' });
    await store.getState().printReport();
    expect(printing).toEqual([`rendered sheet=${day}`, 'audit', `pdf ${JSON.stringify({ document: 'day-report', day })} sheet=${day}`, `dialog sheet=${day}`]);
    const report = store.getState().report!.view;
    // The sheet says what the exported PDF says: the same view of the same log.
    expect(report.title).toBe(zhCN.dayLog.report.title);
    expect(report.total).toBe(zhCN.dayLog.report.total(audited[0]!.counts.total));
    expect(report.lines.join('\n')).toContain('郑州市金水区确认点');
    expect(JSON.stringify(report)).not.toMatch(/\d{17}[\dX]/);
    expect(store.getState().printResult).toEqual({ ok: true, message: zhCN.supervisorDesk.export.printedPdf(`day-report-${day}.pdf`) });
    expect(store.getState().printing).toBe(false);
    // Signing out takes it off the page.
    store.getState().forgetReport();
    expect(store.getState().report).toBeUndefined();
  });

  it('打印日报 in the browser host: the print dialog only; a PDF failure in Electron is shown and opens no dialog; operators are refused', async () => {
    const browser = setup(entries());
    await browser.store.getState().printReport();
    expect(browser.printing).toEqual([`rendered sheet=${day}`, 'audit', `dialog sheet=${day}`]);
    expect(browser.store.getState().printResult).toEqual({ ok: true, message: zhCN.supervisorDesk.export.printed });

    const failing = setup(entries(), { hostKind: 'electron', pdfFails: true });
    await failing.store.getState().printReport();
    expect(failing.printing.some((step) => step.startsWith('dialog'))).toBe(false);
    expect(failing.store.getState().printResult?.ok).toBe(false);
    expect(failing.store.getState().printResult?.message.startsWith(zhCN.supervisorDesk.export.printFailed)).toBe(true);

    const operatorDesk = setup(entries());
    operatorDesk.setActor(operator);
    await operatorDesk.store.getState().printReport();
    expect(operatorDesk.printing).toEqual([]);
    expect(operatorDesk.store.getState().report).toBeUndefined();
    expect(operatorDesk.store.getState().printResult?.message).toBe(zhCN.supervisorDesk.needsSupervisor);
  });

  it('refuses to close while anything is unacknowledged and not handed off; closes when all is settled', async () => {
    const settled = entries().map((e) => ({ ...e, sync: 'acknowledged' as const }));
    const open = setup(entries());
    await open.store.getState().closeDay();
    expect(open.closed).toEqual([]);
    // Records 2 (pending) and 6 (handed off) of the sample day: only the pending one holds the close.
    expect(open.store.getState().summary?.unsettled.map((e) => e.id)).toEqual([uuid(2)]);
    expect(open.store.getState().closeMessage).toEqual({ ok: false, message: zhCN.supervisorDesk.close.unsettled(1) });

    const done = setup(settled);
    await done.store.getState().closeDay();
    expect(done.closed).toEqual([day]);
    expect(done.store.getState().closed).toBe(true);
    await done.store.getState().closeDay();
    expect(done.closed).toEqual([day]);
    expect(done.store.getState().closeMessage?.message).toBe(zhCN.supervisorDesk.close.alreadyClosed(day));
  });

  it('closes by handoff bundle when the server cannot be reached', async () => {
    const { store, closed, handoffs } = setup(entries());
    await store.getState().handoff();
    expect(handoffs).toEqual([entries().length]);
    expect(closed).toEqual([day]);
    expect(store.getState().closed).toBe(true);
  });

  it('summarises a day by the newest version of each chain', () => {
    const summary = summarize([...entries(), { ...record(8, content(8, { outcome: 'rejected', reasons: ['x'] })), crossStation: false, unknownRules: false }]);
    expect(summary).toMatchObject({ total: 5, confirmed: 3, rejected: 2, handedOff: 1 });
  });
});
