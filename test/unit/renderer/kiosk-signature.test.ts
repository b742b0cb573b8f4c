import { describe, expect, it } from 'vitest';
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
