import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { roles, type Role } from '../../core/contract/station-api.js';
import { attachmentHeader, type DownloadShelf } from '../services/file-sink.js';
import { MAX_FRAME_BYTES, WsRequest, type WsServerFrame } from '../../core/contract/wire.js';
import { ValidationError, toWireError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { stationResponseHeaders } from '../../core/security/csp.js';
import type { Logger } from '../../core/logging/logger.js';
import { contentTypeFor, pageRoutes, readRegularFile, resolveRendererPath } from '../renderer-files.js';
import type { StationHost } from '../station-host.js';

export const LOOPBACK = '127.0.0.1';
export const API_PATH = '/api';

export interface BrowserHostHandle {
  /** One origin per window (its own port), so the kiosk page cannot read the staff page's storage. */
  readonly origins: Readonly<Record<Role, string>>;
  /** Page URLs carry the launch token in the fragment, which browsers never send to servers or in Referer. */
  readonly staffUrl: string;
  readonly kioskUrl: string;
  close(): Promise<void>;
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * The browser host: the StationApi over WebSocket plus the built renderer, on loopback only.
 * Each window is its own origin (port): the staff origin serves the staff page and accepts only the
 * staff token; the kiosk origin likewise. Both origins are stable across launches (fixed ports by default)
 * so the staff window's local database survives a restart.
 */
export async function startBrowserHost(options: {
  host: StationHost;
  rendererDir: string;
  ports: Readonly<Record<Role, number>>;
  logger: Logger;
  /** Exports and handoff bundles waiting for the staff page to download them. */
  downloads?: DownloadShelf;
}): Promise<BrowserHostHandle> {
  const { host, logger } = options;
  const rendererDir = path.resolve(options.rendererDir);
  const sockets = new Set<WebSocket>();
  const servers: { server: Server; wss: WebSocketServer }[] = [];

  const send = (ws: WebSocket, frame: WsServerFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };

  const serveConnection = (ws: WebSocket, role: Role) => {
    sockets.add(ws);
    // Oversized or invalid-UTF-8 frames surface here; ws then closes just this connection (1009/1007).
    ws.on('error', (error) => logger.warn('websocket error', { role, error: error.message }));
    const unsubscribe = host.subscribe(role, (event, payload) => send(ws, { type: 'event', event, payload }));
    ws.on('close', () => {
      unsubscribe();
      sockets.delete(ws);
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      let request: WsRequest;
      try {
        if (isBinary) throw new ValidationError('binary frames are not accepted');
        const parsed = WsRequest.safeParse(JSON.parse(data.toString()));
        if (!parsed.success) throw new ValidationError('malformed request frame');
        request = parsed.data;
      } catch (error) {
        const wire = error instanceof ValidationError ? error : new ValidationError('request frame is not JSON');
        send(ws, { type: 'protocol-error', error: toWireError(wire) });
        return;
      }
      void host.dispatch(role, request.method, request.payload).then((reply) => send(ws, { type: 'reply', id: request.id, reply }));
    });
  };

  /** One window's origin: its page, the shared assets, and a WebSocket that takes that window's token only. */
  const startOrigin = async (role: Role, port: number): Promise<{ origin: string; token: string }> => {
    const token = newToken();
    let origin = '';
    let host = '';
    let headers: Record<string, string> = {};

    const parseRequestTarget = (target: string | undefined): URL | undefined => {
      try {
        return new URL(target ?? '/', origin);
      } catch {
        return undefined;
      }
    };

    const handleHttp = async (req: IncomingMessage, res: ServerResponse) => {
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      // DNS-rebinding defence: a page on evil.example resolving to 127.0.0.1 still sends its own Host.
      if (req.headers.host !== host) {
        res.writeHead(421).end();
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      const url = parseRequestTarget(req.url);
      if (!url) {
        res.writeHead(400).end();
        return;
      }
      if (url.pathname === '/') {
        res.writeHead(302, { Location: `/${role}` }).end();
        return;
      }
      if (url.pathname.startsWith('/download/')) {
        // Only the staff origin hands out files, each once, under a path only its page was told.
        const file = role === 'staff' && req.method === 'GET' ? options.downloads?.take(url.pathname) : undefined;
        if (!file) {
          res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(zhCN.errors.notFound);
          return;
        }
        res.writeHead(200, {
          'Content-Type': file.mime,
          'Content-Length': file.bytes.byteLength,
          'Content-Disposition': attachmentHeader(file.fileName),
          'Cache-Control': 'no-store',
        });
        res.end(file.bytes);
        return;
      }
      const file = resolveRendererPath(rendererDir, url.pathname, role);
      const body = file && (await readRegularFile(file));
      if (!file || !body) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(zhCN.errors.notFound);
        return;
      }
      res.writeHead(200, {
        'Content-Type': contentTypeFor(file),
        'Content-Length': body.byteLength,
        // Pages are small and name hashed assets, so only pages must never be cached.
        'Cache-Control': Object.hasOwn(pageRoutes, url.pathname) ? 'no-store' : 'public, max-age=31536000, immutable',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };

    const server = createServer((req, res) => {
      handleHttp(req, res).catch((error: unknown) => {
        logger.error('http handler failed', { role, error: String(error) });
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
    servers.push({ server, wss });

    const refuse = (socket: Duplex, status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };

    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      // Node drops its own socket error listener before 'upgrade'; a peer reset must not crash the host.
      socket.on('error', () => socket.destroy());
      const url = parseRequestTarget(req.url);
      if (!url) return refuse(socket, 400, 'Bad Request');
      if (url.pathname !== API_PATH) return refuse(socket, 404, 'Not Found');
      if (req.headers.host !== host) return refuse(socket, 421, 'Misdirected Request');
      // Browsers always send Origin on WebSocket handshakes; other pages (and the other window) have another origin.
      if (req.headers.origin !== origin) return refuse(socket, 403, 'Forbidden');
      const offered = url.searchParams.get('token');
      if (!offered || !sameSecret(offered, token)) return refuse(socket, 401, 'Unauthorized');
      wss.handleUpgrade(req, socket, head, (ws) => serveConnection(ws, role));
    });

    const bound = await listen(server, port);
    host = `${LOOPBACK}:${bound}`;
    origin = `http://${host}`;
    headers = stationResponseHeaders({ camera: role === 'staff', connectSrc: [`ws://${host}`] });
    return { origin, token };
  };

  const close = async () => {
    for (const ws of sockets) ws.terminate();
    await Promise.all(
      servers.map(async ({ server, wss }) => {
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }),
    );
  };

  try {
    const staff = await startOrigin('staff', options.ports.staff);
    const kiosk = await startOrigin('kiosk', options.ports.kiosk);
    const origins = { staff: staff.origin, kiosk: kiosk.origin };
    for (const role of roles) logger.info('window origin', { role, origin: origins[role] });
    return {
      origins,
      staffUrl: `${staff.origin}/staff#token=${staff.token}`,
      kioskUrl: `${kiosk.origin}/kiosk#token=${kiosk.token}`,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
