import { maskCitizenId } from '../citizen-id/citizen-id.js';

/**
 * Structured logging for the station's host and the central server. Callers pass codes and counts, never
 * personal data (ID numbers, names, photos): log lines end up in support tickets. As a second line of defence the
 * writer masks anything shaped like a citizen number before the line leaves the process.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Where finished lines go: stdout and stderr for a process, an array in tests. */
export interface LogSink {
  out(line: string): void;
  err(line: string): void;
}

/**
 * 18-character GB 11643 numbers (and the 15-digit first generation) wherever they appear in a line, and
 * 2017 foreign permanent resident numbers (3 letters + 12 digits; the 2023 ones are 18 digits already).
 */
const CITIZEN_NUMBER_SHAPE = /(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15}|[A-Za-z]{3}\d{12})(?![0-9A-Za-z])/g;

export function redactPersonalNumbers(line: string): string {
  return line.replace(CITIZEN_NUMBER_SHAPE, (number) => maskCitizenId(number));
}

export function createJsonLogger(scope: string, sink: LogSink, now: () => Date = () => new Date()): Logger {
  const write = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => {
    const line = redactPersonalNumbers(JSON.stringify({ t: now().toISOString(), level, scope, message, ...fields }));
    if (level === 'error') sink.err(line);
    else sink.out(line);
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

interface ConsoleLike {
  log(line: string): void;
  error(line: string): void;
}

/**
 * A logger writing JSON lines to the runtime's console. ECMAScript does not define `console`, so core's type
 * library does not declare it; every runtime this code runs in (Node, Electron, Chromium, workers) has one.
 */
export function createConsoleLogger(scope: string): Logger {
  const console = (globalThis as { console?: ConsoleLike }).console;
  if (!console) return silentLogger;
  return createJsonLogger(scope, { out: (line) => console.log(line), err: (line) => console.error(line) });
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
