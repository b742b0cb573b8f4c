import { zhCN } from '../../core/i18n/zh-CN.js';
import type { NativeModuleStatus } from './native-modules.js';
import { nativeModulesOk } from './native-modules.js';

/**
 * `--smoke`: start the station as usual, wait until the staff window shows a working station (page loaded,
 * bridge answering, roster loaded), check the native device modules, then quit with an exit code. The
 * Windows CI runs the installed exe this way; a support engineer can too. Kept free of Electron imports.
 *
 *   --smoke                    run the check (default time limit 60 s)
 *   --smoke-timeout=<ms>       time limit, 5 000 … 600 000 ms
 *   --smoke-report=<file>      also write the result as JSON (a GUI exe on Windows has no console for stdout)
 */
export interface SmokeOptions {
  timeoutMs: number;
  reportFile: string | undefined;
}

export const smokeExitCodes = { ok: 0, failed: 1, timeout: 2 } as const;

const DEFAULT_TIMEOUT_MS = 60_000;

export function parseSmokeArgs(argv: readonly string[]): SmokeOptions | undefined {
  if (!argv.includes('--smoke')) return undefined;
  const value = (name: string) => argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const timeout = Number(value('smoke-timeout'));
  const timeoutMs = Number.isInteger(timeout) && timeout >= 5_000 && timeout <= 600_000 ? timeout : DEFAULT_TIMEOUT_MS;
  const reportFile = value('smoke-report');
  return { timeoutMs, reportFile: reportFile ? reportFile : undefined };
}

export interface SmokeResult {
  ok: boolean;
  exitCode: number;
  /** English, for CI logs. */
  reason: string;
  elapsedMs: number;
  staffUrl?: string;
  nativeModules?: NativeModuleStatus[];
}

/** The part of Electron's WebContents the check uses; the real one fits (main.ts passes it). */
export interface SmokeWebContents {
  getURL(): string;
  isLoading(): boolean;
  isDestroyed(): boolean;
  executeJavaScript(code: string): Promise<unknown>;
  on(event: 'did-finish-load', listener: () => void): unknown;
  on(
    event: 'did-fail-load',
    listener: (event: unknown, errorCode: number, errorDescription: string, validatedURL: string, isMainFrame: boolean) => void,
  ): unknown;
  on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string }) => void): unknown;
}

/**
 * Runs in the staff page (executeJavaScript is not subject to the page's CSP). Ready means: the fatal screen
 * is absent, the top bar says the desktop bridge answered station.info (its host badge), and the roster
 * status shows a loaded roster.
 */
export const staffReadyProbe = `(() => {
  const fatal = document.querySelector('[data-testid="fatal"]');
  if (fatal) return { state: 'failed', message: 'fatal screen: ' + (fatal.textContent || '').slice(0, 200) };
  const roster = document.querySelector('[data-testid="roster-status"]');
  if (roster && roster.querySelector('.text-error')) return { state: 'failed', message: 'roster failed to load' };
  const badges = Array.from(document.querySelectorAll('.topbar .badge')).map((b) => b.textContent || '');
  const bridge = badges.includes(${JSON.stringify(zhCN.staff.host.electron)});
  const loaded = !!roster && /\\d+\\s*人/.test(roster.textContent || '');
  return { state: bridge && loaded ? 'ready' : 'waiting' };
})()`;

type ProbeAnswer = { state: 'ready' | 'waiting' | 'failed'; message?: string };

function readProbe(value: unknown): ProbeAnswer {
  if (typeof value === 'object' && value !== null && 'state' in value) {
    const { state, message } = value as { state: unknown; message?: unknown };
    if (state === 'ready' || state === 'waiting' || state === 'failed') {
      return typeof message === 'string' ? { state, message } : { state };
    }
  }
  return { state: 'failed', message: 'probe gave no answer' };
}

export interface SmokeRunDeps {
  options: SmokeOptions;
  /** Called exactly once with the outcome; main.ts writes the report and exits. */
  finish(result: SmokeResult): void;
  now?: () => number;
  pollMs?: number;
}

export interface SmokeRun {
  /** Startup failed before there were windows. */
  fail(reason: string): void;
  /** Watch the two windows; `nativeCheck` runs once the staff window is ready. */
  watch(windows: { staff: SmokeWebContents; kiosk: SmokeWebContents }, nativeCheck: () => Promise<NativeModuleStatus[]>): void;
}

/** The time limit starts when the run is created (first thing in main), so a startup that hangs times out too. */
export function createSmokeRun(deps: SmokeRunDeps): SmokeRun {
  const now = deps.now ?? Date.now;
  const pollMs = deps.pollMs ?? 250;
  const started = now();
  let settled = false;
  let poll: ReturnType<typeof setTimeout> | undefined;
  let staffUrl: string | undefined;

  const settle = (result: Omit<SmokeResult, 'elapsedMs' | 'ok' | 'staffUrl'> & { ok?: boolean }) => {
    if (settled) return;
    settled = true;
    clearTimeout(limit);
    if (poll !== undefined) clearTimeout(poll);
    deps.finish({ ok: result.exitCode === smokeExitCodes.ok, ...result, elapsedMs: now() - started, ...(staffUrl ? { staffUrl } : {}) });
  };
  const failed = (reason: string) => settle({ exitCode: smokeExitCodes.failed, reason });
  const limit = setTimeout(
    () => settle({ exitCode: smokeExitCodes.timeout, reason: `staff window not ready within ${deps.options.timeoutMs} ms` }),
    deps.options.timeoutMs,
  );

  return {
    fail: failed,
    watch: ({ staff, kiosk }, nativeCheck) => {
      const loaded = { staff: false, kiosk: false };
      const watchLoad = (role: 'staff' | 'kiosk', contents: SmokeWebContents) => {
        contents.on('did-fail-load', (_event, code, description, _url, isMainFrame) => {
          if (isMainFrame) failed(`${role} window failed to load (${code} ${description})`);
        });
        contents.on('render-process-gone', (_event, details) => failed(`${role} renderer gone (${details.reason})`));
        const markLoaded = () => {
          loaded[role] = true;
          if (loaded.staff && loaded.kiosk) schedule(0);
        };
        contents.on('did-finish-load', markLoaded);
        // Loading may have finished before the run started watching.
        if (!contents.isLoading() && contents.getURL() !== '') markLoaded();
      };
      const check = async () => {
        poll = undefined;
        if (settled) return;
        if (staff.isDestroyed()) return failed('staff window closed');
        let answer: ProbeAnswer;
        try {
          answer = readProbe(await staff.executeJavaScript(staffReadyProbe));
        } catch (error) {
          answer = { state: 'failed', message: `probe threw ${error instanceof Error ? error.name : typeof error}` };
        }
        if (answer.state === 'waiting') return schedule(pollMs);
        if (answer.state === 'failed') return failed(`staff window: ${answer.message ?? 'failed'}`);
        staffUrl = staff.getURL();
        const modules = await nativeCheck().catch(() => undefined);
        if (!modules) return failed('native module check threw');
        settle(
          nativeModulesOk(modules)
            ? { exitCode: smokeExitCodes.ok, reason: 'staff window ready; native modules loaded', nativeModules: modules }
            : { exitCode: smokeExitCodes.failed, reason: 'native modules did not load from app.asar.unpacked', nativeModules: modules },
        );
      };
      const schedule = (ms: number) => {
        if (settled || poll !== undefined) return;
        poll = setTimeout(() => void check(), ms);
      };
      watchLoad('staff', staff);
      watchLoad('kiosk', kiosk);
    },
  };
}
