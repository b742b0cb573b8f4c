import 'fake-indexeddb/auto';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseReceiptQr } from '../../../core/contract/receipt.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { ReceiptSigner } from '../../../host/central/receipt-signer.js';
import { ConfirmationRepository, type SaveRequest } from '../../../renderer/confirmations/confirmation-repository.js';
import { StationDb } from '../../../renderer/db/station-db.js';
import { ReceiptRepository, keepingSignedReceipts } from '../../../renderer/receipts/receipt-repository.js';
import { createReceiptStore, type ReceiptDeps } from '../../../renderer/receipts/receipt-store.js';
import { LIN, sampleEntry } from '../../support/sample-roster.js';
import { testDataKey } from './data-key.js';

const t = zhCN.receipts;
let n = 0;
const opened: StationDb[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.delete();
});

const stationId = randomUUID();
const { privateKey } = generateKeyPairSync('ed25519');
const signer = new ReceiptSigner(async () => ({
  enrollment: { serverUrl: 'http://127.0.0.1:1', stationId, pointCode: 'ZZ-JS-01', pointName: '金水区确认点', enrolledAt: '2026-11-23T00:00:00.000Z' },
  sign: (text: string) => sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64'),
}));

const lin = sampleEntry(LIN);
const PHOTO = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
const request = (): SaveRequest => ({
  content: {
    candidate: { citizenId: lin.citizenId, registrationNo: lin.registrationNo, name: lin.name },
    identification: { source: 'chip', cardType: 'resident' },
    eligibility: { candidateType: 'past-graduate', items: [{ id: 'id-card', result: 'pass' }, { id: 'graduation-cert', result: 'fail' }] },
    outcome: 'rejected',
    reasons: ['毕业证书不符合要求'],
    decidedAt: '2026-11-23T09:29:58+08:00',
  },
  blobs: [{ role: 'standard-photo', mime: 'image/jpeg', bytes: PHOTO }],
});

function setup(overrides: Partial<ReceiptDeps> = {}) {
  const db = new StationDb(`receipts-${++n}`, { dataKey: testDataKey });
  opened.push(db);
  const records = new ConfirmationRepository(db);
  const receipts = new ReceiptRepository(db);
  const order: string[] = [];
  const hostSign = vi.fn((record: { id: string; contentSha256: string; savedAt: string }) => signer.sign(record));
  const deps: ReceiptDeps = {
    records,
    receipts,
    sign: hostSign,
    qrImage: async (text) => `data:image/svg+xml;base64,${btoa(text.slice(0, 8))}`,
    blob: (sha256) => db.vault.get(sha256),
    place: () => ({ pointName: '郑州市金水区现场确认点', stationName: '1号工位' }),
    hostKind: () => 'browser',
    toPdf: vi.fn(async (req) => {
      order.push(`pdf:${req.layout}`);
      return { fileName: `receipt-${req.recordId}.pdf`, bytes: 100 };
    }),
    print: vi.fn(() => order.push('print')),
    rendered: async () => undefined,
    verifyOffline: vi.fn(async () => ({ status: 'verified-signature' as const, message: t.offline['verified-signature'] })),
    audit: vi.fn(async () => undefined),
    now: () => new Date('2026-11-24T10:00:00+08:00'),
    ...overrides,
  };
  return { db, records, receipts, deps, hostSign, order, store: createReceiptStore(deps) };
}

describe('receipts kept with the record, and 补打回执', () => {
  it('keeps the QR the host signs at save, and 补打回执 prints that same QR with the record rebuilt from the database', async () => {
    const { records, receipts, deps, hostSign, store } = setup();
    const saved = await records.save(request());
    const { qr } = await keepingSignedReceipts(receipts, deps.sign)({ id: saved.id, contentSha256: saved.contentSha256, savedAt: saved.savedAt });
    expect(await receipts.qrFor(saved.id)).toBe(qr);

    await store.getState().print(saved.id, { reprint: true });
    const { sheet, error } = store.getState();
    expect(error).toBeUndefined();
    expect(hostSign).toHaveBeenCalledTimes(1);
    expect(sheet).toMatchObject({
      recordId: saved.id,
      qr,
      pointName: '郑州市金水区现场确认点',
      stationName: '1号工位',
      candidateName: lin.name,
      citizenIdMasked: `${lin.citizenId.slice(0, 6)}********${lin.citizenId.slice(14)}`,
      registrationNo: lin.registrationNo,
      candidateType: '往届',
      outcome: 'rejected',
      reasons: ['毕业证书不符合要求'],
      missingPapers: [zhCN.materials.items['graduation-cert']],
      photo: `data:image/jpeg;base64,${Buffer.from(PHOTO).toString('base64')}`,
      reprintedAt: '2026-11-24T02:00:00.000Z',
    });
    expect(sheet?.citizenIdMasked).not.toContain(lin.citizenId.slice(6, 14));
    expect(deps.audit).toHaveBeenCalledWith({ kind: 'receipt-reprint', confirmationId: saved.id });
    expect(deps.print).toHaveBeenCalledTimes(1);
  });

  it('a record saved without a kept QR is signed again (and kept) when the station can; otherwise printed unsigned', async () => {
    const { records, receipts, hostSign, store } = setup();
    const saved = await records.save(request());
    await store.getState().print(saved.id, { reprint: true });
    const qr = store.getState().sheet?.qr;
    expect(qr && parseReceiptQr(qr)).toMatchObject({ ok: true, payload: { id: saved.id, h: saved.contentSha256, s: stationId, t: saved.savedAt } });
    expect(await receipts.qrFor(saved.id)).toBe(qr);
    await store.getState().print(saved.id, { reprint: true });
    expect(hostSign).toHaveBeenCalledTimes(1);

    const offline = setup({ sign: async () => Promise.reject(new Error('NOT_ENROLLED')) });
    const other = await offline.records.save(request());
    await offline.store.getState().print(other.id);
    expect(offline.store.getState().sheet).toMatchObject({ recordId: other.id, qr: undefined, qrImage: undefined, reprintedAt: undefined });
    expect(offline.deps.audit).not.toHaveBeenCalled();
  });

  it('refuses to keep a QR that is not ours or names another record', async () => {
    const { records, receipts } = setup();
    const saved = await records.save(request());
    const { qr } = await signer.sign({ id: randomUUID(), contentSha256: saved.contentSha256, savedAt: saved.savedAt });
    await expect(receipts.keepReceipt(saved.id, qr)).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(receipts.keepReceipt(saved.id, 'XCQR1.nope')).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await receipts.qrFor(saved.id)).toBeUndefined();
  });

  it('Electron keeps a PDF of the chosen paper before the print dialog; 保存 PDF only saves; the browser prints (Save as PDF)', async () => {
    const electron = setup({ hostKind: () => 'electron' });
    const saved = await electron.records.save(request());
    electron.store.getState().setLayout('a5');
    await electron.store.getState().print(saved.id);
    expect(electron.order).toEqual(['pdf:a5', 'print']);
    await electron.store.getState().print(saved.id, { pdf: true });
    expect(electron.order).toEqual(['pdf:a5', 'print', 'pdf:a5']);
    expect(electron.store.getState().notice).toBe(t.print.savedPdf(`receipt-${saved.id}.pdf`));

    const browser = setup();
    const other = await browser.records.save(request());
    await browser.store.getState().print(other.id, { pdf: true });
    expect(browser.order).toEqual(['print']);
    expect(browser.deps.toPdf).not.toHaveBeenCalled();
    expect(browser.store.getState().notice).toBe(t.print.browserPdf);
  });

  it('says so for a record this station does not have, and lists a candidate’s records newest first', async () => {
    const { records, store } = setup();
    await store.getState().print(randomUUID(), { reprint: true });
    expect(store.getState().error).toBe(t.desk.notFound);
    expect(store.getState().sheet).toBeUndefined();

    const first = await records.save(request());
    const second = await records.save({ ...request(), supersedes: first.id });
    store.getState().setLookupInput(` ${lin.citizenId.toLowerCase()} `);
    await store.getState().find();
    expect(store.getState().lookup.records?.map((r) => [r.id, r.version])).toEqual([
      [second.id, 2],
      [first.id, 1],
    ]);
    store.getState().forget();
    expect(store.getState().lookup.records).toBeUndefined();
  });

  it('checks a scanned QR offline (trimmed, as a scanner gun types it) and clears the field', async () => {
    const { deps, store } = setup();
    store.getState().setCheckInput('  XCQR1.a.b\n');
    await store.getState().verifyQr();
    expect(deps.verifyOffline).toHaveBeenCalledWith('XCQR1.a.b');
    expect(store.getState().check).toEqual({ input: '', busy: false, result: { status: 'verified-signature', message: t.offline['verified-signature'] } });
  });
});
