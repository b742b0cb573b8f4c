import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { OcrMessage, type OcrRequest, type OcrWarmUp } from '../../../renderer/ocr-worker/ocr-protocol.js';
import { IdCardOcrResult } from '../../../renderer/ocr/schema.js';
import type { CheckInState } from '../../../renderer/staff/stores/check-in-store.js';
import { createOcrStore } from '../../../renderer/staff/stores/ocr-store.js';
import { LIN } from '../../support/sample-roster.js';

const f = (value: string, needsReview = false, confidence = 0.9) => ({ value, confidence, needsReview, reasons: needsReview ? ['low-confidence'] : [] });
const card = { quad: [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 1 }, { x: 0, y: 1 }], confidence: 0.9, method: 'edges' };

/** A result as the worker sends it; parsed with the OCR schema, so the fixture itself is a valid reply. */
function result(number: string, nameReview: boolean): IdCardOcrResult {
  return IdCardOcrResult.parse({
    front: {
      card,
      name: { ...f('林晓十', nameReview, 0.4), reasons: nameReview ? ['low-confidence'] : [] },
      sex: f('female'),
      nation: { ...f('汉'), code: '01' },
      birthDate: f('20020314'),
      address: f('河南省郑州市金水区文化路88号'),
      idNumber: { ...f(number), valid: number === LIN, repair: 'none' },
    },
    needsReview: nameReview,
    timings: { total: 500 },
  });
}

/** A worker that answers each request with the given result (or garbage first, which must be ignored). */
function fakeWorker(reply: (request: OcrRequest) => unknown) {
  const listeners: ((event: MessageEvent) => void)[] = [];
  const requests: OcrRequest[] = [];
  const warmUps: OcrWarmUp[] = [];
  let created = 0;
  return {
    requests,
    warmUps,
    created: () => created,
    create() {
      created++;
      return this.worker;
    },
    worker: {
      postMessage(request: OcrRequest | OcrWarmUp) {
        if ('warmUp' in request) return void warmUps.push(request);
        requests.push(request);
        queueMicrotask(() => {
          for (const l of listeners) l({ data: { nonsense: true } } as MessageEvent);
          for (const l of listeners) l({ data: reply(request) } as MessageEvent);
        });
      },
      addEventListener: (_type: 'message', listener: (event: MessageEvent) => void) => void listeners.push(listener),
    },
  };
}

function setup(ocr: IdCardOcrResult | { fail: string }) {
  const identified: { number: string; read: unknown }[] = [];
  const checkIn = createStore<CheckInState>()(() => ({ identifyFromOcr: async (number: string, read: unknown) => void identified.push({ number, read }) }) as unknown as CheckInState);
  const fake = fakeWorker((request) => ('fail' in ocr ? { id: request.id, ok: false, message: ocr.fail } : { id: request.id, ok: true, result: ocr }));
  const image = { width: 2, height: 2, data: new Uint8ClampedArray(16) };
  const store = createOcrStore({ checkIn, worker: () => fake.create(), decode: async () => image, grabFrame: async () => image });
  return { store, identified, fake };
}

describe('OCR store', () => {
  it('prefills fields, insists that highlighted ones are looked at, then looks the candidate up with per-field sources', async () => {
    const { store, identified, fake } = setup(result(LIN, true));
    await store.getState().read(new Blob([new Uint8Array([1])]));
    expect(fake.requests[0]?.front).toMatchObject({ width: 2, height: 2 });
    const phase = store.getState().phase;
    expect(phase.status).toBe('review');
    if (phase.status !== 'review') return;
    expect(phase.fields.find((x) => x.key === 'name')).toMatchObject({ value: '林晓十', needsReview: true, source: 'ocr' });

    await store.getState().confirm();
    expect(identified).toHaveLength(0);
    expect(store.getState().phase).toMatchObject({ message: '请先核对所有标黄的项目。' });

    store.getState().edit('name', '林晓雨');
    await store.getState().confirm();
    expect(identified).toEqual([
      {
        number: LIN,
        read: {
          name: '林晓雨',
          fieldSources: { name: 'manual', sex: 'ocr', nation: 'ocr', birthDate: 'ocr', address: 'ocr', idNumber: 'ocr' },
        },
      },
    ]);
    expect(store.getState().phase).toEqual({ status: 'idle' });
  });

  it('refuses a number that fails the check digit until staff correct it', async () => {
    const wrong = `${LIN.slice(0, 17)}1`;
    const { store, identified } = setup(result(wrong, false));
    await store.getState().read(new Blob([new Uint8Array([1])]));
    await store.getState().confirm();
    expect(identified).toHaveLength(0);
    expect(store.getState().phase).toMatchObject({ message: '身份号码不正确，请核对后修改。' });
    store.getState().edit('idNumber', LIN);
    await store.getState().confirm();
    expect(identified[0]).toMatchObject({ number: LIN, read: { fieldSources: { idNumber: 'manual' } } });
  });

  it('camera captures: reads only once the front is taken; a worker failure is shown', async () => {
    const { store, fake } = setup({ fail: '未找到身份证，请将证件完整放入画面后重试' });
    await store.getState().readCaptured();
    expect(fake.requests).toHaveLength(0);
    await store.getState().captureSide('front');
    expect(store.getState().captured).toEqual({ front: true, back: false });
    await store.getState().readCaptured();
    expect(store.getState().phase).toEqual({ status: 'error', message: '未找到身份证，请将证件完整放入画面后重试' });
  });
  it('prepare() starts the worker and its engines once; the card then goes to the same worker', async () => {
    const { store, fake } = setup(result(LIN, false));
    store.getState().prepare();
    store.getState().prepare();
    expect(fake.created()).toBe(1);
    expect(fake.warmUps).toEqual([{ warmUp: true }]);
    // What the store sends is what the worker accepts.
    expect(OcrMessage.safeParse(fake.warmUps[0]).success).toBe(true);
    await store.getState().read(new Blob([new Uint8Array([1])]));
    expect(fake.created()).toBe(1);
    expect(fake.requests).toHaveLength(1);
    expect(store.getState().phase.status).toBe('review');
  });
});
