import { defaultFaceConfig } from '../../../core/contract/face-config.js';
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../core/api/dispatcher.js';
import { stationApi, type Role } from '../../../core/contract/station-api.js';
import { WireReply, WsRequest } from '../../../core/contract/wire.js';
import { errorCodes } from '../../../core/errors/station-error.js';
import { seededRandom as mulberry32 } from '../../../native/simulators/seeded-random.js';
import { BUILTIN_RULES } from '../../../core/rules/builtin.js';


const random = mulberry32(0x57a7);
const int = (n: number) => Math.floor(random() * n);
const strings = ['', 'idle', 'verify-info', 'confirm', '__proto__', 'constructor', '410105200203140223', '\u0000', '😀'.repeat(50), 'x'.repeat(5000)];

function randomValue(depth = 0): unknown {
  switch (int(depth > 3 ? 6 : 9)) {
    case 0: return null;
    case 1: return undefined;
    case 2: return random() < 0.5;
    case 3: return [0, -1, 1e308, Number.NaN, 0.5, 2 ** 53][int(6)];
    case 4: return strings[int(strings.length)];
    case 5: return String.fromCharCode(...Array.from({ length: int(20) }, () => int(0xffff)));
    case 6: return Array.from({ length: int(4) }, () => randomValue(depth + 1));
    case 7: {
      const keys = ['kind', 'sessionId', 'candidate', 'state', 'fields', 'note', 'strokes', '__proto__', 'extra'];
      return Object.fromEntries(Array.from({ length: int(5) }, () => [keys[int(keys.length)]!, randomValue(depth + 1)]));
    }
    default: return { kind: strings[int(4)], sessionId: random() < 0.5 ? crypto.randomUUID() : 'nope', fields: [randomValue(depth + 1)] };
  }
}

describe('API boundary fuzz', () => {
  const handlers = {
    staff: {
      'station.info': () => ({ hostKind: 'browser', appVersion: 't', stationName: 't', simulatorsActive: true, policy: { rosterMaxAgeHours: 24, faceCheck: 'required', standardPhoto: 'required', fingerprints: 'required' }, face: defaultFaceConfig }) as const,
      'devices.list': () => [],
      'station.readiness': () => ({ checkedAt: '2026-11-23T08:00:00.000Z' }),
      'export.dayLog': () => ({ fileName: 'x.csv', bytes: 3, sha256: 'a'.repeat(64) }),
      'devices.simulate': () => ({ ok: true }) as const,
      'roster.loadSeed': () => ({ pointCode: 'P1', pointName: 'p', generatedAt: '2026-11-20T08:00:00+08:00', synthetic: true, entries: [] }),
      'kiosk.show': () => ({ ok: true }) as const,
      'kiosk.status': () => ({ view: { kind: 'idle' }, answer: null }) as const,
      'simulator.idcard': () => ({ ok: true }) as const,
      'fingerprint.capture': () => ({ captureId: '123e4567-e89b-42d3-a456-426614174002', finger: 2, quality: 80, qualityScale: 'image-v1', targetQuality: 40, attempts: 1, accepted: true, imagePng: '', width: 256, height: 288, dpi: 500, imageSha256: 'a'.repeat(64), capturedAt: '2026-11-23T08:00:00.000Z' }),
      'fingerprint.cancel': () => ({ ok: true }) as const,
      'fingerprint.checkDuplicate': () => ({ duplicate: false, evidence: [] }),
      'simulator.fingerprint': () => ({ ok: true }) as const,
      'simulator.network': () => ({ ok: true }) as const,
      'rules.current': () => ({ source: 'builtin' as const, bundle: BUILTIN_RULES }),
      'central.status': () => ({ enrolled: false }),
      'central.enroll': () => ({ enrolled: false }),
      'central.uploadBlob': () => ({ sha256: 'a'.repeat(64), size: 1, created: true }),
      'central.uploadBatch': () => ({ results: [] }),
      'central.rosterDelta': () => ({ entries: [], nextCursor: '0', done: true, remaining: 0 }),
      'central.fetchBlob': () => ({ sha256: 'a'.repeat(64), mime: 'image/jpeg', base64: '' }) as const,
      'central.uploadAudit': () => ({ stored: 0, duplicates: 0, lastSeq: 0, breaks: [] }),
      'central.dayClose': () => ({ dayClose: { record: { id: '123e4567-e89b-42d3-a456-426614174000', stationId: '123e4567-e89b-42d3-a456-426614174001', pointCode: 'P1', day: '2026-11-24', closedAt: '2026-11-24T18:00:00Z', closedBy: { accountId: 's1', name: '王主管', role: 'supervisor' as const }, counts: { total: 0, confirmed: 0, rejected: 0, acknowledged: 0, handedOff: 0 }, records: { count: 0, sha256: 'a'.repeat(64) } }, signature: `${'A'.repeat(86)}==` }, reply: { id: '123e4567-e89b-42d3-a456-426614174000', status: 'stored' as const, version: 1 } }),
      'handoff.build': () => ({ fileName: 'x.xqb', sha256: 'a'.repeat(64), bytes: 0, counts: { records: 0, blobs: 0, audit: 0 } }),
      'handoff.stageBlobs': () => ({ staged: 0 }),
      'storage.dataKey': () => ({ keyBase64: `${'A'.repeat(43)}=` }),
      'supervisor.list': () => ({ supervisors: [], demo: false }),
      'staff.accounts': () => ({ accounts: [], source: 'none' as const }),
      'staff.signIn': () => ({ actor: { accountId: 'wang', name: '王主管', role: 'supervisor' }, signedInAt: '2026-11-23T08:00:00+08:00', idleLockMinutes: 10 }) as const,
      'staff.signOut': () => ({ ok: true }) as const,
      'staff.session': () => null,
      'staff.lock': () => ({ ok: true }) as const,
      'receipt.sign': () => ({ qr: 'XCQR1.x.y', payload: { id: '123e4567-e89b-42d3-a456-426614174000', h: 'a'.repeat(64), s: '123e4567-e89b-42d3-a456-426614174001', t: '2026-11-23T08:00:00.000Z' } }),
      'receipts.verifyOffline': () => ({ status: 'malformed' as const, message: '不是回执' }),
      'print.toPdf': () => ({ fileName: 'receipt-123e4567-e89b-42d3-a456-426614174000.pdf', bytes: 1024 }),
      'supervisor.authorize': () => ({ approvalId: '123e4567-e89b-42d3-a456-426614174000', supervisorId: 's1', supervisorName: '王主管', action: 'roster-stale', reason: '网络故障', at: '2026-11-23T08:00:00+08:00' }) as const,
    },
    kiosk: {
      'kiosk.current': () => ({ kind: 'idle' }) as const,
      'kiosk.respond': () => ({ ok: true }) as const,
    },
  };
  const dispatch = { staff: createDispatcher('staff', handlers.staff), kiosk: createDispatcher('kiosk', handlers.kiosk) };
  const allMethods = [...Object.keys(stationApi.staff.calls), ...Object.keys(stationApi.kiosk.calls), 'nope', '__proto__', 'toString'];

  it('answers 20,000 random calls on both bridges with a well-formed reply and never throws', async () => {
    const codes = new Map<string, number>();
    for (let i = 0; i < 20_000; i += 1) {
      const role: Role = random() < 0.5 ? 'staff' : 'kiosk';
      const method = random() < 0.9 ? allMethods[int(allMethods.length)] : randomValue();
      const reply = await dispatch[role](method, randomValue());
      expect(WireReply.safeParse(reply).success).toBe(true);
      const code = reply.ok ? 'OK' : reply.error.code;
      codes.set(code, (codes.get(code) ?? 0) + 1);
      if (!reply.ok) expect(errorCodes).toContain(reply.error.code);
      // A kiosk reply to any staff method is never a success.
      if (role === 'kiosk' && typeof method === 'string' && Object.hasOwn(stationApi.staff.calls, method)) expect(reply.ok).toBe(false);
    }
    // The fuzzer reached every outcome the boundary has.
    for (const code of ['OK', 'VALIDATION', 'ACCESS_DENIED', 'UNKNOWN_METHOD']) expect(codes.get(code) ?? 0, code).toBeGreaterThan(0);
    expect(codes.get('INTERNAL') ?? 0).toBe(0);
  });

  it('the request frame schema accepts only well-formed frames among 20,000 random ones', () => {
    let accepted = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const frame = random() < 0.5 ? randomValue() : { type: random() < 0.8 ? 'call' : 'x', id: randomValue(), method: randomValue(), payload: randomValue() };
      const parsed = WsRequest.safeParse(frame);
      if (parsed.success) {
        accepted += 1;
        expect(Number.isSafeInteger(parsed.data.id) && parsed.data.id >= 0).toBe(true);
        expect(typeof parsed.data.method).toBe('string');
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });
});
