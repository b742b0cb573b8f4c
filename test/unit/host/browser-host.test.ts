import { defaultFaceConfig } from '../../../core/contract/face-config.js';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

import type { KioskCandidate, KioskView } from '../../../core/contract/kiosk.js';
import { MAX_FRAME_BYTES, WsServerFrame, type WireReply } from '../../../core/contract/wire.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { API_PATH, LOOPBACK, startBrowserHost, type BrowserHostHandle } from '../../../host/browser/browser-host.js';
import { DownloadShelf } from '../../../host/services/file-sink.js';
import { parseStationConfig } from '../../../host/config/station-config.js';
import { silentLogger } from '../../../core/logging/logger.js';
import type { DeviceSlot } from '../../../host/services/device-manager.js';
import { createStationHost, type StationHost } from '../../../host/station-host.js';

const SAMPLE_ROSTER = fileURLToPath(new URL('../../../assets/roster/sample-roster.json', import.meta.url));
const STAFF_HTML = '<!doctype html><title>staff</title><script type="module" src="/assets/app.js"></script>';
const KIOSK_HTML = '<!doctype html><title>kiosk</title><script type="module" src="/assets/app.js"></script>';
const APP_JS = 'console.log("app");\n';
const SESSION = '123e4567-e89b-42d3-a456-426614174000';
const OTHER_SESSION = '9b2f8c1e-3d4a-4f6b-8c7d-0e1f2a3b4c5d';

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
const verifyView: KioskView = { kind: 'verify-info', sessionId: SESSION, candidate };

// ---------------------------------------------------------------------------------------------------------------
// Fixture: a temp renderer dir with a secret next to it, a real station host and a browser host on port 0.

let baseDir: string;
let rendererDir: string;

beforeAll(async () => {
  baseDir = await mkdtemp(path.join(tmpdir(), 'browser-host-test-'));
  rendererDir = path.join(baseDir, 'renderer');
  await mkdir(path.join(rendererDir, 'staff'), { recursive: true });
  await mkdir(path.join(rendererDir, 'kiosk'), { recursive: true });
  await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await mkdir(path.join(baseDir, 'renderer-evil'), { recursive: true });
  await writeFile(path.join(rendererDir, 'staff', 'index.html'), STAFF_HTML);
  await writeFile(path.join(rendererDir, 'kiosk', 'index.html'), KIOSK_HTML);
  await writeFile(path.join(rendererDir, 'assets', 'app.js'), APP_JS);
  // Outside the renderer dir: must never be served.
  await writeFile(path.join(baseDir, 'secret.txt'), 'TOP-SECRET');
  await writeFile(path.join(baseDir, 'package.json'), '{"name":"SECRET-PACKAGE"}');
  await writeFile(path.join(baseDir, 'renderer-evil', 'x.txt'), 'SIBLING-SECRET');
});

afterAll(async () => {
  await rm(baseDir, { recursive: true, force: true });
});

let host: StationHost;
let web: BrowserHostHandle;
let downloads: DownloadShelf;
let port: number;
let staffToken: string;
let kioskToken: string;
let kioskPort: number;
const openSockets: WebSocket[] = [];
/** Errors that escaped to the process: any of them would crash the real host process. */
const uncaught: unknown[] = [];
const recordUncaught = (error: unknown) => uncaught.push(error);

function tokenOf(url: string): string {
  const token = new URLSearchParams(new URL(url).hash.slice(1)).get('token');
  if (!token) throw new Error(`no token in ${url}`);
  return token;
}

beforeEach(async () => {
  uncaught.length = 0;
  process.on('uncaughtException', recordUncaught);
  const deviceSlots: DeviceSlot[] = [
    { kind: 'idcard-reader', probe: async () => [] },
    { kind: 'fingerprint-scanner', probe: async () => [] },
  ];
  downloads = new DownloadShelf();
  host = await createStationHost({
    hostKind: 'browser',
    appVersion: 'test',
    config: parseStationConfig({}, 'test'),
    defaultRosterSeedFile: SAMPLE_ROSTER,
    logger: silentLogger,
    deviceSlots,
    files: downloads,
  });
  web = await startBrowserHost({ host, rendererDir, ports: { staff: 0, kiosk: 0 }, logger: silentLogger, downloads });
  port = Number(new URL(web.origins.staff).port);
  kioskPort = Number(new URL(web.origins.kiosk).port);
  staffToken = tokenOf(web.staffUrl);
  kioskToken = tokenOf(web.kioskUrl);
});

afterEach(async () => {
  for (const ws of openSockets.splice(0)) ws.terminate();
  // Bounded: a connection the server failed to handle (see the robustness tests) would keep close() waiting.
  await Promise.race([web.close(), new Promise((resolve) => setTimeout(resolve, 1000))]);
  await host.close();
  process.off('uncaughtException', recordUncaught);
});

// ---------------------------------------------------------------------------------------------------------------
// Helpers

interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(
  pathname: string,
  options: { method?: string; headers?: Record<string, string>; role?: 'staff' | 'kiosk' } = {},
): Promise<HttpResult> {
  const target = options.role === 'kiosk' ? kioskPort : port;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: LOOPBACK,
        port: target,
        path: pathname,
        method: options.method ?? 'GET',
        headers: { Host: `${LOOPBACK}:${target}`, ...options.headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Sends raw bytes and returns whatever comes back within `ms` (the server may also never answer). */
function rawExchange(text: string, ms = 500): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    const socket = net.connect(port, LOOPBACK, () => socket.write(text));
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(out);
    }, ms);
    socket.on('data', (chunk: Buffer) => (out += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

function wsUrl(query: string, pathname = API_PATH): string {
  return `ws://${LOOPBACK}:${port}${pathname}${query}`;
}

/** The HTTP status an upgrade attempt gets (101 when it is accepted). */
function upgradeStatus(url: string, options: { origin?: string; headers?: Record<string, string> } = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { ...(options.origin === undefined ? {} : { origin: options.origin }), headers: options.headers ?? {} });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.terminate();
    });
    ws.on('error', reject);
  });
}

class Peer {
  readonly frames: WsServerFrame[] = [];
  readonly closed: Promise<number>;
  #nextId = 1;
  #waiters: Array<() => void> = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const frame = WsServerFrame.parse(JSON.parse(data.toString('utf8')));
      this.frames.push(frame);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code: number) => resolve(code)));
  }

  static async open(token: string): Promise<Peer> {
    // Each window's token is accepted only at its own origin.
    const role = token === kioskToken ? 'kiosk' : 'staff';
    const url = `ws://${LOOPBACK}:${role === 'kiosk' ? kioskPort : port}${API_PATH}?token=${encodeURIComponent(token)}`;
    const ws = new WebSocket(url, { origin: web.origins[role] });
    openSockets.push(ws);
    const peer = new Peer(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    return peer;
  }

  /** Resolves with the first frame (already received or future) that matches. */
  waitFor<F extends WsServerFrame>(match: (frame: WsServerFrame) => frame is F, what: string, ms?: number): Promise<F>;
  waitFor(match: (frame: WsServerFrame) => boolean, what: string, ms?: number): Promise<WsServerFrame>;
  waitFor(match: (frame: WsServerFrame) => boolean, what: string, ms = 2000): Promise<WsServerFrame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.frames)}`)), ms);
      const check = () => {
        const found = this.frames.find(match);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        } else {
          this.#waiters.push(check);
        }
      };
      check();
    });
  }

  async call(method: string, payload: unknown): Promise<WireReply> {
    const id = this.#nextId++;
    this.ws.send(JSON.stringify({ type: 'call', id, method, payload }));
    const frame = await this.waitFor((f) => f.type === 'reply' && f.id === id, `reply ${id} (${method})`);
    if (frame.type !== 'reply') throw new Error('unreachable');
    return frame.reply;
  }

  async value(method: string, payload: unknown): Promise<unknown> {
    const reply = await this.call(method, payload);
    if (!reply.ok) throw new Error(`${method} failed: ${JSON.stringify(reply.error)}`);
    return reply.value;
  }

  events(name?: string): Array<{ event: string; payload: unknown }> {
    return this.frames.flatMap((f) => (f.type === 'event' && (name === undefined || f.event === name) ? [{ event: f.event, payload: f.payload }] : []));
  }

  protocolErrors(): WsServerFrame[] {
    return this.frames.filter((f) => f.type === 'protocol-error');
  }
}

function canConnect(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

// ---------------------------------------------------------------------------------------------------------------

describe('browser host: listening and launch URLs', () => {
  it('listens on 127.0.0.1 with a real port, and not on other interfaces', async () => {
    expect(web.origins.staff).toBe(`http://127.0.0.1:${port}`);
    expect(port).toBeGreaterThan(0);
    expect(await canConnect('127.0.0.1')).toBe(true);
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i !== undefined && !i.internal)
      .map((i) => i!.address);
    if (process.platform === 'linux') others.push('127.0.0.2');
    for (const address of others) expect(await canConnect(address), address).toBe(false);
  });

  it('gives staff and kiosk page URLs with different 256-bit tokens in the fragment only', () => {
    const staff = new URL(web.staffUrl);
    const kiosk = new URL(web.kioskUrl);
    expect(`${staff.origin}${staff.pathname}`).toBe(`${web.origins.staff}/staff`);
    expect(`${kiosk.origin}${kiosk.pathname}`).toBe(`${web.origins.kiosk}/kiosk`);
    expect(web.origins.kiosk).not.toBe(web.origins.staff);
    expect(staff.search).toBe('');
    expect(kiosk.search).toBe('');
    expect(staff.hash).toMatch(/^#token=[A-Za-z0-9_-]{43}$/);
    expect(kiosk.hash).toMatch(/^#token=[A-Za-z0-9_-]{43}$/);
    expect(staffToken).not.toBe(kioskToken);
  });

  it('uses fresh tokens for every start', async () => {
    const second = await startBrowserHost({ host, rendererDir, ports: { staff: 0, kiosk: 0 }, logger: silentLogger });
    try {
      expect(tokenOf(second.staffUrl)).not.toBe(staffToken);
      expect(tokenOf(second.kioskUrl)).not.toBe(kioskToken);
    } finally {
      await second.close();
    }
  });
});

describe('browser host: HTTP', () => {
  it("does not serve a window's page from the other window's origin", async () => {
    expect((await request('/kiosk')).status).toBe(404);
    expect((await request('/kiosk/index.html')).status).toBe(404);
    expect((await request('/staff', { role: 'kiosk' })).status).toBe(404);
    expect((await request('/staff/index.html', { role: 'kiosk' })).status).toBe(404);
    expect((await request('/assets/app.js', { role: 'kiosk' })).status).toBe(200);
  });

  it.each([
    ['/staff', STAFF_HTML, 'staff'],
    ['/staff/', STAFF_HTML, 'staff'],
    ['/kiosk', KIOSK_HTML, 'kiosk'],
    ['/kiosk/', KIOSK_HTML, 'kiosk'],
  ] as const)('serves %s with a strict CSP and no-store', async (pathname, html, role) => {
    const res = await request(pathname, { role });
    expect(res.status).toBe(200);
    expect(res.body).toBe(html);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    const csp = res.headers['content-security-policy'];
    expect(typeof csp).toBe('string');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${role === 'kiosk' ? kioskPort : port}`);
    expect(res.headers['permissions-policy']).toContain(role === 'kiosk' ? 'camera=()' : 'camera=(self)');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain("'unsafe-eval'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves assets with their content type', async () => {
    const res = await request('/assets/app.js');
    expect(res.status).toBe(200);
    expect(res.body).toBe(APP_JS);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('answers HEAD without a body', async () => {
    const res = await request('/staff', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(STAFF_HTML)));
  });

  it('hands an export to the staff page once, as an attachment, and never to the kiosk origin', async () => {
    const saved = await downloads.save({ fileName: '现场确认日志.csv', bytes: new TextEncoder().encode('a,b'), mime: 'text/csv; charset=utf-8', kind: 'export' });
    const fromKiosk = await request(saved.downloadPath!, { role: 'kiosk' });
    expect(fromKiosk.status).toBe(404);
    const res = await request(saved.downloadPath!);
    expect(res.status).toBe(200);
    expect(res.body).toBe('a,b');
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('现场确认日志.csv')}`);
    expect(res.headers['cache-control']).toBe('no-store');
    expect((await request(saved.downloadPath!)).status).toBe(404);
  });

  it('redirects / to /staff', async () => {
    const res = await request('/');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/staff');
  });

  it.each([
    '/../package.json',
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/%2E%2E/%2E%2E/secret.txt',
    '/assets/../../secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/..%2F..%2Fpackage.json',
    '/assets/..%2f..%2frenderer-evil%2fx.txt',
    '/staff/..%2f..%2fsecret.txt',
    '/assets/app.js%00',
    '/assets/app.js%00.html',
    '/%00',
    '/..%5c..%5csecret.txt',
    '/assets/%',
    '/assets',
    '/staff/index',
    '/nope.html',
  ])('answers %s with 404 and leaks nothing', async (pathname) => {
    const res = await request(pathname);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('SECRET');
    expect(res.body).not.toContain('console.log');
  });

  it.each(['localhost', 'localhost:PORT', 'evil.example', 'evil.example:PORT', '127.0.0.1', '127.0.0.1:1', '[::1]:PORT', '127.0.0.1:PORT.evil.example'])(
    'answers Host: %s with 421 (DNS-rebinding defence)',
    async (hostHeader) => {
      const res = await request('/staff', { headers: { Host: hostHeader.replace('PORT', String(port)) } });
      expect(res.status).toBe(421);
      expect(res.body).toBe('');
    },
  );

  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'])('answers %s with 405', async (method) => {
    const res = await request('/staff', { method });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });
});

describe('browser host: WebSocket handshake', () => {
  it('accepts the staff and kiosk tokens with the right Origin', async () => {
    expect(await upgradeStatus(wsUrl(`?token=${staffToken}`), { origin: web.origins.staff })).toBe(101);
    const kioskApi = `ws://${LOOPBACK}:${kioskPort}${API_PATH}`;
    expect(await upgradeStatus(`${kioskApi}?token=${kioskToken}`, { origin: web.origins.kiosk })).toBe(101);
    // A token only opens its own window's origin, and an origin only its own port.
    expect(await upgradeStatus(wsUrl(`?token=${kioskToken}`), { origin: web.origins.staff })).toBe(401);
    expect(await upgradeStatus(`${kioskApi}?token=${staffToken}`, { origin: web.origins.kiosk })).toBe(401);
    expect(await upgradeStatus(wsUrl(`?token=${kioskToken}`), { origin: web.origins.kiosk })).toBe(403);
  });

  it('refuses a missing token with 401', async () => {
    expect(await upgradeStatus(wsUrl(''), { origin: web.origins.staff })).toBe(401);
    expect(await upgradeStatus(wsUrl('?token='), { origin: web.origins.staff })).toBe(401);
  });

  it('refuses a wrong token with 401', async () => {
    const altered = `${staffToken.slice(0, -1)}${staffToken.endsWith('A') ? 'B' : 'A'}`;
    expect(await upgradeStatus(wsUrl(`?token=${altered}`), { origin: web.origins.staff })).toBe(401);
    expect(await upgradeStatus(wsUrl(`?token=${staffToken}${kioskToken}`), { origin: web.origins.staff })).toBe(401);
    expect(await upgradeStatus(wsUrl('?token=%E4%B8%AD'), { origin: web.origins.staff })).toBe(401);
  });

  it.each(['http://evil.example', 'http://localhost', 'null', 'file://', 'http://127.0.0.1'])(
    'refuses Origin %s with 403, even with a valid token',
    async (origin) => {
      expect(await upgradeStatus(wsUrl(`?token=${staffToken}`), { origin })).toBe(403);
    },
  );

  it('refuses a handshake without Origin with 403', async () => {
    expect(await upgradeStatus(wsUrl(`?token=${staffToken}`))).toBe(403);
  });

  it('refuses other paths with 404', async () => {
    expect(await upgradeStatus(wsUrl(`?token=${staffToken}`, '/api2'), { origin: web.origins.staff })).toBe(404);
    expect(await upgradeStatus(wsUrl(`?token=${staffToken}`, '/staff'), { origin: web.origins.staff })).toBe(404);
  });

  it('refuses a wrong Host with 421', async () => {
    expect(await upgradeStatus(wsUrl(`?token=${staffToken}`), { origin: web.origins.staff, headers: { Host: 'evil.example' } })).toBe(421);
  });
});

describe('browser host: calls by bridge', () => {
  it.each<[string, unknown]>([
    ['roster.loadSeed', {}],
    ['kiosk.show', verifyView],
    ['devices.list', {}],
    ['devices.simulate', { kind: 'idcard-reader', state: 'fault' }],
    ['station.info', {}],
  ])('refuses the staff call %s from the kiosk token with ACCESS_DENIED; the socket stays usable', async (method, payload) => {
    const kiosk = await Peer.open(kioskToken);
    const reply = await kiosk.call(method, payload);
    expect(reply).toStrictEqual({
      ok: false,
      error: { code: 'ACCESS_DENIED', message: zhCN.errors.accessDenied, detail: `kiosk bridge may not call ${method}` },
    });
    expect(kiosk.ws.readyState).toBe(WebSocket.OPEN);
    expect(await kiosk.value('kiosk.current', {})).toStrictEqual({ kind: 'idle' });
    // Nothing happened as a side effect.
    expect(kiosk.events()).toStrictEqual([]);
    expect(host.info.simulatorsActive).toBe(true);
  });

  it('refuses kiosk calls from the staff token', async () => {
    const staff = await Peer.open(staffToken);
    const reply = await staff.call('kiosk.respond', { kind: 'confirm', sessionId: SESSION });
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(reply.error.code).toBe('ACCESS_DENIED');
  });

  it('loads the sample roster (40 synthetic entries) for the staff token', async () => {
    const staff = await Peer.open(staffToken);
    const seed = (await staff.value('roster.loadSeed', {})) as { entries: unknown[]; synthetic: boolean; pointCode: string };
    expect(seed.entries).toHaveLength(40);
    expect(seed.synthetic).toBe(true);
    expect(seed.pointCode).toBe('ZZ-JS-01');
  });

  it('reports station info and simulated devices', async () => {
    const staff = await Peer.open(staffToken);
    expect(await staff.value('station.info', {})).toStrictEqual({
      hostKind: 'browser',
      appVersion: 'test',
      stationName: '1号工位',
      simulatorsActive: true,
      policy: { rosterMaxAgeHours: 24, faceCheck: 'required', standardPhoto: 'required', fingerprints: 'required' },
      face: defaultFaceConfig,
      fingerprint: { fingers: [2, 7], qualityThreshold: 40, maxAttempts: 3 },
      staff: { idleLockMinutes: 10, demo: true },
      retentionDays: 30,
    });
    expect(await staff.value('devices.list', {})).toStrictEqual([
      { kind: 'idcard-reader', state: 'ready', simulated: true, model: '模拟身份证阅读器' },
      { kind: 'fingerprint-scanner', state: 'ready', simulated: true, model: '模拟指纹仪' },
    ]);
  });

  it('answers an invalid payload with a VALIDATION reply, not a protocol error', async () => {
    const staff = await Peer.open(staffToken);
    const reply = await staff.call('devices.simulate', { kind: 'camera', state: 'fault' });
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(reply.error.code).toBe('VALIDATION');
    expect(staff.protocolErrors()).toStrictEqual([]);
  });

  it('echoes request ids 0 and MAX_SAFE_INTEGER', async () => {
    const kiosk = await Peer.open(kioskToken);
    for (const id of [0, Number.MAX_SAFE_INTEGER]) {
      kiosk.ws.send(JSON.stringify({ type: 'call', id, method: 'kiosk.current', payload: {} }));
      const frame = await kiosk.waitFor((f) => f.type === 'reply' && f.id === id, `reply ${id}`);
      expect(frame).toStrictEqual({ type: 'reply', id, reply: { ok: true, value: { kind: 'idle' } } });
    }
  });
});

describe('browser host: malformed frames', () => {
  const notJson = { code: 'VALIDATION', message: zhCN.errors.validation, detail: 'request frame is not JSON' };
  const malformed = { code: 'VALIDATION', message: zhCN.errors.validation, detail: 'malformed request frame' };

  it.each<[string, string | Buffer, boolean, object]>([
    ['non-JSON text', 'hello', false, notJson],
    ['truncated JSON', '{"type":"call","id":1', false, notJson],
    ['JSON without id', JSON.stringify({ type: 'call', method: 'kiosk.current', payload: {} }), false, malformed],
    ['JSON null', 'null', false, malformed],
    ['a JSON array', '[]', false, malformed],
    ['a huge id', '{"type":"call","id":1e300,"method":"kiosk.current","payload":{}}', false, malformed],
    ['an id above MAX_SAFE_INTEGER', JSON.stringify({ type: 'call', id: 2 ** 53, method: 'kiosk.current', payload: {} }), false, malformed],
    ['a negative id', JSON.stringify({ type: 'call', id: -1, method: 'kiosk.current', payload: {} }), false, malformed],
    ['a fractional id', JSON.stringify({ type: 'call', id: 1.5, method: 'kiosk.current', payload: {} }), false, malformed],
    ['a string id', JSON.stringify({ type: 'call', id: '1', method: 'kiosk.current', payload: {} }), false, malformed],
    ['a wrong type', JSON.stringify({ type: 'reply', id: 1, method: 'kiosk.current', payload: {} }), false, malformed],
    ['an extra field', JSON.stringify({ type: 'call', id: 1, method: 'kiosk.current', payload: {}, token: 'x' }), false, malformed],
    ['a 101-char method', JSON.stringify({ type: 'call', id: 1, method: 'm'.repeat(101), payload: {} }), false, malformed],
    [
      'a binary frame (even with valid JSON)',
      Buffer.from(JSON.stringify({ type: 'call', id: 1, method: 'kiosk.current', payload: {} })),
      true,
      { code: 'VALIDATION', message: zhCN.errors.validation, detail: 'binary frames are not accepted' },
    ],
  ])('answers %s with a protocol-error frame and keeps the connection open', async (_label, data, binary, error) => {
    const kiosk = await Peer.open(kioskToken);
    kiosk.ws.send(data, { binary });
    const frame = await kiosk.waitFor((f) => f.type === 'protocol-error', 'protocol-error');
    expect(frame).toStrictEqual({ type: 'protocol-error', error });
    expect(kiosk.ws.readyState).toBe(WebSocket.OPEN);
    expect(await kiosk.value('kiosk.current', {})).toStrictEqual({ kind: 'idle' });
    expect(kiosk.frames.filter((f) => f.type === 'reply')).toHaveLength(1);
  });
});

describe('browser host: kiosk relay and events', () => {
  it('delivers staff kiosk.show to the kiosk socket only', async () => {
    const staff = await Peer.open(staffToken);
    const kiosk = await Peer.open(kioskToken);
    expect(await staff.call('kiosk.show', verifyView)).toStrictEqual({ ok: true, value: { ok: true } });
    const event = await kiosk.waitFor((f) => f.type === 'event' && f.event === 'kiosk.view', 'kiosk.view');
    expect(event).toStrictEqual({ type: 'event', event: 'kiosk.view', payload: verifyView });
    // A round trip later, the staff socket still has seen no kiosk.view.
    await staff.value('station.info', {});
    expect(staff.events('kiosk.view')).toStrictEqual([]);
    expect(staff.events()).toStrictEqual([]);
    expect(await kiosk.value('kiosk.current', {})).toStrictEqual(verifyView);
  });

  it('relays a kiosk response for the current session to staff only', async () => {
    const staff = await Peer.open(staffToken);
    const kiosk = await Peer.open(kioskToken);
    await staff.value('kiosk.show', verifyView);
    const response = { kind: 'report-error', sessionId: SESSION, fields: ['name', 'major'], note: '专业填错了' };
    expect(await kiosk.call('kiosk.respond', response)).toStrictEqual({ ok: true, value: { ok: true } });
    const event = await staff.waitFor((f) => f.type === 'event' && f.event === 'kiosk.responded', 'kiosk.responded');
    expect(event).toStrictEqual({ type: 'event', event: 'kiosk.responded', payload: response });
    expect(kiosk.events('kiosk.responded')).toStrictEqual([]);
  });

  it('refuses a response for a stale session with VALIDATION and the stale-session message', async () => {
    const staff = await Peer.open(staffToken);
    const kiosk = await Peer.open(kioskToken);
    await staff.value('kiosk.show', verifyView);
    const reply = await kiosk.call('kiosk.respond', { kind: 'confirm', sessionId: OTHER_SESSION });
    expect(reply).toStrictEqual({
      ok: false,
      error: { code: 'VALIDATION', message: zhCN.kiosk.staleSession, detail: 'kiosk response for a view that is not awaiting one' },
    });
    await staff.value('station.info', {});
    expect(staff.events('kiosk.responded')).toStrictEqual([]);
  });

  it('refuses a response while the kiosk is idle', async () => {
    const kiosk = await Peer.open(kioskToken);
    const reply = await kiosk.call('kiosk.respond', { kind: 'confirm', sessionId: SESSION });
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(reply.error.message).toBe(zhCN.kiosk.staleSession);
  });

  it('refuses a response for the previous session once the kiosk is back to idle', async () => {
    const staff = await Peer.open(staffToken);
    const kiosk = await Peer.open(kioskToken);
    await staff.value('kiosk.show', verifyView);
    await staff.value('kiosk.show', { kind: 'idle' });
    const reply = await kiosk.call('kiosk.respond', { kind: 'confirm', sessionId: SESSION });
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(reply.error.code).toBe('VALIDATION');
  });

  it('sends devices.changed to staff (not kiosk) when a simulated device is set to fault', async () => {
    const staff = await Peer.open(staffToken);
    const kiosk = await Peer.open(kioskToken);
    expect(await staff.call('devices.simulate', { kind: 'fingerprint-scanner', state: 'fault' })).toStrictEqual({
      ok: true,
      value: { ok: true },
    });
    const event = await staff.waitFor((f) => f.type === 'event' && f.event === 'devices.changed', 'devices.changed');
    expect(event).toStrictEqual({
      type: 'event',
      event: 'devices.changed',
      payload: [
        { kind: 'idcard-reader', state: 'ready', simulated: true, model: '模拟身份证阅读器' },
        { kind: 'fingerprint-scanner', state: 'fault', simulated: true, model: '模拟指纹仪' },
      ],
    });
    await kiosk.value('kiosk.current', {});
    expect(kiosk.events()).toStrictEqual([]);
  });

  it('delivers events to every socket of the bridge, and stops after a socket closes', async () => {
    const staffA = await Peer.open(staffToken);
    const staffB = await Peer.open(staffToken);
    await staffA.value('devices.simulate', { kind: 'idcard-reader', state: 'busy' });
    await staffB.waitFor((f) => f.type === 'event' && f.event === 'devices.changed', 'devices.changed on B');
    staffB.ws.close();
    await staffB.closed;
    await staffA.value('devices.simulate', { kind: 'idcard-reader', state: 'ready' });
    expect(staffA.events('devices.changed')).toHaveLength(2);
    expect(staffB.events('devices.changed')).toHaveLength(1);
  });
});

describe('browser host: close', () => {
  it('closes open sockets and stops listening', async () => {
    const staff = await Peer.open(staffToken);
    const kiosk = await Peer.open(kioskToken);
    await web.close();
    await expect(staff.closed).resolves.toBeTypeOf('number');
    await expect(kiosk.closed).resolves.toBeTypeOf('number');
    expect(staff.ws.readyState).toBe(WebSocket.CLOSED);
    expect(await canConnect(LOOPBACK)).toBe(false);
    // afterEach closes again: a second close must be harmless.
    web = { ...web, close: async () => undefined };
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Robustness: nothing a local client sends may throw out of the server's event handlers (that would be an
// uncaught exception and end the station process for everyone).

describe('browser host: robustness', () => {
  it(`closes a connection that sends a frame over ${MAX_FRAME_BYTES} bytes (1009) without crashing the host`, async () => {
    const kiosk = await Peer.open(kioskToken);
    kiosk.ws.send('x'.repeat(MAX_FRAME_BYTES + 1));
    expect(await kiosk.closed).toBe(1009);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(uncaught.map(String)).toStrictEqual([]);
    const again = await Peer.open(kioskToken);
    expect(await again.value('kiosk.current', {})).toStrictEqual({ kind: 'idle' });
  });

  it('closes a connection that sends invalid UTF-8 in a text frame (1007) without crashing the host', async () => {
    const kiosk = await Peer.open(kioskToken);
    kiosk.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect(await kiosk.closed).toBe(1007);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(uncaught.map(String)).toStrictEqual([]);
  });

  it('answers an upgrade whose request target is not a valid URL with an error status, without throwing', async () => {
    const response = await rawExchange(
      `GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${web.origins.staff}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    expect(uncaught.map(String)).toStrictEqual([]);
    expect(response).toMatch(/^HTTP\/1\.1 4\d\d /);
  });

  it('survives a client that resets the connection after its upgrade was refused', async () => {
    await new Promise<void>((resolve) => {
      const socket = net.connect(port, LOOPBACK, () =>
        socket.write(
          `GET /api HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${web.origins.staff}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
            'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
        ),
      );
      socket.on('error', () => undefined);
      socket.once('data', () => {
        socket.resetAndDestroy();
        setTimeout(resolve, 100);
      });
    });
    expect(uncaught.map(String)).toStrictEqual([]);
    expect((await request('/staff')).status).toBe(200);
  });

  it('answers an HTTP request whose target is not a valid URL without throwing', async () => {
    const response = await rawExchange(`GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    expect(uncaught.map(String)).toStrictEqual([]);
    expect(response).toMatch(/^HTTP\/1\.1 [45]\d\d /);
    expect(response).not.toContain('SECRET');
  });
});
