import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { createAppProtocolHandler } from '../../../electron/main/app-protocol.js';
import { contentTypeFor } from '../../../host/renderer-files.js';
import { contentSecurityPolicy } from '../../../electron/main/security.js';

let base: string;
let rendererDir: string;

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'station-app-protocol-'));
  rendererDir = path.join(base, 'renderer');
  await mkdir(path.join(rendererDir, 'staff'), { recursive: true });
  await mkdir(path.join(rendererDir, 'kiosk'), { recursive: true });
  await mkdir(path.join(rendererDir, 'assets', 'nested.js'), { recursive: true });
  await writeFile(path.join(rendererDir, 'staff', 'index.html'), '<!doctype html><title>staff</title>');
  await writeFile(path.join(rendererDir, 'kiosk', 'index.html'), '<!doctype html><title>kiosk</title>');
  await writeFile(path.join(rendererDir, 'assets', 'staff-abc.js'), 'export const x = 1;');
  // A file beside (not inside) the renderer directory: what traversal would be after.
  await writeFile(path.join(base, 'secret.txt'), 'do not serve');
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const get = (url: string, method = 'GET') => createAppProtocolHandler({ rendererDir })(new Request(url, { method }));

describe('app:// protocol handler', () => {
  it('serves the staff page with the CSP and no caching', async () => {
    const res = await get('app://station/staff');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('<!doctype html><title>staff</title>');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('serves the kiosk page and bundle files with their content types', async () => {
    expect(await (await get('app://station/kiosk/')).text()).toBe('<!doctype html><title>kiosk</title>');
    const js = await get('app://station/assets/staff-abc.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-length')).toBe(String('export const x = 1;'.length));
    expect(await js.text()).toBe('export const x = 1;');
  });

  it('answers HEAD without a body', async () => {
    const res = await get('app://station/staff', 'HEAD');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('refuses methods other than GET and HEAD', async () => {
    const res = await get('app://station/staff', 'POST');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(res.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
  });

  it.each([
    'app://station/missing.js',
    'app://station/',
    'app://station/assets/nested.js',
    'app://station/..%2fsecret.txt',
    'app://station/assets/..%2f..%2fsecret.txt',
    'app://station/%2e%2e%2fsecret.txt',
    'app://station.evil/staff',
    'app://other/staff',
  ])('answers 404 for %j', async (url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('do not serve');
    expect(res.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
  });

  it('never asks the loader for a file outside the renderer directory', async () => {
    const loadFile = vi.fn(async () => new Uint8Array([1]));
    const handler = createAppProtocolHandler({ rendererDir, loadFile });
    await handler(new Request('app://station/..%2f..%2fsecret.txt'));
    expect(loadFile).not.toHaveBeenCalled();
    await handler(new Request('app://station/kiosk'));
    expect(loadFile).toHaveBeenCalledExactlyOnceWith(path.join(rendererDir, 'kiosk', 'index.html'));
  });
});

describe('contentTypeFor', () => {
  it('knows the bundle types and falls back to octet-stream', () => {
    expect(contentTypeFor('a/b.CSS')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('a/b.woff2')).toBe('font/woff2');
    expect(contentTypeFor('a/b')).toBe('application/octet-stream');
    expect(contentTypeFor('a/b.exe')).toBe('application/octet-stream');
  });
});

describe('app:// per window session', () => {
  it("serves each window its own page and the shared assets, never the other window's page", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'app-proto-role-'));
    for (const f of ['staff/index.html', 'kiosk/index.html', 'assets/app.js']) {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      writeFileSync(path.join(dir, f), f);
    }
    const kiosk = createAppProtocolHandler({ rendererDir: dir, role: 'kiosk' });
    const staff = createAppProtocolHandler({ rendererDir: dir, role: 'staff' });
    expect((await kiosk(new Request('app://station/kiosk'))).status).toBe(200);
    expect((await kiosk(new Request('app://station/assets/app.js'))).status).toBe(200);
    expect((await kiosk(new Request('app://station/staff'))).status).toBe(404);
    expect((await kiosk(new Request('app://station/staff/index.html'))).status).toBe(404);
    expect((await staff(new Request('app://station/kiosk'))).status).toBe(404);
    expect((await staff(new Request('app://station/staff'))).status).toBe(200);
    expect((await kiosk(new Request('app://station/kiosk'))).headers.get('permissions-policy')).toContain('camera=()');
    expect((await staff(new Request('app://station/staff'))).headers.get('permissions-policy')).toContain('camera=(self)');
  });
});
