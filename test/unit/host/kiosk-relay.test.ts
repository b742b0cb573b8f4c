import { describe, expect, it } from 'vitest';
import type { KioskResponse, KioskView } from '../../../core/contract/kiosk.js';
import { ValidationError } from '../../../core/errors/station-error.js';
import { KioskRelay } from '../../../host/services/kiosk-relay.js';
import { toKioskCandidate } from '../../../renderer/staff/services/kiosk-view.js';
import { LIN, sampleEntry } from '../../support/sample-roster.js';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const view = (sessionId: string): KioskView => ({ kind: 'verify-info', sessionId, candidate: toKioskCandidate(sampleEntry(LIN)) });

function relay() {
  const toKiosk: KioskView[] = [];
  const toStaff: KioskResponse[] = [];
  return { relay: new KioskRelay({ toKiosk: (v) => toKiosk.push(v), toStaff: (r) => toStaff.push(r) }), toKiosk, toStaff };
}

describe('KioskRelay', () => {
  it('passes one answer per view to staff and refuses a second one', () => {
    const { relay: r, toStaff } = relay();
    r.show(view(A));
    r.respond({ kind: 'confirm', sessionId: A });
    expect(() => r.respond({ kind: 'report-error', sessionId: A, fields: ['name'], note: '' })).toThrow(ValidationError);
    expect(toStaff).toEqual([{ kind: 'confirm', sessionId: A }]);
    // Staff asks again by showing the view again.
    r.show(view(A));
    r.respond({ kind: 'report-error', sessionId: A, fields: ['name'], note: '' });
    expect(toStaff).toHaveLength(2);
  });

  it('refuses answers for another session, while idle, and answers the view did not ask for', () => {
    const { relay: r, toStaff } = relay();
    expect(() => r.respond({ kind: 'confirm', sessionId: A })).toThrow(expect.objectContaining({ userMessage: '本次确认已结束，请等待工作人员办理。' }));
    r.show(view(A));
    expect(() => r.respond({ kind: 'confirm', sessionId: B })).toThrow(ValidationError);
    expect(() => r.respond({ kind: 'signature', sessionId: A, strokes: [[{ x: 0.1, y: 0.1, t: 0 }]] })).toThrow(ValidationError);
    expect(toStaff).toEqual([]);
    r.respond({ kind: 'confirm', sessionId: A });
    expect(toStaff).toEqual([{ kind: 'confirm', sessionId: A }]);
  });

  it('keeps the current view for a kiosk that reconnects', () => {
    const { relay: r, toKiosk } = relay();
    expect(r.current).toEqual({ kind: 'idle' });
    r.show(view(B));
    expect(r.current).toEqual(view(B));
    expect(toKiosk).toEqual([view(B)]);
  });
});

describe('KioskRelay status', () => {
  it('tells a reconnecting staff window the view on screen and the answer it got', () => {
    const { relay: r } = relay();
    r.show(view(A));
    expect(r.status).toEqual({ view: view(A), answer: null });
    r.respond({ kind: 'confirm', sessionId: A });
    expect(r.status).toEqual({ view: view(A), answer: { kind: 'confirm', sessionId: A } });
    r.show({ kind: 'idle' });
    expect(r.status).toEqual({ view: { kind: 'idle' }, answer: null });
  });
});
