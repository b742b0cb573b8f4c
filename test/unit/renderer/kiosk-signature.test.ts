import { describe, expect, it, vi } from 'vitest';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { KioskResponse } from '../../../core/contract/kiosk.js';
import { KioskResponse as KioskResponseSchema } from '../../../core/contract/kiosk.js';
import { createKioskStore } from '../../../renderer/kiosk/stores/kiosk-store.js';

const SESSION = '123e4567-e89b-42d3-a456-426614174000';
const candidate = {
  name: '林晓雨',
  citizenIdMasked: '410105********0223',
  sex: 'female',
  candidateType: 'fresh-graduate',
  major: '计算机科学与技术',
  examCity: '郑州',
  confirmationPoint: '郑州市金水区现场确认点',
  registrationNo: '2026410100001',
} as const;

function setup() {
  const sent: KioskResponse[] = [];
  const store = createKioskStore({
    call: (async (_method: string, payload: KioskResponse) => {
      // What the host would do: the answer must pass the contract.
      sent.push(KioskResponseSchema.parse(payload));
      return { ok: true };
    }) as never,
  });
  store.getState().showView({ kind: 'pledge', sessionId: SESSION, candidate });
  return { store, sent };
}

const stroke = (n: number) => Array.from({ length: n }, (_, i) => ({ x: i / n, y: 0.5, t: i * 16 }));

describe('kiosk signature', () => {
  it('refuses a tap as a signature, sends a real one for this session, and shows it was sent', async () => {
    const { store, sent } = setup();
    store.getState().addStroke(stroke(3));
    await store.getState().submitSignature();
    expect(sent).toHaveLength(0);
    expect(store.getState().error).toBe('签名过短，请完整签写您的姓名。');

    store.getState().clearSignature();
    expect(store.getState().strokes).toEqual([]);
    store.getState().addStroke(stroke(10));
    store.getState().addStroke(stroke(8));
    await store.getState().submitSignature();
    expect(sent).toEqual([{ kind: 'signature', sessionId: SESSION, strokes: [stroke(10), stroke(8)] }]);
    expect(store.getState().phase).toBe('signed');
  });

  it('a new view from staff starts with an empty pad', () => {
    const { store } = setup();
    store.getState().addStroke(stroke(20));
    store.getState().showView({ kind: 'pledge', sessionId: '123e4567-e89b-42d3-a456-426614174001', candidate });
    expect(store.getState().strokes).toEqual([]);
    expect(store.getState().phase).toBe('viewing');
  });
});

describe('the pledge must be read before it is signed (the rules bundle says how)', () => {
  it('no signature before the minimum reading time and the scroll to the end; then the same pad takes it', async () => {
    vi.useFakeTimers();
    try {
      const { store, sent } = setup();
      const pledge = { version: 'NM-2027.1', title: '诚信考试承诺书', paragraphs: ['本人承诺……', '如有违反……'], minReadSeconds: 15, requireScrollToEnd: true };
      store.getState().showView({ kind: 'pledge', sessionId: SESSION, candidate, pledge });
      expect(store.getState()).toMatchObject({ readRemaining: 15, scrolledToEnd: false });
      store.getState().addStroke(stroke(30));
      expect(store.getState().strokes).toHaveLength(0);
      await store.getState().submitSignature();
      expect(store.getState().error).toBe(zhCN.kiosk.readPledgeFirst);

      vi.advanceTimersByTime(10_000);
      expect(store.getState().readRemaining).toBe(5);
      vi.advanceTimersByTime(5_000);
      expect(store.getState().readRemaining).toBe(0);
      // Time alone is not enough: the text must have been scrolled to its last line.
      expect(store.getState().pledgeRead()).toBe(false);
      store.getState().markScrolledToEnd();
      store.getState().addStroke(stroke(30));
      await store.getState().submitSignature();
      expect(sent).toEqual([{ kind: 'signature', sessionId: SESSION, strokes: [stroke(30)] }]);

      // A new view starts the clock again.
      store.getState().showView({ kind: 'pledge', sessionId: SESSION, candidate, pledge });
      expect(store.getState().readRemaining).toBe(15);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a pledge without a gate (the built-in one) can be signed at once', () => {
    const { store } = setup();
    expect(store.getState().pledgeRead()).toBe(true);
    store.getState().addStroke(stroke(30));
    expect(store.getState().strokes).toHaveLength(1);
  });
});
