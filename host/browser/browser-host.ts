import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Role } from '../../core/contract/station-api.js';
import { MAX_FRAME_BYTES, WsRequest, type WsServerFrame } from '../../core/contract/wire.js';
import { ValidationError, toWireError } from '../../core/errors/station-error.js';
import { buildContentSecurityPolicy } from '../../core/security/csp.js';
import type { Logger } from '../logger.js';
import type { StationHost } from '../station-host.js';
import { contentTypeFor, pageRoutes, readRegularFile, resolveRendererPath } from '../renderer-files.js';

export const LOOPBACK = '127.0.0.1';
export const API_PATH = '/api';

export interface BrowserHostHandle {
  readonly origin: string;
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

/**
 * The browser host: serves the built renderer at /staff and /kiosk and the StationApi over a WebSocket,
 * on loopback only. The token decides the bridge: the kiosk's token can only ever reach kiosk calls.
 */
export async function startBrowserHost(options: {
  host: StationHost;
  rendererDir: string;
  port: number;
  logger: Logger;
}): Promise<BrowserHostHandle> {
  const { host, logger } = options;
  const rendererDir = path.resolve(options.rendererDir);
  const tokens: Record<Role, string> = { staff: newToken(), kiosk: newToken() };
  const sockets = new Set<WebSocket>();
  let origin = '';
  let allowedHosts = new Set<string>();
  let csp = '';

  const securityHeaders = (res: ServerResponse) => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('X-Frame-Options', 'DENY');
  };

  const handleHttp = async (req: IncomingMessage, res: ServerResponse) => {
    securityHeaders(res);
    // DNS-rebinding defence: a page on evil.example resolving to 127.0.0.1 still sends its own Host.
    if (!allowedHosts.has(req.headers.host ?? '')) {
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
      res.writeHead(302, { Location: '/staff' }).end();
      return;
    }
    const file = resolveRendererPath(rendererDir, url.pathname);
    const body = file && (await readRegularFile(file));
    if (!file || !body) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('未找到');
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
      logger.error('http handler failed', { error: String(error) });
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  const parseRequestTarget = (target: string | undefined): URL | undefined => {
    try {
      return new URL(target ?? '/', origin);
    } catch {
      return undefined;
    }
  };

  const roleForToken = (token: string | null): Role | undefined => {
    if (!token) return undefined;
    return (Object.keys(tokens) as Role[]).find((role) => sameSecret(token, tokens[role]));
  };

  const refuse = (socket: Duplex, status: number, text: string) => {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node drops its own socket error listener before 'upgrade'; a peer reset must not crash the host.
    socket.on('error', () => socket.destroy());
    const url = parseRequestTarget(req.url);
    if (!url) return refuse(socket, 400, 'Bad Request');
    if (url.pathname !== API_PATH) return refuse(socket, 404, 'Not Found');
    if (!allowedHosts.has(req.headers.host ?? '')) return refuse(socket, 421, 'Misdirected Request');
    // Browsers always send Origin on WebSocket handshakes; other local pages have another origin.
    if (req.headers.origin !== origin) return refuse(socket, 403, 'Forbidden');
    const role = roleForToken(url.searchParams.get('token'));
    if (!role) return refuse(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => serveConnection(ws, role));
  });

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

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, LOOPBACK, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${LOOPBACK}:${port}`;
  allowedHosts = new Set([`${LOOPBACK}:${port}`]);
  csp = buildContentSecurityPolicy({ connectSrc: [`ws://${LOOPBACK}:${port}`] });

  return {
    origin,
    staffUrl: `${origin}/staff#token=${tokens.staff}`,
    kioskUrl: `${origin}/kiosk#token=${tokens.kiosk}`,
    close: async () => {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
