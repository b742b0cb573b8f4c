/**
 * The one Content-Security-Policy for station windows, in both hosts. No inline script, no eval,
 * no remote origins: everything the app runs ships with it. `connectSrc` adds the browser host's
 * own WebSocket origin (Electron talks over IPC and needs none).
 */
export function buildContentSecurityPolicy(options: { connectSrc?: readonly string[] } = {}): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    // 'wasm-unsafe-eval' lets the app compile its own WebAssembly (face models' WASM backend, OCR engine);
    // it does not allow eval of JavaScript, and every .wasm file still comes from the app itself.
    'script-src': ["'self'", "'wasm-unsafe-eval'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'media-src': ["'self'", 'blob:', 'mediastream:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'", ...(options.connectSrc ?? [])],
    'worker-src': ["'self'"],
    'manifest-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/**
 * Every header both hosts send with app content: the CSP, no sniffing, no framing, no referrer, isolation,
 * and a Permissions-Policy that turns off every powerful feature the window does not use (only the staff
 * window uses the camera; the kiosk uses none).
 */
export function stationResponseHeaders(options: { camera: boolean; connectSrc?: readonly string[] }): Record<string, string> {
  const csp = options.connectSrc ? buildContentSecurityPolicy({ connectSrc: options.connectSrc }) : buildContentSecurityPolicy();
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Permissions-Policy': [
      `camera=${options.camera ? '(self)' : '()'}`,
      'microphone=()',
      'geolocation=()',
      'usb=()',
      'serial=()',
      'hid=()',
      'payment=()',
      'display-capture=()',
    ].join(', '),
  };
}
