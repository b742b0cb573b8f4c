import { describe, expect, it, vi } from 'vitest';

import { createPrintReceipt } from '../../../renderer/staff/services/print-receipt.js';
import type { SavedRecord } from '../../../renderer/staff/stores/confirmation-store.js';

const saved: SavedRecord = {
  id: '3f2b8c1e-5d4a-4b6e-9c7d-1a2b3c4d5e6f',
  outcome: 'confirmed',
  reasons: [],
  savedAt: '2026-11-23T08:00:00.000Z',
  candidateName: '林晓雨',
  citizenIdMasked: '410105********0223',
};

function setup(hostKind: 'electron' | 'browser', call = vi.fn(async () => ({ fileName: `receipt-${saved.id}.pdf`, bytes: 1000 }))) {
  const order: string[] = [];
  call.mockImplementation(async () => {
    order.push('pdf');
    return { fileName: `receipt-${saved.id}.pdf`, bytes: 1000 };
  });
  const print = vi.fn(() => order.push('print'));
  const onPdfFailed = vi.fn();
  const printReceipt = createPrintReceipt({ api: { call } as never, hostKind: () => hostKind, saved: () => saved, print, onPdfFailed });
  return { printReceipt, call, print, order, onPdfFailed };
}

describe('printReceipt', () => {
  it('in Electron keeps the PDF copy first, then opens the print dialog', async () => {
    const { printReceipt, call, order } = setup('electron');
    await printReceipt();
    expect(call).toHaveBeenCalledWith('print.toPdf', { document: 'receipt', recordId: saved.id });
    expect(order).toEqual(['pdf', 'print']);
  });

  it('in the browser host only prints', async () => {
    const { printReceipt, call, print } = setup('browser');
    await printReceipt();
    expect(call).not.toHaveBeenCalled();
    expect(print).toHaveBeenCalledTimes(1);
  });

  it('a PDF that could not be saved never stops the paper copy', async () => {
    const { printReceipt, call, print, onPdfFailed } = setup('electron');
    call.mockRejectedValueOnce(new Error('回执 PDF 保存失败'));
    await printReceipt();
    expect(onPdfFailed).toHaveBeenCalledWith('回执 PDF 保存失败');
    expect(print).toHaveBeenCalledTimes(1);
  });
});
