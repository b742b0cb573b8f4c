import type { Display, Rectangle, WebPreferences } from 'electron';
import { buildContentSecurityPolicy, stationResponseHeaders } from '../../core/security/csp.js';
import { resolveRendererPath } from '../../host/renderer-files.js';
import type { Role } from '../../core/contract/station-api.js';

/**
 * Every security decision of the Electron shell, as pure functions: main.ts only wires them to Electron's
 * hooks, so the decisions themselves are unit-tested in plain Node without the Electron binary.
 * Only types come from 'electron' (erased at build time).
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'station';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * Each window has its own session, so the kiosk cannot read what the staff window stores (the roster,
 * confirmations in IndexedDB). The kiosk's is in memory only: it keeps nothing on disk.
 */
export const windowPartitions: Readonly<Record<'staff' | 'kiosk', string>> = {
  staff: 'persist:station-staff',
  kiosk: 'station-kiosk',
};

export const appUrls = {
  staff: `${APP_ORIGIN}/staff`,
  kiosk: `${APP_ORIGIN}/kiosk`,
} as const;

export interface WebPreferenceOptions {
  /** Opt-in only: DevTools in a candidate-facing kiosk would expose everything the page holds. */
  devTools?: boolean;
  /** The window's session (see windowPartitions). */
  partition?: string;
}

/** The one set of webPreferences for every station window. Each flag is spelled out so a default change in Electron cannot loosen it. */
export function buildWebPreferences(preloadPath: string, options: WebPreferenceOptions = {}): WebPreferences {
  return {
    preload: preloadPath,
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
    devTools: options.devTools === true,
    ...(options.partition ? { partition: options.partition } : {}),
  };
}

/** Control characters, spaces and backslashes: URL parsers strip or reinterpret them in different ways. */
function hasUnsafeChar(text: string, allowSpace: boolean): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || (code === 0x20 && !allowSpace) || (code >= 0x7f && code <= 0x9f) || code === 0x5c) return true;
  }
  return false;
}

const APP_URL_PREFIX = new RegExp(`^${APP_SCHEME}://${APP_HOST}(?:[/?#]|$)`);

/**
 * True only for URLs of the app's own origin (app://station, any path). Checked twice on purpose: a strict
 * textual prefix (case-sensitive, so look-alikes such as `app://station.evil`, `app://station:1` or
 * `app://user@station` fail) and the WHATWG parser (so nothing the prefix check missed slips through).
 */
export function isAppUrl(url: string): boolean {
  // A URL carrying any of these is not one we produced, so it is refused before parsing.
  if (typeof url !== 'string' || url.length > 4096 || hasUnsafeChar(url, false)) return false;
  if (!APP_URL_PREFIX.test(url)) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/**
 * Chromium reports origins either bare (`app://station`) or as a GURL spec with a trailing slash
 * (`app://station/`); both mean our origin, nothing else does.
 */
export function isAppOrigin(origin: string): boolean {
  return origin === APP_ORIGIN || origin === `${APP_ORIGIN}/`;
}

function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}

/**
 * Decision: a station window never navigates anywhere. The only exception is reloading the document it
 * already shows (same app URL, fragment ignored), which a renderer may do to recover from a bad state.
 * Switching staff → kiosk page is refused too: each window's bridge is tied to its role, and a page
 * running under the other role's bridge would only be confusing. Hash changes never reach this check
 * (Electron does not emit will-navigate for in-page navigations).
 */
export function shouldAllowNavigation(targetUrl: string, currentUrl: string): boolean {
  if (!isAppUrl(targetUrl) || !isAppUrl(currentUrl)) return false;
  return withoutFragment(targetUrl) === withoutFragment(currentUrl);
}

/**
 * session.webRequest.onBeforeRequest: nothing leaves the app. Its pages load only from app://station (the
 * CSP says so too; this is the second lock, and it also covers what no CSP governs, such as a navigation a
 * handler missed). data: and blob: URLs stay inside the renderer; DevTools pages only when DevTools are on.
 */
export function isPermittedRequest(url: string, options: { devTools?: boolean } = {}): boolean {
  if (isAppUrl(url)) return true;
  if (typeof url !== 'string') return false;
  if (url.startsWith('data:')) return true;
  if (url.startsWith('blob:')) return isAppUrl(url.slice('blob:'.length));
  if (options.devTools === true) return url.startsWith('devtools://');
  return false;
}

/** The scheme of a refused URL, for the log line: never the URL itself, which may carry personal data. */
export function requestScheme(url: string): string {
  const match = /^([a-z][a-z0-9+.-]{0,20}):/i.exec(typeof url === 'string' ? url : '');
  return match?.[1]?.toLowerCase() ?? 'invalid';
}

export type MediaType = 'video' | 'audio';

export interface PermissionRequestDetails {
  /** From Electron's MediaAccessPermissionRequest: what getUserMedia asked for. */
  readonly mediaTypes?: readonly MediaType[] | undefined;
}

/**
 * setPermissionRequestHandler: the only thing the station ever needs is the camera (candidate photo),
 * from its own pages. A media request must say what it wants and want video only: a request that also asks
 * for the microphone is refused as a whole (the app never records sound), and so is one whose media types
 * are unknown, so that an Electron change that stops reporting them fails closed, not open.
 */
export function permissionDecision(permission: string, requestingOrigin: string, details?: PermissionRequestDetails): boolean {
  if (permission !== 'media' || !isAppOrigin(requestingOrigin)) return false;
  const types = details?.mediaTypes;
  if (!types || types.length === 0) return false;
  return types.every((type) => type === 'video');
}

export interface PermissionCheckDetails {
  /** From Electron's PermissionCheckHandlerHandlerDetails. */
  readonly mediaType?: MediaType | 'unknown' | undefined;
}

/**
 * setPermissionCheckHandler: the synchronous "is this already granted?" query (e.g. for device labels in
 * enumerateDevices). Same policy as requests: video from our origin, nothing else.
 */
export function permissionCheckDecision(permission: string, requestingOrigin: string, details?: PermissionCheckDetails): boolean {
  return permission === 'media' && isAppOrigin(requestingOrigin) && details?.mediaType === 'video';
}

/** Electron talks to the host over IPC, so the CSP needs no connect-src beyond 'self'. */
export const contentSecurityPolicy = buildContentSecurityPolicy();

/** Headers for every app:// response; the camera is allowed at document level where its session allows it. */
export function appResponseHeaders(options: { camera: boolean } = { camera: true }): Record<string, string> {
  return stationResponseHeaders(options);
}

export type KioskPlacement =
  | { readonly fullscreen: true; readonly kiosk: true; readonly bounds: Rectangle }
  | { readonly fullscreen: false; readonly kiosk: false; readonly bounds: undefined };

/**
 * Where the candidate's window goes: full-screen kiosk on the first display that is not the operator's
 * (primary) one; with a single display it is an ordinary window, so a one-screen test bench stays usable.
 */
export function kioskWindowPlacement(displays: readonly Pick<Display, 'id' | 'bounds'>[], primaryDisplayId: number): KioskPlacement {
  const secondary = displays.find((display) => display.id !== primaryDisplayId);
  if (!secondary) return { fullscreen: false, kiosk: false, bounds: undefined };
  const { x, y, width, height } = secondary.bounds;
  return { fullscreen: true, kiosk: true, bounds: { x, y, width, height } };
}

/**
 * Maps an app:// request URL to an absolute file path under `rendererDir`, or undefined: other origins are
 * refused here, path rules are the browser host's too (host/renderer-files.ts).
 */
export function resolveAppFile(rendererDir: string, requestUrl: string, role?: Role): string | undefined {
  if (!isAppUrl(requestUrl)) return undefined;
  return resolveRendererPath(rendererDir, new URL(requestUrl).pathname, role);
}
