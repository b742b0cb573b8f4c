import path from 'node:path';
import { describe, expect, it } from 'vitest';

import {
  APP_HOST,
  APP_ORIGIN,
  APP_SCHEME,
  appResponseHeaders,
  buildWebPreferences,
  contentSecurityPolicy,
  isAppOrigin,
  isAppUrl,
  isPermittedRequest,
  kioskWindowPlacement,
  permissionCheckDecision,
  permissionDecision,
  requestScheme,
  resolveAppFile,
  shouldAllowNavigation,
} from '../../../electron/main/security.js';

describe('constants', () => {
  it('names the app origin app://station', () => {
    expect(APP_SCHEME).toBe('app');
    expect(APP_HOST).toBe('station');
    expect(APP_ORIGIN).toBe('app://station');
  });
});

describe('buildWebPreferences', () => {
  it('sets every hardening flag explicitly, DevTools off by default', () => {
    expect(buildWebPreferences('/p/staff.cjs')).toStrictEqual({
      preload: '/p/staff.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools: false,
    });
  });

  it('enables DevTools only when asked explicitly', () => {
    expect(buildWebPreferences('/p', {}).devTools).toBe(false);
    expect(buildWebPreferences('/p', { devTools: false }).devTools).toBe(false);
    expect(buildWebPreferences('/p', { devTools: true }).devTools).toBe(true);
    // Asking for DevTools changes nothing else.
    expect({ ...buildWebPreferences('/p', { devTools: true }), devTools: false }).toStrictEqual(buildWebPreferences('/p'));
  });
});

describe('isAppUrl', () => {
  it.each([
    'app://station',
    'app://station/',
    'app://station/staff',
    'app://station/kiosk/',
    'app://station/assets/staff-abc.js',
    'app://station/staff?x=1#top',
    'app://station#frag',
  ])('accepts %s', (url) => {
    expect(isAppUrl(url)).toBe(true);
  });

  it.each([
    'app://station.evil',
    'app://station.evil/staff',
    'app://stationx/',
    'app://evil/',
    'app://evil/station/',
    'app://station:8080/',
    'app://station:/',
    'app://user@station/',
    'app://user:pw@station/',
    'app://evil@station.evil/',
    'APP://station/',
    'app://STATION/',
    'app:station/',
    'app:/station/',
    'app:///station/',
    'app://station\\evil/',
    'app://station%2f/',
    ' app://station/',
    'app://station/\n',
    'app://station/\u0000',
    '\tapp://station/',
    'http://station/',
    'https://station/',
    'https://app://station/',
    'file:///C:/station/index.html',
    'file://station/',
    'javascript:alert(1)//app://station/',
    'data:text/html,app://station/',
    'blob:app://station/uuid',
    'about:blank',
    'chrome://settings',
    'devtools://devtools/bundled/inspector.html',
    '',
    'app://',
    'app://station' + '/a'.repeat(3000),
    '%61pp://station/',
  ])('rejects %j', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });

  it('rejects non-strings that reach it from untyped IPC', () => {
    expect(isAppUrl(undefined as unknown as string)).toBe(false);
    expect(isAppUrl({ toString: () => 'app://station/' } as unknown as string)).toBe(false);
  });
});

describe('isAppOrigin', () => {
  it('accepts the bare and the trailing-slash form only', () => {
    expect(isAppOrigin('app://station')).toBe(true);
    expect(isAppOrigin('app://station/')).toBe(true);
    expect(isAppOrigin('app://station/staff')).toBe(false);
    expect(isAppOrigin('app://station.evil')).toBe(false);
    expect(isAppOrigin('null')).toBe(false);
    expect(isAppOrigin('')).toBe(false);
    expect(isAppOrigin('file://')).toBe(false);
  });
});

describe('shouldAllowNavigation', () => {
  const staff = 'app://station/staff';

  it('allows reloading the page already shown (fragment ignored)', () => {
    expect(shouldAllowNavigation(staff, staff)).toBe(true);
    expect(shouldAllowNavigation(`${staff}#a`, `${staff}#b`)).toBe(true);
  });

  it('refuses moving to another app page, even staff ↔ kiosk', () => {
    expect(shouldAllowNavigation('app://station/kiosk', staff)).toBe(false);
    expect(shouldAllowNavigation(staff, 'app://station/kiosk')).toBe(false);
    expect(shouldAllowNavigation(`${staff}?role=admin`, staff)).toBe(false);
    expect(shouldAllowNavigation('app://station/staff/', staff)).toBe(false);
  });

  it.each([
    'https://example.com/',
    'http://127.0.0.1:8080/staff',
    'file:///C:/Windows/System32/',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'app://station.evil/staff',
    'app://evil/staff',
    'about:blank',
    'not a url',
  ])('refuses %j', (target) => {
    expect(shouldAllowNavigation(target, staff)).toBe(false);
  });

  it('refuses everything when the current page is not ours (e.g. before the first load)', () => {
    expect(shouldAllowNavigation(staff, '')).toBe(false);
    expect(shouldAllowNavigation('https://example.com/', 'https://example.com/')).toBe(false);
  });
});

describe('permissionDecision (requests)', () => {
  it('allows a video-only media request from the app origin', () => {
    expect(permissionDecision('media', APP_ORIGIN, { mediaTypes: ['video'] })).toBe(true);
    expect(permissionDecision('media', `${APP_ORIGIN}/`, { mediaTypes: ['video'] })).toBe(true);
  });

  it('denies the microphone, alone or with the camera', () => {
    expect(permissionDecision('media', APP_ORIGIN, { mediaTypes: ['audio'] })).toBe(false);
    expect(permissionDecision('media', APP_ORIGIN, { mediaTypes: ['video', 'audio'] })).toBe(false);
  });

  it('denies media requests whose types are unknown (fails closed)', () => {
    expect(permissionDecision('media', APP_ORIGIN)).toBe(false);
    expect(permissionDecision('media', APP_ORIGIN, {})).toBe(false);
    expect(permissionDecision('media', APP_ORIGIN, { mediaTypes: [] })).toBe(false);
  });

  it('denies the camera to any other origin', () => {
    for (const origin of ['https://evil.example', 'app://station.evil', 'app://evil', 'file://', 'null', '']) {
      expect(permissionDecision('media', origin, { mediaTypes: ['video'] })).toBe(false);
    }
  });

  it.each([
    'geolocation',
    'notifications',
    'display-capture',
    'fullscreen',
    'openExternal',
    'clipboard-read',
    'hid',
    'serial',
    'usb',
    'midiSysex',
    'pointerLock',
    'unknown',
  ])('denies %s even to the app origin', (permission) => {
    expect(permissionDecision(permission, APP_ORIGIN, { mediaTypes: ['video'] })).toBe(false);
  });
});

describe('permissionCheckDecision (checks)', () => {
  it('answers yes only for video media from the app origin', () => {
    expect(permissionCheckDecision('media', APP_ORIGIN, { mediaType: 'video' })).toBe(true);
    expect(permissionCheckDecision('media', `${APP_ORIGIN}/`, { mediaType: 'video' })).toBe(true);
    expect(permissionCheckDecision('media', APP_ORIGIN, { mediaType: 'audio' })).toBe(false);
    expect(permissionCheckDecision('media', APP_ORIGIN, { mediaType: 'unknown' })).toBe(false);
    expect(permissionCheckDecision('media', APP_ORIGIN)).toBe(false);
    expect(permissionCheckDecision('media', 'https://evil.example/', { mediaType: 'video' })).toBe(false);
    expect(permissionCheckDecision('geolocation', APP_ORIGIN)).toBe(false);
    expect(permissionCheckDecision('notifications', APP_ORIGIN)).toBe(false);
    expect(permissionCheckDecision('hid', APP_ORIGIN)).toBe(false);
  });
});

describe('content security policy and response headers', () => {
  const directives = new Map(
    contentSecurityPolicy.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

  it('starts from nothing and allows neither inline code nor eval', () => {
    expect(directives.get('default-src')).toStrictEqual(["'none'"]);
    expect(directives.get('script-src')).toStrictEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(directives.get('object-src')).toStrictEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toStrictEqual(["'none'"]);
    expect(contentSecurityPolicy).not.toContain('unsafe-inline');
    // 'wasm-unsafe-eval' (WebAssembly only) is allowed; JavaScript eval is not.
    expect(contentSecurityPolicy).not.toContain("'unsafe-eval'");
  });

  it('needs no network origin: IPC, not WebSockets', () => {
    expect(directives.get('connect-src')).toStrictEqual(["'self'"]);
    expect(contentSecurityPolicy).not.toMatch(/\bws:|\bhttp:|\bhttps:/);
  });

  it('sends the CSP and the hardening headers with every app:// response', () => {
    const headers = appResponseHeaders();
    expect(headers['Content-Security-Policy']).toBe(contentSecurityPolicy);
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    expect(headers['X-Frame-Options']).toBe('DENY');
    expect(headers['Referrer-Policy']).toBe('no-referrer');
    expect(headers['Permissions-Policy']).toContain('camera=(self)');
    expect(headers['Permissions-Policy']).toContain('microphone=()');
    // A fresh object each time, so one response cannot change the next one's headers.
    expect(appResponseHeaders()).not.toBe(headers);
  });
});

describe('kioskWindowPlacement', () => {
  const primary = { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } };
  const second = { id: 2, bounds: { x: 1920, y: 0, width: 1280, height: 1024 } };

  it('is an ordinary window with a single display', () => {
    expect(kioskWindowPlacement([primary], 1)).toStrictEqual({ fullscreen: false, kiosk: false, bounds: undefined });
  });

  it('is a full-screen kiosk on the second display', () => {
    expect(kioskWindowPlacement([primary, second], 1)).toStrictEqual({
      fullscreen: true,
      kiosk: true,
      bounds: { x: 1920, y: 0, width: 1280, height: 1024 },
    });
  });

  it('picks the non-primary display whatever the list order', () => {
    expect(kioskWindowPlacement([second, primary], 1).bounds).toStrictEqual(second.bounds);
    expect(kioskWindowPlacement([primary, second], 2).bounds).toStrictEqual(primary.bounds);
  });

  it('is an ordinary window when there is no display at all', () => {
    expect(kioskWindowPlacement([], 1)).toStrictEqual({ fullscreen: false, kiosk: false, bounds: undefined });
  });
});

describe('resolveAppFile', () => {
  const root = path.resolve('/srv/station/dist/renderer');
  const inRoot = (...parts: string[]) => path.join(root, ...parts);

  it('maps the two pages to their index.html', () => {
    expect(resolveAppFile(root, 'app://station/staff')).toBe(inRoot('staff', 'index.html'));
    expect(resolveAppFile(root, 'app://station/staff/')).toBe(inRoot('staff', 'index.html'));
    expect(resolveAppFile(root, 'app://station/kiosk')).toBe(inRoot('kiosk', 'index.html'));
    expect(resolveAppFile(root, 'app://station/kiosk?x=1#y')).toBe(inRoot('kiosk', 'index.html'));
  });

  it('maps other paths to files under the renderer directory', () => {
    expect(resolveAppFile(root, 'app://station/assets/staff-CEmsPu46.js')).toBe(inRoot('assets', 'staff-CEmsPu46.js'));
    expect(resolveAppFile(root, 'app://station/staff/index.html')).toBe(inRoot('staff', 'index.html'));
    expect(resolveAppFile(root, 'app://station/assets/%E5%9B%BE.png')).toBe(inRoot('assets', '图.png'));
  });

  it('works with a relative or slash-terminated renderer directory', () => {
    expect(resolveAppFile(`${root}${path.sep}`, 'app://station/kiosk')).toBe(inRoot('kiosk', 'index.html'));
  });

  it.each([
    'app://station/',
    'app://station',
    'app://station/assets/',
    'app://station/..%2f..%2fetc%2fpasswd',
    'app://station/assets/..%2f..%2f..%2fsecret',
    'app://station/%2e%2e%2fsecret',
    'app://station/..%5c..%5cwindows%5cwin.ini',
    'app://station/assets%5c..%5c..%5csecret',
    'app://station/C:%2fWindows%2fwin.ini',
    'app://station/C%3A/Windows/win.ini',
    'app://station/%2fetc%2fpasswd',
    'app://station//etc/passwd',
    'app://station/assets/a.js%00.png',
    'app://station/assets/%0a.js',
    'app://station/%E0%A4%A',
    'app://station/assets/.%2fa.js',
    'app://evil/staff',
    'app://station.evil/staff',
    'https://station/staff',
    'file:///srv/station/dist/renderer/staff/index.html',
  ])('refuses %j', (url) => {
    expect(resolveAppFile(root, url)).toBeUndefined();
  });

  it('never returns a path outside the renderer directory for dot segments the URL parser folds away', () => {
    // The WHATWG parser resolves these to /secret, which stays inside the root.
    expect(resolveAppFile(root, 'app://station/a/../../secret')).toBe(inRoot('secret'));
    expect(resolveAppFile(root, 'app://station/%2e%2e/%2e%2e/secret')).toBe(inRoot('secret'));
    expect(resolveAppFile(root, 'app://station/assets/%2E%2E/%2E%2E/secret')).toBe(inRoot('secret'));
    expect(resolveAppFile(root, 'app://station/./assets/a.js')).toBe(inRoot('assets', 'a.js'));
  });
});

describe('isPermittedRequest (session request guard)', () => {
  it('lets the app origin, data: and the app blob: URLs through', () => {
    for (const url of ['app://station/staff', 'app://station/models/face/ssd_mobilenetv1_model.bin', 'data:image/svg+xml;base64,AAAA', 'blob:app://station/1b4e28ba-2fa1-11d2-883f-0016d3cca427']) {
      expect(isPermittedRequest(url), url).toBe(true);
    }
  });

  it('refuses everything else: the network, local files, other app hosts and blob URLs of other origins', () => {
    for (const url of [
      'https://cdn.jsdelivr.net/npm/tesseract.js-core/tesseract-core.wasm',
      'http://127.0.0.1:17400/api/v1/health',
      'ws://127.0.0.1:17380/api',
      'file:///C:/Windows/win.ini',
      'app://station.evil/staff',
      'app://other/staff',
      'blob:https://evil.example/1b4e28ba',
      'chrome://gpu',
      'devtools://devtools/bundled/inspector.html',
      '',
    ]) {
      expect(isPermittedRequest(url), url).toBe(false);
    }
  });

  it('DevTools pages load only when DevTools are on', () => {
    expect(isPermittedRequest('devtools://devtools/bundled/inspector.html', { devTools: true })).toBe(true);
    expect(isPermittedRequest('https://chrome-devtools-frontend.appspot.com/x', { devTools: true })).toBe(false);
  });

  it('the log line names only the scheme', () => {
    expect(requestScheme('https://example.com/?id=410105200203140223')).toBe('https');
    expect(requestScheme('WS://x')).toBe('ws');
    expect(requestScheme('no scheme here')).toBe('invalid');
  });
});
