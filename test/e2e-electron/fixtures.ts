import { _electron, expect, test as base, type ElectronApplication, type Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { electronTarget, root, SKIP_PREFIX } from './target.js';
import { demoOperator, signIn } from '../e2e/fixtures/desk.js';

export const target = electronTarget();

/** Called at the top of every spec file: without Electron every test is skipped, with the reason attached. */
export function skipWithoutElectron(): void {
  test.skip(target.kind === 'none', target.kind === 'none' ? `${SKIP_PREFIX} ${target.reason}` : '');
}

/** Tests that are not about the roster's age, the face check or capture (as in test/e2e). */
export const defaultStationConfig = { policy: { rosterMaxAgeHours: 24 * 30, faceCheck: 'off', standardPhoto: 'off', fingerprints: 'off' } };

export interface RunningApp {
  app: ElectronApplication;
  staff: Page;
  kiosk: Page;
  /** The station's data folder (STATION_DATA_DIR → userData). */
  dataDir: string;
  /** Every line the main process printed (JSON log lines among them). */
  logs: string[];
  /** A staff API call made the way the staff page makes it: through its preload bridge. */
  staffCall(method: string, payload: unknown): Promise<unknown>;
}

export interface LaunchOptions {
  config?: Record<string, unknown>;
  args?: string[];
  env?: Record<string, string>;
  simulators?: 'on' | 'auto';
}

/** Launches the station (dev build or packaged app) with its own data folder and config, and finds its two windows. */
export async function launchStation(options: LaunchOptions = {}): Promise<RunningApp> {
  if (target.kind === 'none') throw new Error(target.reason);
  const dir = mkdtempSync(path.join(tmpdir(), 'station-electron-e2e-'));
  const dataDir = path.join(dir, 'data');
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(options.config ?? defaultStationConfig));
  const app = await _electron.launch({
    executablePath: target.executablePath,
    args: [...target.args, ...(options.args ?? [])],
    cwd: root,
    env: {
      ...(process.env as Record<string, string>),
      CI: '1',
      STATION_SIMULATORS: options.simulators ?? 'on',
      STATION_SIMULATOR_TIMING: 'instant',
      STATION_DATA_DIR: dataDir,
      STATION_CONFIG: path.join(dir, 'config.json'),
      ...options.env,
    },
    timeout: 60_000,
  });
  const logs: string[] = [];
  const collect = (chunk: Buffer) => logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  app.process().stdout?.on('data', collect);
  app.process().stderr?.on('data', collect);

  const byPath = (suffix: string) => app.windows().find((page) => page.url().startsWith('app://station/') && new URL(page.url()).pathname === suffix);
  await expect.poll(() => Boolean(byPath('/staff') && byPath('/kiosk')), { message: 'both station windows open', timeout: 30_000 }).toBe(true);
  const staff = byPath('/staff')!;
  const kiosk = byPath('/kiosk')!;
  // Simulators only: the demo operator signs in (the desk shows nothing before someone does).
  await signIn(staff, demoOperator);
  await expect(staff.getByTestId('roster-status')).toContainText('名单 40 人', { timeout: 30_000 });
  await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-view', 'idle');
  const staffCall = (method: string, payload: unknown) =>
    staff.evaluate(([m, p]) => {
      const bridge = (window as unknown as { stationBridge?: { call(m: string, p: unknown): Promise<unknown> } }).stationBridge;
      if (!bridge) throw new Error('no stationBridge in the staff page');
      return bridge.call(m as string, p);
    }, [method, payload] as const);
  return { app, staff, kiosk, dataDir, logs, staffCall };
}

/** The app for one test, closed afterwards. */
export const test = base.extend<{ station: RunningApp }>({
  // eslint-disable-next-line no-empty-pattern
  station: async ({}, use) => {
    const running = await launchStation();
    await use(running);
    // A test may have ended the app itself (closing the staff window).
    await running.app.close().catch(() => undefined);
  },
});

/** A plain HTTP server on 127.0.0.1 that counts every request it gets (nothing from the app may reach it). */
export async function countingServer(): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((request, response) => {
    hits.push(`${request.method} ${request.url}`);
    response.writeHead(200, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' });
    response.end('remote');
  });
  // A CONNECT (proxy tunnel) counts too.
  server.on('connect', (request, socket) => {
    hits.push(`CONNECT ${request.url}`);
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Main-process log lines (JSON) with this message. */
export function logLines(logs: readonly string[], message: string): Record<string, unknown>[] {
  return logs
    .filter((line) => line.startsWith('{'))
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return {};
      }
    })
    .filter((entry) => entry['message'] === message);
}

export { expect };
