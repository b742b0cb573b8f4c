import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Role } from '../core/contract/station-api.js';

/**
 * The built renderer as both hosts serve it (browser host over HTTP, Electron over app://):
 * which URL path names which file, and with which content type.
 */

/** Pages served at a bare path; everything else must name a file under the built renderer. */
export const pageRoutes: Readonly<Record<string, string>> = {
  '/staff': 'staff/index.html',
  '/staff/': 'staff/index.html',
  '/kiosk': 'kiosk/index.html',
  '/kiosk/': 'kiosk/index.html',
};

/** The page folder of each window; a window's origin serves its own page and the shared assets only. */
const pageFolders: Readonly<Record<Role, string>> = { staff: 'staff/', kiosk: 'kiosk/' };

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
};

export function contentTypeFor(file: string): string {
  return contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Control characters and backslashes: path and URL parsers reinterpret them in different ways. */
function hasUnsafePathChar(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x5c) return true;
  }
  return false;
}

/**
 * Maps a URL path (still percent-encoded) to an absolute file path under `rendererDir`, or undefined.
 * Refuses undecodable escapes, NUL and control characters, backslashes and colons (path syntax on Windows,
 * the target platform, even though tests run elsewhere), `.`/`..`/empty segments (encoded or not) and
 * anything that would resolve outside the renderer directory. Existence is the caller's business.
 */
export function resolveRendererPath(rendererDir: string, urlPath: string, role?: Role): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (!decoded.startsWith('/') || hasUnsafePathChar(decoded) || decoded.includes(':')) return undefined;
  // Exactly one leading slash belongs to the URL; any further one would make an absolute path.
  const relative = pageRoutes[decoded] ?? decoded.slice(1);
  if (relative === '' || relative.endsWith('/')) return undefined;
  if (relative.split('/').some((segment) => segment === '.' || segment === '..' || segment === '')) return undefined;
  if (role && Object.entries(pageFolders).some(([owner, folder]) => owner !== role && relative.startsWith(folder))) return undefined;
  const root = path.resolve(rendererDir);
  const full = path.resolve(root, relative);
  return full.startsWith(root + path.sep) ? full : undefined;
}

/** Reads a regular file; undefined when missing, unreadable or not a file (directories never serve). */
export async function readRegularFile(file: string): Promise<Buffer | undefined> {
  try {
    const info = await stat(file);
    return info.isFile() ? await readFile(file) : undefined;
  } catch {
    return undefined;
  }
}
