import path from 'node:path';
import type { Role } from '../../core/contract/station-api.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { contentTypeFor, readRegularFile } from '../../host/renderer-files.js';
import { appResponseHeaders, resolveAppFile } from './security.js';

/**
 * The app:// protocol handler, kept free of Electron imports: it takes a fetch Request and returns a fetch
 * Response, which is exactly what protocol.handle deals in, so it runs unchanged under Vitest.
 */

/** Reads a regular file; undefined when missing, unreadable or not a file. Tests pass their own. */
export type FileLoader = (file: string) => Promise<Uint8Array | undefined>;

export interface AppProtocolOptions {
  rendererDir: string;
  /** The window whose session this handler serves: it gets its own page and the shared assets only. */
  role?: Role;
  loadFile?: FileLoader;
}

export function createAppProtocolHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  const rendererDir = path.resolve(options.rendererDir);
  const loadFile = options.loadFile ?? readRegularFile;
  const headers = appResponseHeaders({ camera: options.role !== 'kiosk' });
  const plain = (status: number, extra: Record<string, string> = {}): Response =>
    new Response(status === 404 ? zhCN.errors.notFound : null, {
      status,
      headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra },
    });
  return async (request) => {
    // The renderer only ever reads its own files; anything else (form posts, fetch PUT) has no business here.
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, { Allow: 'GET, HEAD' });
    const file = resolveAppFile(rendererDir, request.url, options.role);
    if (!file) return plain(404);
    const body = await loadFile(file);
    if (!body) return plain(404);
    const isPage = file.endsWith(`${path.sep}index.html`);
    return new Response(request.method === 'HEAD' ? null : new Blob([new Uint8Array(body)]), {
      status: 200,
      headers: {
        ...headers,
        'Content-Type': contentTypeFor(file),
        'Content-Length': String(body.byteLength),
        // Pages are re-read on every load so an update never mixes an old page with new bundles.
        'Cache-Control': isPage ? 'no-store' : 'no-cache',
      },
    });
  };
}
