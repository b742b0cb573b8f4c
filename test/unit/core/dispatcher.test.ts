import { defaultFaceConfig } from '../../../core/contract/face-config.js';
import { describe, expect, it, vi } from 'vitest';

import { createDispatcher, describeIssues, type FailureListener, type Handlers } from '../../../core/api/dispatcher.js';
import { toWireError } from '../../../core/errors/station-error.js';
import type { KioskCandidate } from '../../../core/contract/kiosk.js';
import type { Role, StationInfo } from '../../../core/contract/station-api.js';
import { WireReply, type WireError } from '../../../core/contract/wire.js';
import { DeviceError, StationError, ValidationError } from '../../../core/errors/station-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { RosterSeed } from '../../../core/contract/roster.js';
import { z } from 'zod';
import { BUILTIN_RULES } from '../../../core/rules/builtin.js';

// ---------------------------------------------------------------------------------------------------------------
// Fixtures

/** A valid, checksummed citizen id (from the synthetic sample roster); it must never show up in error details. */
const CITIZEN_ID = '410105200203140223';
const SESSION = '123e4567-e89b-42d3-a456-426614174000';

const info: StationInfo = { hostKind: 'browser', appVersion: '0.1.0', stationName: '1号工位', simulatorsActive: true, policy: { rosterMaxAgeHours: 24, faceCheck: 'required', standardPhoto: 'required', fingerprints: 'required' }, face: defaultFaceConfig };

const seed: RosterSeed = {
  pointCode: 'ZZ-JS-01',
  pointName: '郑州市金水区现场确认点',
  generatedAt: '2026-11-20T08:00:00+08:00',
  synthetic: true,
  entries: [],
};

const candidate: KioskCandidate = {
  name: '林晓雨',
  citizenIdMasked: '410105********0223',
  sex: 'female',
  candidateType: 'fresh-graduate',
  major: '计算机科学与技术',
  examCity: '郑州市',
  confirmationPoint: '郑州市金水区现场确认点',
  registrationNo: '202641000001',
};

const fingerprintCapture = {
  captureId: '123e4567-e89b-42d3-a456-426614174002',
  finger: 2,
  quality: 80,
  qualityScale: 'image-v1',
  targetQuality: 40,
  attempts: 1,
  accepted: true,
  imagePng: '',
  width: 256,
  height: 288,
  dpi: 500,
  imageSha256: 'a'.repeat(64),
  capturedAt: '2026-11-23T08:00:00.000Z',
};

function staffHandlers(overrides: Partial<Handlers<'staff'>> = {}) {
  return {
    'station.info': vi.fn(() => info),
    'devices.list': vi.fn(() => [
      { kind: 'idcard-reader' as const, state: 'ready' as const, simulated: true, model: '模拟身份证阅读器' },
    ]),
    'devices.simulate': vi.fn(() => ({ ok: true as const })),
    'station.readiness': vi.fn(() => ({ checkedAt: '2026-11-23T08:00:00.000Z', freeDiskBytes: 5e10 })),
    'export.dayLog': vi.fn(() => ({ fileName: 'x.csv', bytes: 3, sha256: 'a'.repeat(64), downloadPath: '/download/abcdefghijklmnopqrst' })),
    'roster.loadSeed': vi.fn(() => seed),
    'kiosk.show': vi.fn(() => ({ ok: true as const })),
    'kiosk.status': vi.fn(() => ({ view: { kind: 'idle' as const }, answer: null })),
    'simulator.idcard': vi.fn(() => ({ ok: true as const })),
    'fingerprint.capture': vi.fn(() => fingerprintCapture),
    'fingerprint.cancel': vi.fn(() => ({ ok: true as const })),
    'fingerprint.checkDuplicate': vi.fn(() => ({ duplicate: false, evidence: [] })),
    'simulator.fingerprint': vi.fn(() => ({ ok: true as const })),
    'simulator.network': vi.fn(() => ({ ok: true as const })),
    'rules.current': vi.fn(() => ({ source: 'builtin' as const, bundle: BUILTIN_RULES })),
    'central.status': vi.fn(() => ({ enrolled: false })),
    'central.enroll': vi.fn(() => ({ enrolled: false })),
    'central.uploadBlob': vi.fn(() => ({ sha256: 'a'.repeat(64), size: 1, created: true })),
    'central.uploadBatch': vi.fn(() => ({ results: [] })),
    'central.rosterDelta': vi.fn(() => ({ entries: [], nextCursor: '0', done: true, remaining: 0 })),
    'central.fetchBlob': vi.fn(() => ({ sha256: 'a'.repeat(64), mime: 'image/jpeg' as const, base64: '' })),
    'central.uploadAudit': vi.fn(() => ({ stored: 0, duplicates: 0, lastSeq: 0, breaks: [] })),
    'central.dayClose': vi.fn(() => ({ dayClose: { record: { id: '123e4567-e89b-42d3-a456-426614174000', stationId: '123e4567-e89b-42d3-a456-426614174001', pointCode: 'P1', day: '2026-11-24', closedAt: '2026-11-24T18:00:00Z', closedBy: { accountId: 's1', name: '王主管', role: 'supervisor' as const }, counts: { total: 0, confirmed: 0, rejected: 0, acknowledged: 0, handedOff: 0 }, records: { count: 0, sha256: 'a'.repeat(64) } }, signature: `${'A'.repeat(86)}==` }, reply: { id: '123e4567-e89b-42d3-a456-426614174000', status: 'stored' as const, version: 1 } })),
    'handoff.build': vi.fn(() => ({ fileName: 'x.xqb', sha256: 'a'.repeat(64), bytes: 0, counts: { records: 0, blobs: 0, audit: 0 } })),
    'handoff.stageBlobs': vi.fn(() => ({ staged: 0 })),
    'storage.dataKey': vi.fn(() => ({ keyBase64: `${'A'.repeat(43)}=` })),
    'supervisor.list': vi.fn(() => ({ supervisors: [], demo: false })),
    'staff.accounts': vi.fn(() => ({ accounts: [], source: 'none' as const })),
    'staff.signIn': vi.fn(() => ({ actor: { accountId: 'wang', name: '王主管', role: 'supervisor' as const }, signedInAt: '2026-11-23T08:00:00+08:00', idleLockMinutes: 10 })),
    'staff.signOut': vi.fn(() => ({ ok: true as const })),
    'staff.session': vi.fn(() => null),
    'staff.lock': vi.fn(() => ({ ok: true as const })),
    'receipt.sign': vi.fn(() => ({ qr: 'XCQR1.x.y', payload: { id: '123e4567-e89b-42d3-a456-426614174000', h: 'a'.repeat(64), s: '123e4567-e89b-42d3-a456-426614174001', t: '2026-11-23T08:00:00.000Z' } })),
    'receipts.verifyOffline': vi.fn(() => ({ status: 'malformed' as const, message: '不是回执' })),
    'print.toPdf': vi.fn(() => ({ fileName: 'receipt-123e4567-e89b-42d3-a456-426614174000.pdf', bytes: 1024 })),
    'supervisor.authorize': vi.fn(() => ({ approvalId: '123e4567-e89b-42d3-a456-426614174000', supervisorId: 's1', supervisorName: '王主管', action: 'roster-stale' as const, reason: '网络故障', at: '2026-11-23T08:00:00+08:00' })),
    ...overrides,
  };
}

function kioskHandlers(overrides: Partial<Handlers<'kiosk'>> = {}) {
  return {
    'kiosk.current': vi.fn(() => ({ kind: 'idle' as const })),
    'kiosk.respond': vi.fn(() => ({ ok: true as const })),
    ...overrides,
  };
}

function expectError(reply: WireReply): WireError {
  // Every reply must also be a well-formed wire reply (it goes straight onto IPC / the socket).
  expect(WireReply.safeParse(reply).success).toBe(true);
  if (reply.ok) throw new Error(`expected an error reply, got ok: ${JSON.stringify(reply.value)}`);
  return reply.error;
}

const HAN = /[\u4e00-\u9fff]/u;

// ---------------------------------------------------------------------------------------------------------------

describe('createDispatcher: successful calls', () => {
  it('returns {ok:true, value} with the handler result', async () => {
    const handlers = staffHandlers();
    const dispatch = createDispatcher('staff', handlers);
    await expect(dispatch('station.info', {})).resolves.toStrictEqual({ ok: true, value: info });
    expect(handlers['station.info']).toHaveBeenCalledTimes(1);
    expect(handlers['station.info']).toHaveBeenCalledWith({});
  });

  it('passes the validated payload to the handler and awaits async handlers', async () => {
    const simulate = vi.fn(async () => ({ ok: true as const }));
    const dispatch = createDispatcher('staff', staffHandlers({ 'devices.simulate': simulate }));
    await expect(dispatch('devices.simulate', { kind: 'fingerprint-scanner', state: 'fault' })).resolves.toStrictEqual({
      ok: true,
      value: { ok: true },
    });
    expect(simulate).toHaveBeenCalledWith({ kind: 'fingerprint-scanner', state: 'fault' });
  });

  it('accepts a verify-info view for kiosk.show and every kiosk response kind', async () => {
    const staff = staffHandlers();
    const kiosk = kioskHandlers();
    const staffDispatch = createDispatcher('staff', staff);
    const kioskDispatch = createDispatcher('kiosk', kiosk);
    const view = { kind: 'verify-info', sessionId: SESSION, candidate };
    await expect(staffDispatch('kiosk.show', view)).resolves.toStrictEqual({ ok: true, value: { ok: true } });
    expect(staff['kiosk.show']).toHaveBeenCalledWith(view);

    for (const response of [
      { kind: 'confirm', sessionId: SESSION },
      { kind: 'report-error', sessionId: SESSION, fields: ['name', 'photo'], note: '姓名有误' },
      { kind: 'signature', sessionId: SESSION, strokes: [[{ x: 0, y: 1, t: 0 }, { x: 0.5, y: 0.5, t: 600_000 }]] },
    ]) {
      await expect(kioskDispatch('kiosk.respond', response)).resolves.toStrictEqual({ ok: true, value: { ok: true } });
    }
    expect(kiosk['kiosk.respond']).toHaveBeenCalledTimes(3);
    await expect(kioskDispatch('kiosk.current', {})).resolves.toStrictEqual({ ok: true, value: { kind: 'idle' } });
  });

  it('does not call onFailure for successful calls', async () => {
    const onFailure = vi.fn<FailureListener>();
    const dispatch = createDispatcher('staff', staffHandlers(), onFailure);
    await dispatch('devices.list', {});
    expect(onFailure).not.toHaveBeenCalled();
  });
});

describe('createDispatcher: method routing', () => {
  it('answers an unknown method with UNKNOWN_METHOD', async () => {
    const dispatch = createDispatcher('staff', staffHandlers());
    const error = expectError(await dispatch('roster.deleteAll', {}));
    expect(error.code).toBe('UNKNOWN_METHOD');
    expect(error.message).toBe(zhCN.errors.unknownMethod);
  });

  it.each(['roster.loadSeed', 'kiosk.show', 'devices.list', 'devices.simulate', 'station.info'])(
    'refuses the staff method %s on the kiosk bridge with ACCESS_DENIED, without running any handler',
    async (method) => {
      const kiosk = kioskHandlers();
      const dispatch = createDispatcher('kiosk', kiosk);
      const error = expectError(await dispatch(method, {}));
      expect(error.code).toBe('ACCESS_DENIED');
      expect(error.message).toBe(zhCN.errors.accessDenied);
      expect(kiosk['kiosk.current']).not.toHaveBeenCalled();
      expect(kiosk['kiosk.respond']).not.toHaveBeenCalled();
    },
  );

  it.each(['kiosk.current', 'kiosk.respond'])('refuses the kiosk method %s on the staff bridge with ACCESS_DENIED', async (method) => {
    const dispatch = createDispatcher('staff', staffHandlers());
    expect(expectError(await dispatch(method, { kind: 'confirm', sessionId: SESSION })).code).toBe('ACCESS_DENIED');
  });

  it.each<[string, unknown]>([
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['an object', { toString: () => 'station.info' }],
    ['an array', ['station.info']],
    ['a symbol', Symbol('station.info')],
    ['a function', () => 'station.info'],
  ])('answers a non-string method (%s) with UNKNOWN_METHOD', async (_label, method) => {
    const handlers = staffHandlers();
    const dispatch = createDispatcher('staff', handlers);
    const error = expectError(await dispatch(method, {}));
    expect(error.code).toBe('UNKNOWN_METHOD');
    expect(handlers['station.info']).not.toHaveBeenCalled();
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf', ''])(
    'answers the prototype key %j with UNKNOWN_METHOD on both bridges, never a crash',
    async (method) => {
      for (const role of ['staff', 'kiosk'] as const) {
        const dispatch =
          role === 'staff' ? createDispatcher('staff', staffHandlers()) : createDispatcher('kiosk', kioskHandlers());
        const reply = await dispatch(method, {});
        expect(expectError(reply).code, `${role} ${method}`).toBe('UNKNOWN_METHOD');
      }
    },
  );

  it('truncates an overlong method name in the detail', async () => {
    const dispatch = createDispatcher('staff', staffHandlers());
    const error = expectError(await dispatch('m'.repeat(100_000), {}));
    expect(error.code).toBe('UNKNOWN_METHOD');
    expect(error.detail!.length).toBeLessThan(300);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Payload validation

type Case = [label: string, payload: unknown];

const notObjects: Case[] = [
  ['null', null],
  ['undefined', undefined],
  ['an array', []],
  ['an array holding the payload', [{}]],
  ['a string (citizen id)', CITIZEN_ID],
  ['a number', 410105],
  ['a boolean', true],
];

const staffCases: Record<string, Case[]> = {
  'station.info': [...notObjects, ['an extra field', { extra: 1 }], ['an extra field holding a citizen id', { note: CITIZEN_ID }]],
  'devices.list': [...notObjects, ['an extra field', { all: true }]],
  'roster.loadSeed': [...notObjects, ['an extra field', { file: '/etc/passwd' }]],
  'devices.simulate': [
    ...notObjects,
    ['missing state', { kind: 'idcard-reader' }],
    ['missing kind', { state: 'ready' }],
    ['camera (not simulated by the host)', { kind: 'camera', state: 'ready' }],
    ['unknown state', { kind: 'idcard-reader', state: 'on-fire' }],
    ['unknown kind holding a citizen id', { kind: CITIZEN_ID, state: 'ready' }],
    ['wrong type', { kind: 1, state: true }],
    ['extra field', { kind: 'idcard-reader', state: 'ready', force: true }],
  ],
  'kiosk.show': [
    ...notObjects,
    ['empty object', {}],
    ['unknown kind', { kind: 'admin' }],
    ['idle with an extra field', { kind: 'idle', candidate }],
    ['verify-info without a session', { kind: 'verify-info', candidate }],
    ['verify-info with a non-uuid session', { kind: 'verify-info', sessionId: 'session-1', candidate }],
    ['verify-info with an unmasked citizen id', { kind: 'verify-info', sessionId: SESSION, candidate: { ...candidate, citizenIdMasked: CITIZEN_ID } }],
    [
      'verify-info carrying the full citizen id as an extra field',
      { kind: 'verify-info', sessionId: SESSION, candidate: { ...candidate, citizenId: CITIZEN_ID } },
    ],
    ['verify-info with a javascript: photo', { kind: 'verify-info', sessionId: SESSION, candidate: { ...candidate, photo: 'javascript:alert(1)' } }],
    [
      'verify-info with an html data-url photo',
      { kind: 'verify-info', sessionId: SESSION, candidate: { ...candidate, photo: 'data:text/html;base64,PHNjcmlwdD4=' } },
    ],
    ['verify-info with a huge name', { kind: 'verify-info', sessionId: SESSION, candidate: { ...candidate, name: '林'.repeat(1_000_000) } }],
    ['verify-info with a missing field', { kind: 'verify-info', sessionId: SESSION, candidate: { ...candidate, major: undefined } }],
    ['verify-info with an unknown sex', { kind: 'verify-info', sessionId: SESSION, candidate: { ...candidate, sex: 'x' } }],
  ],
};

const kioskCases: Record<string, Case[]> = {
  'kiosk.current': [...notObjects, ['an extra field', { sessionId: SESSION }]],
  'kiosk.respond': [
    ...notObjects,
    ['empty object', {}],
    ['unknown kind', { kind: 'approve', sessionId: SESSION }],
    ['missing sessionId', { kind: 'confirm' }],
    ['non-uuid sessionId', { kind: 'confirm', sessionId: 'not-a-uuid' }],
    ['citizen id as sessionId', { kind: 'confirm', sessionId: CITIZEN_ID }],
    ['numeric sessionId', { kind: 'confirm', sessionId: 12345 }],
    ['confirm with an extra field', { kind: 'confirm', sessionId: SESSION, citizenId: CITIZEN_ID }],
    ['report-error without fields', { kind: 'report-error', sessionId: SESSION, note: '' }],
    ['report-error with an unknown field name', { kind: 'report-error', sessionId: SESSION, fields: [CITIZEN_ID], note: '' }],
    ['report-error with too many fields', { kind: 'report-error', sessionId: SESSION, fields: Array(10).fill('name'), note: '' }],
    ['report-error with a huge note', { kind: 'report-error', sessionId: SESSION, fields: ['name'], note: CITIZEN_ID.repeat(100_000) }],
    ['report-error with a note of 201 chars', { kind: 'report-error', sessionId: SESSION, fields: [], note: '字'.repeat(201) }],
    ['signature with x > 1', { kind: 'signature', sessionId: SESSION, strokes: [[{ x: 1.0001, y: 0, t: 0 }]] }],
    ['signature with y < 0', { kind: 'signature', sessionId: SESSION, strokes: [[{ x: 0, y: -0.1, t: 0 }]] }],
    ['signature with a negative t', { kind: 'signature', sessionId: SESSION, strokes: [[{ x: 0, y: 0, t: -1 }]] }],
    ['signature with t beyond 10 minutes', { kind: 'signature', sessionId: SESSION, strokes: [[{ x: 0, y: 0, t: 600_001 }]] }],
    ['signature with a fractional t', { kind: 'signature', sessionId: SESSION, strokes: [[{ x: 0, y: 0, t: 1.5 }]] }],
    ['signature with a NaN coordinate', { kind: 'signature', sessionId: SESSION, strokes: [[{ x: Number.NaN, y: 0, t: 0 }]] }],
    ['signature with an Infinity coordinate', { kind: 'signature', sessionId: SESSION, strokes: [[{ x: 0, y: Infinity, t: 0 }]] }],
    ['signature with string coordinates', { kind: 'signature', sessionId: SESSION, strokes: [[{ x: '0.5', y: '0.5', t: 0 }]] }],
    ['signature with no strokes', { kind: 'signature', sessionId: SESSION, strokes: [] }],
    ['signature with an empty stroke', { kind: 'signature', sessionId: SESSION, strokes: [[]] }],
    ['signature with 201 strokes', { kind: 'signature', sessionId: SESSION, strokes: Array.from({ length: 201 }, () => [{ x: 0, y: 0, t: 0 }]) }],
    ['signature with a 2001-point stroke', { kind: 'signature', sessionId: SESSION, strokes: [Array.from({ length: 2001 }, () => ({ x: 0, y: 0, t: 0 }))] }],
    ['signature point with an extra field', { kind: 'signature', sessionId: SESSION, strokes: [[{ x: 0, y: 0, t: 0, p: 1 }]] }],
  ],
};

function checkValidation(error: WireError, method: string, payload: unknown): void {
  expect(error.code).toBe('VALIDATION');
  expect(error.message).toBe(zhCN.errors.validation);
  expect(error.message).toMatch(HAN);
  expect(error.detail).toBeDefined();
  expect(error.detail!.startsWith(`${method}: `)).toBe(true);
  expect(error.detail!.length).toBeLessThanOrEqual(2000);
  // The offending values (possibly personal data) never reach the detail.
  expect(error.detail).not.toContain(CITIZEN_ID);
  expect(error.detail).not.toContain('javascript:');
  expect(error.detail).not.toContain('林林林');
  expect(error.detail).not.toContain('not-a-uuid');
  expect(error.detail).not.toContain('session-1');
  if (typeof payload === 'string') expect(error.detail).not.toContain(payload);
}

describe('createDispatcher: invalid staff payloads → VALIDATION', () => {
  for (const [method, cases] of Object.entries(staffCases)) {
    it.each(cases)(`${method}: %s`, async (_label, payload) => {
      const handlers = staffHandlers();
      const onFailure = vi.fn<FailureListener>();
      const dispatch = createDispatcher('staff', handlers, onFailure);
      const error = expectError(await dispatch(method, payload));
      checkValidation(error, method, payload);
      for (const handler of Object.values(handlers)) expect(handler).not.toHaveBeenCalled();
      expect(onFailure).toHaveBeenCalledTimes(1);
    });
  }
});

describe('createDispatcher: invalid kiosk payloads → VALIDATION', () => {
  for (const [method, cases] of Object.entries(kioskCases)) {
    it.each(cases)(`${method}: %s`, async (_label, payload) => {
      const handlers = kioskHandlers();
      const dispatch = createDispatcher('kiosk', handlers);
      const error = expectError(await dispatch(method, payload));
      checkValidation(error, method, payload);
      for (const handler of Object.values(handlers)) expect(handler).not.toHaveBeenCalled();
    });
  }

  it('names the failing path in the detail (signature coordinate)', async () => {
    const dispatch = createDispatcher('kiosk', kioskHandlers());
    const error = expectError(
      await dispatch('kiosk.respond', { kind: 'signature', sessionId: SESSION, strokes: [[{ x: 0, y: 0, t: 0 }, { x: 7, y: 0, t: 1 }]] }),
    );
    expect(error.detail).toContain('strokes.0.1.x');
  });

  it('names the failing path in the detail (session id)', async () => {
    const dispatch = createDispatcher('kiosk', kioskHandlers());
    const error = expectError(await dispatch('kiosk.respond', { kind: 'confirm', sessionId: CITIZEN_ID }));
    expect(error.detail).toMatch(/^kiosk\.respond: sessionId: /);
  });
});

describe('createDispatcher: personal data in unexpected keys', () => {
  // Strict objects reject unknown keys; zod's message for that names the keys. A key can hold personal data
  // just as well as a value can (e.g. a mis-built payload `{ [citizenId]: name }`), and describeIssues promises
  // "never the offending values".
  it.each<[string, Role, string, unknown]>([
    ['station.info', 'staff', 'station.info', { [CITIZEN_ID]: '林晓雨' }],
    ['kiosk.respond (confirm)', 'kiosk', 'kiosk.respond', { kind: 'confirm', sessionId: SESSION, [CITIZEN_ID]: true }],
    [
      'kiosk.show (candidate)',
      'staff',
      'kiosk.show',
      { kind: 'verify-info', sessionId: SESSION, candidate: { ...candidate, [CITIZEN_ID]: '林晓雨' } },
    ],
  ])('%s: an unknown key holding a citizen id is not echoed in the detail', async (_label, role, method, payload) => {
    const dispatch = role === 'staff' ? createDispatcher('staff', staffHandlers()) : createDispatcher('kiosk', kioskHandlers());
    const error = expectError(await dispatch(method, payload));
    expect(error.code).toBe('VALIDATION');
    expect(error.detail).not.toContain(CITIZEN_ID);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Handler failures

describe('createDispatcher: handler failures', () => {
  it('turns a plain Error into INTERNAL with the catalogue message and no trace of the error text', async () => {
    const dispatch = createDispatcher(
      'staff',
      staffHandlers({
        'roster.loadSeed': () => {
          throw new Error(`ENOENT: cannot open C:\\roster\\${CITIZEN_ID}.json (secret-token-xyz)`);
        },
      }),
    );
    const error = expectError(await dispatch('roster.loadSeed', {}));
    expect(error).toStrictEqual({ code: 'INTERNAL', message: zhCN.errors.internal, detail: 'unexpected Error' });
    expect(JSON.stringify(error)).not.toContain(CITIZEN_ID);
    expect(JSON.stringify(error)).not.toContain('secret-token-xyz');
    expect(JSON.stringify(error)).not.toContain('ENOENT');
  });

  it('names only the error class for an Error subclass, and only the type for a thrown non-Error', async () => {
    const typeError = createDispatcher('staff', staffHandlers({ 'devices.list': () => { throw new TypeError(`x ${CITIZEN_ID}`); } }));
    expect(expectError(await typeError('devices.list', {}))).toStrictEqual({
      code: 'INTERNAL',
      message: zhCN.errors.internal,
      detail: 'unexpected TypeError',
    });
    const thrownString = createDispatcher('staff', staffHandlers({ 'devices.list': () => { throw CITIZEN_ID; } }));
    expect(expectError(await thrownString('devices.list', {}))).toStrictEqual({
      code: 'INTERNAL',
      message: zhCN.errors.internal,
      detail: 'unexpected string',
    });
  });

  it('turns an async rejection into INTERNAL', async () => {
    const dispatch = createDispatcher('kiosk', kioskHandlers({ 'kiosk.current': async () => Promise.reject(new Error('boom')) }));
    const error = expectError(await dispatch('kiosk.current', {}));
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toBe(zhCN.errors.internal);
    expect(error.detail).not.toContain('boom');
  });

  it('passes a StationError thrown by a handler through with its own code and message', async () => {
    const dispatch = createDispatcher(
      'staff',
      staffHandlers({
        'devices.simulate': () => {
          throw new DeviceError('idcard-reader is not simulated', zhCN.device.notSimulated);
        },
      }),
    );
    expect(expectError(await dispatch('devices.simulate', { kind: 'idcard-reader', state: 'busy' }))).toStrictEqual({
      code: 'DEVICE',
      message: zhCN.device.notSimulated,
      detail: 'idcard-reader is not simulated',
    });
  });

  it.each<[string, unknown]>([
    ['a wrong field type', { ...info, simulatorsActive: 'yes' }],
    ['an extra field', { ...info, adminToken: 'abc' }],
    ['a missing field', { hostKind: 'browser', appVersion: '1', stationName: 'x' }],
    ['undefined', undefined],
    ['an unknown host kind', { ...info, hostKind: 'cloud' }],
  ])('answers a station.info result with %s with INTERNAL', async (_label, value) => {
    const onFailure = vi.fn<FailureListener>();
    const dispatch = createDispatcher('staff', staffHandlers({ 'station.info': () => value as StationInfo }), onFailure);
    const error = expectError(await dispatch('station.info', {}));
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toBe(zhCN.errors.internal);
    expect(error.detail).toMatch(/^station\.info returned an invalid result: /);
    expect(onFailure).toHaveBeenCalledWith('staff', 'station.info', expect.objectContaining({ code: 'INTERNAL' }));
  });

  it('answers a roster result with an invalid entry with INTERNAL and without the entry data', async () => {
    const badEntry = {
      registrationNo: '202641000001',
      citizenId: '410105200203140224', // wrong check digit
      name: '林晓雨',
      sex: 'female',
      candidateType: 'fresh-graduate',
      major: '计算机科学与技术',
      examCity: '郑州市',
      confirmationPoint: '郑州市金水区现场确认点',
      status: 'pending',
    };
    const dispatch = createDispatcher('staff', staffHandlers({ 'roster.loadSeed': () => ({ ...seed, entries: [badEntry] }) as RosterSeed }));
    const error = expectError(await dispatch('roster.loadSeed', {}));
    expect(error.code).toBe('INTERNAL');
    expect(error.detail).toContain('entries.0.citizenId');
    expect(error.detail).not.toContain('410105200203140224');
    expect(error.detail).not.toContain('林晓雨');
  });

  it('answers a kiosk.current result that is not a view with INTERNAL', async () => {
    const dispatch = createDispatcher(
      'kiosk',
      kioskHandlers({ 'kiosk.current': () => ({ kind: 'verify-info', sessionId: 'x', candidate }) as never }),
    );
    expect(expectError(await dispatch('kiosk.current', {})).code).toBe('INTERNAL');
  });
});

describe('createDispatcher: onFailure', () => {
  it('is called once per failed call with role, method and the StationError', async () => {
    const onFailure = vi.fn<FailureListener>();
    const kiosk = createDispatcher('kiosk', kioskHandlers(), onFailure);
    await kiosk('roster.loadSeed', {});
    await kiosk('nope', {});
    await kiosk('kiosk.respond', { kind: 'confirm', sessionId: CITIZEN_ID });
    await kiosk(7, {});
    expect(onFailure).toHaveBeenCalledTimes(4);
    const calls = onFailure.mock.calls.map(([role, method, error]) => [role, method, error.code]);
    expect(calls).toStrictEqual([
      ['kiosk', 'roster.loadSeed', 'ACCESS_DENIED'],
      ['kiosk', '<unrecognised name>', 'UNKNOWN_METHOD'],
      ['kiosk', 'kiosk.respond', 'VALIDATION'],
      ['kiosk', '<number>', 'UNKNOWN_METHOD'],
    ]);
    for (const [, , error] of onFailure.mock.calls) expect(error).toBeInstanceOf(StationError);
  });

  it('receives the INTERNAL error for a throwing handler (with the original error as cause)', async () => {
    const onFailure = vi.fn<FailureListener>();
    const original = new Error('disk on fire');
    const dispatch = createDispatcher('staff', staffHandlers({ 'devices.list': () => { throw original; } }), onFailure);
    await dispatch('devices.list', {});
    expect(onFailure).toHaveBeenCalledTimes(1);
    const [role, method, error] = onFailure.mock.calls[0]!;
    expect([role, method, error.code]).toStrictEqual(['staff', 'devices.list', 'INTERNAL']);
    expect(error.cause).toBe(original);
  });

  it('reports caller-chosen names only when they are shaped like a method (they may hold personal data)', async () => {
    const onFailure = vi.fn<FailureListener>();
    const dispatch = createDispatcher('staff', staffHandlers(), onFailure);
    await dispatch('x'.repeat(5000), {});
    await dispatch(CITIZEN_ID, {});
    await dispatch('station.reboot', {});
    expect(onFailure.mock.calls.map((call) => call[1])).toStrictEqual(['<unrecognised name>', '<unrecognised name>', 'station.reboot']);
  });

  it('never lets a throwing failure listener turn a reply into a rejection ("nothing thrown escapes")', async () => {
    const dispatch = createDispatcher('staff', staffHandlers(), () => {
      throw new Error('logger broke');
    });
    // The browser host does `void host.dispatch(...).then(send)`: a rejection here is an unhandled rejection.
    const reply = await dispatch('nope', {}).catch((thrown: unknown) => ({ rejected: thrown }));
    expect(reply).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });
});

describe('toWireError / describeIssues', () => {
  it('serialises code, user message and detail; omits an absent detail; caps detail at 2000 chars', () => {
    expect(toWireError(new ValidationError('x: bad'))).toStrictEqual({ code: 'VALIDATION', message: zhCN.errors.validation, detail: 'x: bad' });
    const noDetail = new StationError('TIMEOUT', zhCN.errors.timeout);
    expect(toWireError(noDetail)).toStrictEqual({ code: 'TIMEOUT', message: zhCN.errors.timeout });
    expect(Object.hasOwn(toWireError(noDetail), 'detail')).toBe(false);
    expect(toWireError(new ValidationError('d'.repeat(5000))).detail).toHaveLength(2000);
  });

  it('reports at most five issues, as path: message, with (root) for the top level', () => {
    const schema = z.strictObject({ a: z.string(), b: z.string(), c: z.string(), d: z.string(), e: z.string(), f: z.string() });
    const parsed = schema.safeParse({});
    if (parsed.success) throw new Error('expected failure');
    const text = describeIssues(parsed.error);
    expect(text.split('; ')).toHaveLength(5);
    expect(text.startsWith('a: ')).toBe(true);
    const root = z.string().safeParse(5);
    if (root.success) throw new Error('expected failure');
    expect(describeIssues(root.error)).toMatch(/^\(root\): /);
  });
});
