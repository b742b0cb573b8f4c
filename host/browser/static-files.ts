import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
};

/** Pages served at a bare path; everything else must be a file under the built renderer. */
export const pageRoutes: Record<string, string> = {
  '/staff': 'staff/index.html',
  '/staff/': 'staff/index.html',
  '/kiosk': 'kiosk/index.html',
  '/kiosk/': 'kiosk/index.html',
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
  isPage: boolean;
}

/**
 * Resolves a request path to a file inside `root`, or undefined. Traversal (`..`, encoded or not),
 * NUL bytes and directories never resolve.
 */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const page = pageRoutes[decoded];
  const relative = page ?? decoded.replace(/^\/+/, '');
  const full = path.resolve(root, relative);
  if (full !== root && !full.startsWith(root + path.sep)) return undefined;
  try {
    const info = await stat(full);
    if (!info.isFile()) return undefined;
    const body = await readFile(full);
    const contentType = contentTypes[path.extname(full).toLowerCase()] ?? 'application/octet-stream';
    return { body, contentType, isPage: page !== undefined };
  } catch {
    return undefined;
  }
}
