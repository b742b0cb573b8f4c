import { describe, expect, it } from 'vitest';
import { initialFlowState, transition, type FlowEvent, type FlowState } from '../../../core/confirmation-flow/confirmation-flow.js';
import { answerSurvives, kioskPhase } from '../../../renderer/staff/services/kiosk-view.js';
import { LIN, sampleEntry } from '../../support/sample-roster.js';

const candidate = sampleEntry(LIN);
const SESSION = '123e4567-e89b-42d3-a456-426614174000';
const OTHER = '123e4567-e89b-42d3-a456-426614174001';
const run = (events: FlowEvent[]): FlowState => events.reduce(transition, initialFlowState);
const verifying = run([{ type: 'candidate-identified', sessionId: SESSION, candidate, source: 'chip' }]);
const collecting = transition(verifying, { type: 'step-completed', step: 'verify-identity' });
const shown = { status: 'shown' } as const;

describe('kiosk phase (the one model behind every kiosk text in the staff window)', () => {
  it('waits for the check, then says checked the moment the answer arrives', () => {
    expect(kioskPhase(verifying, shown, undefined)).toEqual({ kind: 'awaiting-check' });
    expect(kioskPhase(verifying, shown, { kind: 'confirm', sessionId: SESSION })).toEqual({ kind: 'checked' });
  });

  it('keeps 信息无误 when staff move on while the kiosk still shows the same data', () => {
    expect(answerSurvives(verifying, collecting)).toBe(true);
    expect(kioskPhase(collecting, shown, { kind: 'confirm', sessionId: SESSION })).toEqual({ kind: 'checked' });
  });

  it('ignores an answer for another session and reports errors with their fields', () => {
    expect(kioskPhase(verifying, shown, { kind: 'confirm', sessionId: OTHER })).toEqual({ kind: 'awaiting-check' });
    expect(kioskPhase(verifying, shown, { kind: 'report-error', sessionId: SESSION, fields: ['major'], note: '应为会计学' })).toEqual({
      kind: 'reported',
      fields: ['major'],
      note: '应为会计学',
    });
  });

  it('on the pledge view waits for the signature; a failed display wins over everything', () => {
    let flow = collecting;
    for (const step of ['collect', 'eligibility'] as const) flow = transition(flow, { type: 'step-completed', step });
    expect(answerSurvives(collecting, flow)).toBe(false);
    expect(kioskPhase(flow, shown, undefined)).toEqual({ kind: 'awaiting-signature' });
    expect(kioskPhase(flow, shown, { kind: 'signature', sessionId: SESSION, strokes: [] })).toEqual({ kind: 'signed' });
    expect(kioskPhase(flow, { status: 'failed', message: '连接断开' }, undefined)).toEqual({ kind: 'failed', message: '连接断开' });
    expect(kioskPhase(initialFlowState, shown, undefined)).toEqual({ kind: 'idle' });
  });
});
