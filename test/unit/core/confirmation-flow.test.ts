import { describe, expect, it } from 'vitest';

import {
  flowSteps,
  initialFlowState,
  nextStep,
  stepStatus,
  transition,
  type FlowEvent,
  type FlowState,
  type FlowStep,
} from '../../../core/confirmation-flow/confirmation-flow.js';
import type { RosterEntry } from '../../../core/contract/roster.js';
import { InvalidStateError, StationError } from '../../../core/errors/station-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';

const candidate: RosterEntry = {
  registrationNo: '202641000001',
  citizenId: '410105200203140223',
  name: '林晓雨',
  sex: 'female',
  candidateType: 'fresh-graduate',
  major: '计算机科学与技术',
  examCity: '郑州市',
  confirmationPoint: '郑州市金水区现场确认点',
  status: 'pending',
};
const SESSION = '123e4567-e89b-42d3-a456-426614174000';
const identified: FlowEvent = { type: 'candidate-identified', sessionId: SESSION, candidate, source: 'chip' };

function run(events: FlowEvent[], from: FlowState = initialFlowState): FlowState {
  return events.reduce(transition, from);
}

/** The state reached on `step` by the normal path. */
function stateAt(step: FlowStep): FlowState {
  if (step === 'identify') return initialFlowState;
  const events: FlowEvent[] = [identified];
  for (const s of flowSteps.slice(1, flowSteps.indexOf(step))) {
    // The last step before done ends by concluding (saving the record), not by completing.
    events.push(s === 'candidate-confirm' ? { type: 'concluded', outcome: 'confirmed' } : { type: 'step-completed', step: s });
  }
  return run(events);
}

function expectInvalidState(fn: () => unknown): InvalidStateError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidStateError);
    expect(error).toBeInstanceOf(StationError);
    const e = error as InvalidStateError;
    expect(e.code).toBe('INVALID_STATE');
    expect(e.userMessage).toBe(zhCN.errors.invalidState);
    return e;
  }
  throw new Error('expected InvalidStateError');
}

describe('flowSteps / nextStep', () => {
  it('lists the six steps in order', () => {
    expect(flowSteps).toStrictEqual(['identify', 'verify-identity', 'collect', 'eligibility', 'candidate-confirm', 'done']);
  });

  it('advances one step and stays on done', () => {
    expect(nextStep('identify')).toBe('verify-identity');
    expect(nextStep('eligibility')).toBe('candidate-confirm');
    expect(nextStep('candidate-confirm')).toBe('done');
    expect(nextStep('done')).toBe('done');
  });

  it('has a catalogue label for every step', () => {
    for (const step of flowSteps) expect(zhCN.flow.steps[step]).toMatch(/[\u4e00-\u9fff]/u);
  });
});

describe('transition: the normal path', () => {
  it('starts on identify', () => {
    expect(initialFlowState).toStrictEqual({ step: 'identify' });
  });

  it('identifying a candidate moves to verify-identity and records the session, candidate and source', () => {
    expect(transition(initialFlowState, identified)).toStrictEqual({
      step: 'verify-identity',
      sessionId: SESSION,
      candidate,
      source: 'chip',
      completed: ['identify'],
    });
  });

  it('walks through every step in order to done, accumulating completed steps', () => {
    let state = transition(initialFlowState, { ...identified, source: 'manual' });
    const seen: FlowStep[] = [state.step];
    for (const step of ['verify-identity', 'collect', 'eligibility'] as const) {
      expect(state.step).toBe(step);
      state = transition(state, { type: 'step-completed', step });
      seen.push(state.step);
    }
    expect(state.step).toBe('candidate-confirm');
    state = transition(state, { type: 'concluded', outcome: 'confirmed' });
    seen.push(state.step);
    expect(seen).toStrictEqual(['verify-identity', 'collect', 'eligibility', 'candidate-confirm', 'done']);
    expect(state).toStrictEqual({
      step: 'done',
      sessionId: SESSION,
      candidate,
      source: 'manual',
      completed: ['identify', 'verify-identity', 'collect', 'eligibility', 'candidate-confirm'],
      outcome: 'confirmed',
    });
  });

  it('a rejection concludes the flow from the step where it happened', () => {
    const state = transition(stateAt('eligibility'), { type: 'concluded', outcome: 'rejected' });
    expect(state).toMatchObject({ step: 'done', outcome: 'rejected', completed: ['identify', 'verify-identity', 'collect', 'eligibility'] });
  });

  it('confirms only after the candidate-confirm step, and candidate-confirm ends only by concluding', () => {
    expect(expectInvalidState(() => transition(stateAt('eligibility'), { type: 'concluded', outcome: 'confirmed' })).detail).toBe(
      'a confirmation is concluded only after the candidate confirmed',
    );
    expect(expectInvalidState(() => transition(stateAt('candidate-confirm'), { type: 'step-completed', step: 'candidate-confirm' })).detail).toBe(
      'candidate-confirm ends by concluding',
    );
    expectInvalidState(() => transition(stateAt('done'), { type: 'concluded', outcome: 'rejected' }));
    expectInvalidState(() => transition(initialFlowState, { type: 'concluded', outcome: 'rejected' }));
  });

  it('is pure: the previous state is not modified', () => {
    const before = stateAt('collect');
    const snapshot = structuredClone(before);
    transition(before, { type: 'step-completed', step: 'collect' });
    expect(before).toStrictEqual(snapshot);
  });
});

describe('transition: refused events', () => {
  it.each(['verify-identity', 'collect', 'eligibility', 'candidate-confirm', 'done'] as const)(
    'refuses completing %s while on identify',
    (step) => {
      expectInvalidState(() => transition(initialFlowState, { type: 'step-completed', step }));
    },
  );

  it('refuses completing identify directly (identify completes by identifying)', () => {
    const error = expectInvalidState(() => transition(initialFlowState, { type: 'step-completed', step: 'identify' }));
    expect(error.detail).toBe('identify completes by identifying a candidate');
  });

  it.each<[FlowStep, FlowStep]>([
    ['verify-identity', 'collect'],
    ['verify-identity', 'candidate-confirm'],
    ['collect', 'verify-identity'],
    ['collect', 'eligibility'],
    ['eligibility', 'identify'],
    ['candidate-confirm', 'done'],
    ['done', 'candidate-confirm'],
  ])('refuses out-of-order completion: on %s, completing %s', (on, step) => {
    const state = stateAt(on);
    expect(state.step).toBe(on);
    const error = expectInvalidState(() => transition(state, { type: 'step-completed', step }));
    expect(error.detail).toBe(`cannot complete ${step} while on ${on}`);
  });

  it('refuses completing done', () => {
    const done = stateAt('done');
    expect(done.step).toBe('done');
    const error = expectInvalidState(() => transition(done, { type: 'step-completed', step: 'done' }));
    expect(error.detail).toBe('flow already done');
  });

  it.each(['verify-identity', 'collect', 'eligibility', 'candidate-confirm', 'done'] as const)(
    'refuses identifying a second candidate while on %s',
    (on) => {
      const state = stateAt(on);
      const error = expectInvalidState(() =>
        transition(state, { type: 'candidate-identified', sessionId: 'other', candidate: { ...candidate, name: '张浩然' }, source: 'ocr' }),
      );
      expect(error.detail).toBe(`candidate identified during ${on}`);
    },
  );

  it('leaves the state usable after a refused event', () => {
    const state = stateAt('collect');
    expectInvalidState(() => transition(state, { type: 'step-completed', step: 'eligibility' }));
    expect(transition(state, { type: 'step-completed', step: 'collect' }).step).toBe('eligibility');
  });
});

describe('transition: reset', () => {
  it.each(flowSteps)('resets to identify from %s', (step) => {
    expect(transition(stateAt(step), { type: 'reset' })).toStrictEqual({ step: 'identify' });
  });

  it('after a reset the next candidate can be identified with a new session', () => {
    const again = run([{ type: 'reset' }, { ...identified, sessionId: 'second-session', source: 'ocr' }], stateAt('eligibility'));
    expect(again).toMatchObject({ step: 'verify-identity', sessionId: 'second-session', source: 'ocr', completed: ['identify'] });
  });
});

describe('stepStatus', () => {
  it('on identify: identify is current, everything else pending', () => {
    expect(flowSteps.map((s) => stepStatus(initialFlowState, s))).toStrictEqual([
      'current',
      'pending',
      'pending',
      'pending',
      'pending',
      'pending',
    ]);
  });

  it('on eligibility: earlier steps done, eligibility current, later pending', () => {
    expect(flowSteps.map((s) => stepStatus(stateAt('eligibility'), s))).toStrictEqual([
      'done',
      'done',
      'done',
      'current',
      'pending',
      'pending',
    ]);
  });

  it('on done: all earlier steps done and done itself current', () => {
    expect(flowSteps.map((s) => stepStatus(stateAt('done'), s))).toStrictEqual(['done', 'done', 'done', 'done', 'done', 'current']);
  });

  it('just after identification: identify done, verify-identity current', () => {
    const state = transition(initialFlowState, identified);
    expect(stepStatus(state, 'identify')).toBe('done');
    expect(stepStatus(state, 'verify-identity')).toBe('current');
    expect(stepStatus(state, 'collect')).toBe('pending');
  });
});
