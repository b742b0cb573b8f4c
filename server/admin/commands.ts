import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { StationError, ValidationError } from '../../core/errors/station-error.js';
import { CreatePointRequest, IssueEnrollmentCodeRequest, MAX_ROSTER_ROWS } from '../../core/contract/central-api.js';
import type { Database } from '../db/database.js';
import { ServerError } from '../errors.js';
import { issueEnrollmentCode } from '../services/enrollment.js';
import { createPoint } from '../services/points.js';
import { importRoster } from '../services/roster-import.js';
import { revokeStation } from '../services/stations.js';
import { describeIssues } from '../../core/api/dispatcher.js';

export const adminUsage = `用法 / usage: npx tsx server/admin-cli.ts <command>
  create-point <CODE> <名称 name>              create a confirmation point
  issue-code <CODE> [--ttl-minutes N]          one-time enrollment code (shown once; default 1440 min)
  revoke-station <station-id>                  refuse all further requests of a station
  import-roster <CODE> <file.json> [--skip-bad] import RosterEntry rows (a JSON array or { "entries": [...] })
Database: DATABASE_URL (PostgreSQL) or PGLITE_DIR (the server's PGlite directory; stop the server first).`;

export interface AdminDeps {
  db: Database;
  now: () => Date;
  out: (line: string) => void;
}

/** Arguments checked like any other inbound data. */
function parseArgs<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(`arguments: ${describeIssues(parsed.error)}`, '命令参数不正确。');
  return parsed.data;
}

function flagValue(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
}

const RosterFile = z.union([z.array(z.unknown()), z.looseObject({ entries: z.array(z.unknown()) })]);

async function readRosterFile(file: string): Promise<unknown[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new ValidationError('roster file unreadable or not JSON', '报名名单文件无法读取或不是有效的 JSON。');
  }
  const parsed = parseArgs(RosterFile, json);
  const rows = Array.isArray(parsed) ? parsed : parsed.entries;
  if (rows.length > MAX_ROSTER_ROWS) throw new ValidationError('too many rows', `报名名单超过 ${MAX_ROSTER_ROWS} 行。`);
  return rows;
}

/**
 * Runs one admin command against the database directly (no server needed). Returns the process exit code:
 * 0 done, 1 refused (the reason is printed in Chinese with its code), 2 usage.
 */
export async function runAdminCommand(argv: readonly string[], deps: AdminDeps): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'create-point': {
        const point = await createPoint(deps.db, parseArgs(CreatePointRequest, { code: args[0], name: args[1] }), deps.now());
        deps.out(`已创建确认点 created point ${point.code} ${point.name}`);
        return 0;
      }
      case 'issue-code': {
        const ttl = flagValue(args, '--ttl-minutes');
        const request = parseArgs(IssueEnrollmentCodeRequest, ttl === undefined ? {} : { ttlMinutes: Number(ttl) });
        const code = parseArgs(CreatePointRequest.shape.code, args[0]);
        const issued = await issueEnrollmentCode(deps.db, code, request.ttlMinutes, deps.now());
        deps.out(`注册码 enrollment code for ${issued.pointCode} (只显示一次 shown once, expires ${issued.expiresAt}):`);
        deps.out(issued.code);
        return 0;
      }
      case 'revoke-station': {
        const id = parseArgs(z.uuid(), args[0]);
        const revoked = await revokeStation(deps.db, id, deps.now());
        deps.out(`已停用工作站 revoked station ${revoked.stationId} at ${revoked.revokedAt.toISOString()}`);
        return 0;
      }
      case 'import-roster': {
        const code = parseArgs(CreatePointRequest.shape.code, args[0]);
        const file = parseArgs(z.string().min(1), args[1]);
        const rows = await readRosterFile(file);
        const report = await importRoster(deps.db, code, rows, { skipBad: args.includes('--skip-bad') }, deps.now());
        deps.out(
          `导入完成 imported ${code}: ${report.rows} rows, ${report.inserted} new, ${report.updated} updated, ` +
            `${report.unchanged} unchanged, ${report.skipped} skipped`,
        );
        for (const bad of report.badRows) deps.out(`  第 ${bad.row} 行 row ${bad.row}: ${bad.reasons.join('；')}`);
        return 0;
      }
      default:
        deps.out(adminUsage);
        return 2;
    }
  } catch (error) {
    if (!(error instanceof StationError)) throw error;
    deps.out(`${error.userMessage} (${error instanceof ServerError ? error.reason : error.code})`);
    const badRows = error instanceof ServerError ? (error.extra.badRows ?? []) : [];
    for (const bad of badRows) deps.out(`  第 ${bad.row} 行 row ${bad.row}: ${bad.reasons.join('；')}`);
    return 1;
  }
}
