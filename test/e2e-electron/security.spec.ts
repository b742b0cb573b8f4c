import type { Page } from '@playwright/test';
import { callNames, ipcChannels } from '../../core/contract/channels.js';
import { contentSecurityPolicy } from '../../electron/main/security.js';
import { countingServer, expect, skipWithoutElectron, test } from './fixtures.js';

skipWithoutElectron();

const denied = { ok: false, error: { code: 'ACCESS_DENIED', message: '当前窗口无权执行此操作。' } };

test('the kiosk page cannot call any staff method, and its page holds no Node or IPC object', async ({ station }) => {
  const { kiosk } = station;
  const replies = await kiosk.evaluate(async (methods) => {
    const bridge = (window as unknown as { stationBridge: { call(m: string, p: unknown): Promise<unknown> } }).stationBridge;
    const out: Record<string, unknown> = {};
    for (const method of methods) out[method] = await bridge.call(method, {});
    return out;
  }, [...callNames.staff]);
  for (const method of callNames.staff) expect(replies[method], method).toMatchObject(denied);
  expect(await kiosk.evaluate(() => (window as unknown as { stationBridge: object }).stationBridge && Object.keys((window as unknown as { stationBridge: object }).stationBridge).sort())).toEqual(['call', 'onEvent']);
  const globals = await kiosk.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    return { require: typeof w['require'], process: typeof w['process'], ipcRenderer: typeof w['ipcRenderer'], electron: typeof w['electron'], Buffer: typeof w['Buffer'] };
  });
  expect(globals).toEqual({ require: 'undefined', process: 'undefined', ipcRenderer: 'undefined', electron: 'undefined', Buffer: 'undefined' });
});

test("the main process's router refuses the kiosk's webContents on the staff channel, for every staff method", async ({ station }) => {
  // Electron offers no public way to invoke a handler with another sender; its handler map is feature-detected
  // (ipcMain._invokeHandlers, present since Electron 7) and the test fails loudly if it is gone.
  const replies = await station.app.evaluate(async ({ ipcMain, BrowserWindow }, { channel, methods }) => {
    const handlers = (ipcMain as unknown as { _invokeHandlers?: Map<string, (event: unknown, ...args: unknown[]) => Promise<void>> })._invokeHandlers;
    if (!(handlers instanceof Map) || !handlers.has(channel)) throw new Error('ipcMain._invokeHandlers unavailable: cannot drive the router directly');
    const kiosk = BrowserWindow.getAllWindows().find((w) => w.webContents.getURL().endsWith('/kiosk'))!.webContents;
    const staff = BrowserWindow.getAllWindows().find((w) => w.webContents.getURL().endsWith('/staff'))!.webContents;
    const invoke = (sender: Electron.WebContents, frameUrl: string, method: string) =>
      new Promise<unknown>((resolve, reject) => {
        void handlers.get(channel)!({ sender, senderFrame: { url: frameUrl }, _reply: resolve, _throw: reject }, method, {});
      });
    const out: Record<string, unknown> = {};
    for (const method of methods) out[method] = await invoke(kiosk, kiosk.mainFrame.url, method);
    // The staff window itself is refused too when the calling frame is not one of the app's pages.
    out['staff-from-foreign-frame'] = await invoke(staff, 'https://evil.example/', 'station.info');
    out['staff-control'] = await invoke(staff, staff.mainFrame.url, 'station.info');
    return out;
  }, { channel: ipcChannels.staffCall, methods: [...callNames.staff] });
  for (const method of callNames.staff) expect(replies[method], method).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED' } });
  expect(replies['staff-from-foreign-frame']).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED' } });
  expect(replies['staff-control']).toMatchObject({ ok: true, value: { hostKind: 'electron' } });
});

/** Tries every way a page could reach outside the app; the counting server must see none of them. */
async function tryToLeave(page: Page, remote: string): Promise<{ fetch: string; img: string; ws: string; openResult: string; inlineRan: boolean; violation: string }> {
  return page.evaluate(async (url) => {
    const fetchResult = await fetch(`${url}/fetch`).then(
      () => 'loaded',
      () => 'refused',
    );
    const img = await new Promise<string>((resolve) => {
      const el = document.createElement('img');
      el.onload = () => resolve('loaded');
      el.onerror = () => resolve('refused');
      el.src = `${url}/pixel.png`;
      document.body.append(el);
    });
    const ws = await new Promise<string>((resolve) => {
      try {
        const socket = new WebSocket(`${url.replace('http', 'ws')}/ws`);
        socket.onopen = () => resolve('open');
        socket.onerror = () => resolve('refused');
      } catch {
        resolve('refused');
      }
    });
    const opened = window.open(`${url}/popup`, '_blank');
    // CSP: an inline script added to the page must not run (script-src has no 'unsafe-inline').
    const violation = await new Promise<string>((resolve) => {
      // Only the script's violation: the fetch, image and socket above raised their own, possibly still queued.
      const onViolation = (event: SecurityPolicyViolationEvent) => {
        if (!event.effectiveDirective.startsWith('script-src')) return;
        document.removeEventListener('securitypolicyviolation', onViolation);
        resolve(event.effectiveDirective);
      };
      document.addEventListener('securitypolicyviolation', onViolation);
      const script = document.createElement('script');
      script.textContent = 'window.__stationInlineRan = true;';
      document.head.append(script);
    });
    return {
      fetch: fetchResult,
      img,
      ws,
      openResult: opened === null ? 'null' : 'window',
      inlineRan: (window as unknown as { __stationInlineRan?: boolean }).__stationInlineRan === true,
      violation,
    };
  }, remote);
}

test('neither window loads remote content, opens a window, navigates away or runs an inline script', async ({ station }) => {
  const remote = await countingServer();
  try {
    for (const page of [station.staff, station.kiosk]) {
      const url = page.url();
      const result = await tryToLeave(page, remote.url);
      expect(result, url).toEqual({ fetch: 'refused', img: 'refused', ws: 'refused', openResult: 'null', inlineRan: false, violation: 'script-src-elem' });

      // Navigation: watch will-navigate in the main process, then ask the page to go to the remote server.
      await station.app.evaluate(({ BrowserWindow }, pageUrl) => {
        const contents = BrowserWindow.getAllWindows().find((w) => w.webContents.getURL() === pageUrl)!.webContents;
        const seen: { url: string; prevented: boolean }[] = [];
        (globalThis as { __stationNavigations?: typeof seen }).__stationNavigations = seen;
        contents.on('will-navigate', (event) => {
          // Runs after the app's own listener (registered at creation), so the decision is already made.
          seen.push({ url: event.url, prevented: event.defaultPrevented });
        });
      }, url);
      await page.evaluate((target) => {
        window.location.href = target;
      }, `${remote.url}/navigate`);
      await expect
        .poll(() => station.app.evaluate(() => (globalThis as { __stationNavigations?: { url: string; prevented: boolean }[] }).__stationNavigations ?? []))
        .toEqual([{ url: `${remote.url}/navigate`, prevented: true }]);
      expect(page.url()).toBe(url);
    }
    expect(await station.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(2);
    expect(remote.hits).toEqual([]);
  } finally {
    await remote.close();
  }
});

test('every app:// response carries the station CSP and the lock-down headers', async ({ station }) => {
  const headers = await station.app.evaluate(async ({ session }) => {
    const out: Record<string, Record<string, string>> = {};
    for (const [partition, url] of [
      ['persist:station-staff', 'app://station/staff'],
      ['station-kiosk', 'app://station/kiosk'],
      ['persist:station-staff', 'app://station/favicon.svg'],
    ] as const) {
      const response = await session.fromPartition(partition).fetch(url);
      out[`${partition} ${url}`] = Object.fromEntries([...response.headers.entries()]);
    }
    // The kiosk's session serves the kiosk page only, never the staff page.
    out['kiosk asks for staff'] = { status: String((await session.fromPartition('station-kiosk').fetch('app://station/staff')).status) };
    return out;
  });
  for (const [what, h] of Object.entries(headers).filter(([key]) => key.startsWith('persist') || key.startsWith('station-kiosk'))) {
    expect(h['content-security-policy'], what).toBe(contentSecurityPolicy);
    expect(h['x-frame-options'], what).toBe('DENY');
    expect(h['x-content-type-options'], what).toBe('nosniff');
  }
  expect(headers['station-kiosk app://station/kiosk']?.['permissions-policy']).toContain('camera=()');
  expect(headers['kiosk asks for staff']).toEqual({ status: '404' });
});
