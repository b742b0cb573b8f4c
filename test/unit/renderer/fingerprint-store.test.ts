import { describe, expect, it } from 'vitest';
import type { FlowState } from '../../../core/confirmation-flow/confirmation-flow.js';
import type { FingerprintCaptureResult, FingerprintProgressEvent } from '../../../core/contract/fingerprint.js';
import type { SupervisorApproval } from '../../../core/contract/supervisor.js';
import { FingerprintError } from '../../../core/errors/fingerprint-error.js';
import { createFingerprintStore, fingerprintsReady, scannerUsable, type FingerprintDeps } from '../../../renderer/staff/stores/fingerprint-store.js';
import { sampleEntry, LIN } from '../../support/sample-roster.js';

const SESSION = '00000000-0000-4000-8000-000000000001';
const APPROVAL: SupervisorApproval = {
  approvalId: '123e4567-e89b-42d3-a456-426614174009',
  supervisorId: 'demo',
  supervisorName: '演示主管',
  action: 'fingerprint-exception',
  reason: '手指受伤',
  at: '2026-11-23T08:00:00.000Z',
};

let ids = 0;
function capture(finger: number, quality: number, attempts = 1, targetQuality = 40): FingerprintCaptureResult {
  ids += 1;
  return {
    captureId: `123e4567-e89b-42d3-a456-4266141740${String(ids).padStart(2, '0')}`,
    finger,
    quality,
    qualityScale: 'image-v1',
    targetQuality,
    attempts,
    accepted: quality >= targetQuality,
    imagePng: 'iVBORw0KGgo=',
    width: 256,
    height: 288,
    dpi: 500,
    template: 'AQID',
    templateFormat: 'r30x-char',
    imageSha256: 'a'.repeat(64),
    capturedAt: '2026-11-23T08:00:00.000Z',
  };
}

/** A fake host: scripted capture replies (or errors), and a duplicate verdict by the fake "finger identity". */
function setup(options: { card?: { fingerprint?: string }; approval?: SupervisorApproval | undefined } = {}) {
  const captures: (FingerprintCaptureResult | Error)[] = [];
  const identity = new Map<string, string>();
  const calls: [string, unknown][] = [];
  let progress: ((event: FingerprintProgressEvent) => void) | undefined;
  let flow: FlowState = {
    step: 'collect',
    sessionId: SESSION,
    candidate: sampleEntry(LIN),
    source: options.card ? 'chip' : 'manual',
    ...(options.card ? { card: { source: 'chip', cardType: 'resident', name: '林晓雨', sex: 'female', sexCode: '2', birthDate: '20020314', idNumber: LIN, validFrom: '20200101', validTo: '20300101', ...options.card } } : {}),
  } as FlowState;
  const asked: string[] = [];
  const deps: FingerprintDeps = {
    api: {
      call: (async (method: string, payload: unknown) => {
        calls.push([method, payload]);
        if (method === 'fingerprint.capture') {
          const next = captures.shift();
          if (!next) throw new Error('no scripted capture');
          if (next instanceof Error) throw next;
          progress?.({ finger: next.finger, attempt: 1, maxAttempts: 3, phase: 'waiting', message: '请将手指平放在指纹仪上' });
          return next;
        }
        if (method === 'fingerprint.checkDuplicate') {
          const { first, second } = payload as { first: string; second: string };
          return { duplicate: identity.get(first) === identity.get(second), evidence: [{ method: 'device-match', score: 0, threshold: 50, same: false }] };
        }
        if (method === 'fingerprint.cancel') return { ok: true };
        throw new Error(`unexpected ${method}`);
      }) as FingerprintDeps['api']['call'],
      on: ((event: string, listener: (event: FingerprintProgressEvent) => void) => {
        if (event === 'fingerprint.progress') progress = listener;
        return () => undefined;
      }) as FingerprintDeps['api']['on'],
    },
    ask: async (action) => {
      asked.push(action);
      return 'approval' in options ? options.approval : APPROVAL;
    },
    flow: () => flow,
    settings: () => undefined,
  };
  const store = createFingerprintStore(deps);
  return {
    store,
    calls,
    asked,
    /** The next capture returns this, presented by the "physical finger" `who`. */
    next(result: FingerprintCaptureResult | Error, who?: string) {
      if (!(result instanceof Error)) identity.set(result.captureId, who ?? `finger-${result.finger}`);
      captures.push(result);
    },
    setFlow(next: FlowState) {
      flow = next;
    },
  };
}

describe('fingerprint store', () => {
  it('asks for the right then the left index finger, captures, and is ready once both are confirmed', async () => {
    const { store, next, calls } = setup();
    expect(store.getState().slots.map((s) => [s.finger, s.status])).toEqual([
      [2, 'pending'],
      [7, 'pending'],
    ]);
    expect(store.ready()).toBe(false);
    next(capture(2, 82));
    await store.getState().capture(0);
    expect(calls[0]).toEqual(['fingerprint.capture', { finger: 2, sessionId: SESSION, targetQuality: 40, maxAttempts: 3 }]);
    expect(store.getState().slots[0]).toMatchObject({ status: 'captured', attempts: 1, message: undefined });
    store.getState().confirm(0);
    next(capture(7, 75));
    await store.getState().capture(1);
    // The second finger was checked against the first.
    expect(calls.map(([m]) => m)).toEqual(['fingerprint.capture', 'fingerprint.capture', 'fingerprint.checkDuplicate']);
    store.getState().confirm(1);
    expect(store.ready()).toBe(true);
    expect(fingerprintsReady(store.getState())).toBe(true);

    const part = store.contribution();
    expect(part.content).toEqual({
      fingerprints: [
        { finger: 2, status: 'captured', quality: 82, attempts: 1 },
        { finger: 7, status: 'captured', quality: 75, attempts: 1 },
      ],
    });
    expect(part.blobs.map((b) => [b.role, b.mime])).toEqual([
      ['fingerprint-image-2', 'image/png'],
      ['fingerprint-template-2', 'application/octet-stream'],
      ['fingerprint-image-7', 'image/png'],
      ['fingerprint-template-7', 'application/octet-stream'],
    ]);
    expect([...part.blobs[1]!.bytes]).toEqual([1, 2, 3]);
    expect(part.approvals).toEqual([]);
  });

  it('shows a low-quality capture with a warning; a retake replaces it and attempts add up', async () => {
    const { store, next } = setup();
    next(capture(2, 31, 3));
    await store.getState().capture(0);
    expect(store.getState().slots[0]).toMatchObject({
      status: 'captured',
      attempts: 3,
      message: { kind: 'warning', text: '多次采集仍未达到质量要求（最好一次为 31，要求 40），已保留质量最好的一次。' },
    });
    next(capture(2, 77, 1));
    await store.getState().capture(0);
    expect(store.getState().slots[0]).toMatchObject({ status: 'captured', attempts: 4, message: undefined, capture: { quality: 77 } });
  });

  it('records a below-threshold capture staff kept, with the reason', async () => {
    const { store, next } = setup();
    next(capture(2, 31, 3));
    await store.getState().capture(0);
    store.getState().confirm(0);
    expect(store.contribution().content.fingerprints?.[0]).toEqual({
      finger: 2,
      status: 'captured',
      quality: 31,
      attempts: 3,
      reason: '质量 31 低于要求 40，经工作人员确认保留',
    });
  });

  it('refuses the same finger presented for the second slot, with a clear message, and takes the retake', async () => {
    const { store, next } = setup();
    next(capture(2, 80), 'right-index');
    await store.getState().capture(0);
    store.getState().confirm(0);
    next(capture(7, 80), 'right-index');
    await store.getState().capture(1);
    expect(store.getState().slots[1]).toMatchObject({
      status: 'pending',
      capture: undefined,
      attempts: 1,
      message: { kind: 'error', text: '两次采集的似乎是同一根手指，请按要求换另一根手指重新采集。' },
    });
    expect(store.ready()).toBe(false);
    next(capture(7, 70), 'left-index');
    await store.getState().capture(1);
    expect(store.getState().slots[1]).toMatchObject({ status: 'captured', attempts: 2, message: undefined });
  });

  it('keeps an earlier capture when a retake fails, and shows the error', async () => {
    const { store, next } = setup();
    next(capture(2, 80));
    await store.getState().capture(0);
    next(new FingerprintError('no-finger', 'timeout'));
    await store.getState().capture(0);
    expect(store.getState().slots[0]).toMatchObject({ status: 'captured', capture: { quality: 80 }, message: { kind: 'error', text: expect.stringContaining('未检测到手指') } });
    expect(store.getState().busy).toBe(false);
  });

  it('takes another finger for a missing one and records the substitution', async () => {
    const { store, next, calls } = setup();
    // The left index is taken by slot 1: it cannot be chosen for slot 0.
    store.getState().chooseFinger(0, 7);
    expect(store.getState().slots[0]!.finger).toBe(2);
    store.getState().chooseFinger(0, 3);
    next(capture(3, 66));
    await store.getState().capture(0);
    expect(calls.at(-1)).toEqual(['fingerprint.capture', expect.objectContaining({ finger: 3 })]);
    store.getState().confirm(0);
    expect(store.contribution().content.fingerprints?.[0]).toMatchObject({ finger: 3, status: 'captured', reason: '代替右手食指采集' });
  });

  it('marks a finger unavailable with a supervisor approval, recorded with the approval id', async () => {
    const { store, next, asked } = setup();
    next(capture(2, 90));
    await store.getState().capture(0);
    store.getState().confirm(0);
    await store.getState().markUnavailable(1);
    expect(asked).toEqual(['fingerprint-exception']);
    expect(store.getState().slots[1]).toMatchObject({ status: 'unavailable', approval: APPROVAL });
    expect(store.ready()).toBe(true);
    const part = store.contribution();
    expect(part.content.fingerprints?.[1]).toEqual({ finger: 7, status: 'unavailable', attempts: 0, reason: '手指受伤', approvalId: APPROVAL.approvalId });
    expect(part.approvals).toEqual([APPROVAL]);
    expect(part.blobs.map((b) => b.role)).toEqual(['fingerprint-image-2', 'fingerprint-template-2']);
  });

  it('changes nothing when the supervisor approval is cancelled', async () => {
    const { store } = setup({ approval: undefined });
    await store.getState().markUnavailable(1);
    expect(store.getState().slots[1]!.status).toBe('pending');
    expect(store.ready()).toBe(false);
  });

  it('keeps the chip fingerprint as a blob and flags it', async () => {
    const { store } = setup({ card: { fingerprint: 'QUJD' } });
    const part = store.contribution();
    expect(part.content.chipFingerprint).toBe(true);
    expect(part.blobs).toEqual([{ role: 'chip-fingerprint', mime: 'application/octet-stream', bytes: new Uint8Array([0x41, 0x42, 0x43]) }]);
    // A card without fingerprint data says so; a typed number says nothing about the chip.
    expect(setup({ card: {} }).store.contribution().content.chipFingerprint).toBe(false);
    expect(setup().store.contribution().content).not.toHaveProperty('chipFingerprint');
  });

  it('shows the host’s progress prompt while capturing, and a new candidate starts clean', async () => {
    const { store, next } = setup();
    let seen: string | undefined;
    const stop = store.subscribe((s) => (seen = s.prompt ?? seen));
    next(capture(2, 80));
    await store.getState().capture(0);
    stop();
    expect(seen).toBe('请将手指平放在指纹仪上');
    store.getState().confirm(0);
    store.reset();
    expect(store.getState().slots.map((s) => s.status)).toEqual(['pending', 'pending']);
    expect(store.contribution().content.fingerprints).toEqual([]);
  });

  it('does not capture outside a confirmation session', async () => {
    const { store, setFlow, calls } = setup();
    setFlow({ step: 'identify' });
    await store.getState().capture(0);
    expect(calls).toEqual([]);
  });

  it('knows whether a scanner can be used from the device list', () => {
    expect(scannerUsable([])).toBe(false);
    expect(scannerUsable([{ kind: 'fingerprint-scanner', state: 'disconnected', simulated: false, model: 'x' }])).toBe(false);
    expect(scannerUsable([{ kind: 'fingerprint-scanner', state: 'ready', simulated: true, model: 'x' }])).toBe(true);
  });
});
