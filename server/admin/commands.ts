import { readFile, stat, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { z } from 'zod';
import { StationError, ValidationError } from '../../core/errors/station-error.js';
import {
  type BadRow,
  CreatePointRequest,
  CreateStaffAccountRequest,
  IssueEnrollmentCodeRequest,
  PointCode,
  type RosterImportReply,
  StaffPassword,
} from '../../core/contract/central-api.js';
import { StaffAccountId } from '../../core/contract/staff.js';
import type { Database } from '../db/database.js';
import { ServerError } from '../errors.js';
import { issueEnrollmentCode } from '../services/enrollment.js';
import { createPoint } from '../services/points.js';
import { importPreparedRoster } from '../services/roster-import.js';
import { publishRules } from '../services/rules.js';
import { RulesError } from '../../core/rules/rules-error.js';
import { type RosterFile, readRosterFile } from '../roster-files/read-roster-file.js';
import { revokeStation } from '../services/stations.js';
import { createStaffAccount, listStaffAccounts, setStaffDisabled, setStaffPassword } from '../services/staff-accounts.js';
import { describeIssues } from '../../core/api/describe-issues.js';
import { HandoffBundleError } from '../../core/handoff/bundle-error.js';
import { MAX_BUNDLE_BYTES } from '../../core/handoff/bundle.js';
import { type AuditStore, importHandoffBundle } from '../services/handoff-import.js';

export const adminUsage = `用法 / usage: npx tsx server/admin-cli.ts <command>
  create-point <CODE> <名称 name>              create a confirmation point
  issue-code <CODE> [--ttl-minutes N]          one-time enrollment code (shown once; default 1440 min)
  revoke-station <station-id>                  refuse all further requests of a station
  import-roster --point <CODE> --file <export.csv|.xlsx|.json> [--photos <dir>] [--skip-bad] [--report <report.json>]
                                               import the online registration export (CSV in UTF-8 or GBK, or
                                               XLSX, first sheet; photos by file name from --photos) or
                                               RosterEntry JSON; a file with bad rows imports nothing unless
                                               --skip-bad; --report writes the bad-row report as JSON
  import-bundle --file <离线移交文件.xqb>          import a station's handoff bundle (离线移交); importing a
                                               file twice, or records that also came online, stores them once
  add-staff <id> <名称 name> --role operator|supervisor --point <CODE> [--password-stdin]
                                               a staff account (操作员 / 主管) of the point; the password
                                               (≥ 6 characters) is read from stdin, never from the command line
  set-staff-password <id> --point <CODE> [--password-stdin]
                                               a new password for the account, read from stdin
  disable-staff <id> --point <CODE> [--enable]  refuse (or allow again) the account's sign-in at every station
  list-staff --point <CODE>                    the point's accounts (never a password or hash)
  publish-rules --point <CODE> --file <bundle.json>
                                               sign and publish a province rules bundle (省级配置) for the
                                               point; stations take it with their next roster sync. Samples:
                                               server/sample-data/rules/; a version is published once
Database: DATABASE_URL (PostgreSQL) or PGLITE_DIR (the server's PGlite directory; stop the server first).`;

export interface AdminDeps {
  db: Database;
  now: () => Date;
  out: (line: string) => void;
  /** Where import-bundle stores the bundle's audit entries (storeAuditBatch); without one they are only counted. */
  storeAudit?: AuditStore;
  /** A staff password: the first line of stdin by default (tests pass one). Never from argv, which others can see. */
  readPassword?: () => Promise<string>;
}

/** The first line of stdin, without its line end. A prompt goes to stderr when a person is typing. */
function passwordFromStdin(): Promise<string> {
  return new Promise((resolve) => {
    if (process.stdin.isTTY) process.stderr.write('密码 password: ');
    const rl = createInterface({ input: process.stdin, terminal: false });
    let line: string | undefined;
    rl.once('line', (text) => {
      line = text;
      rl.close();
    });
    rl.once('close', () => resolve(line ?? ''));
  });
}

/** Arguments checked like any other inbound data. */
function parseArgs<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(`arguments: ${describeIssues(parsed.error)}`, '命令参数不正确。');
  return parsed.data;
}

function flagValue(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
}

/** Positional arguments and `--name value` options; `switches` take no value. Unknown options are refused. */
function parseOptions(args: readonly string[], valued: readonly string[], switches: readonly string[]): { positional: string[]; named: Record<string, string>; on: Set<string> } {
  const positional: string[] = [];
  const named: Record<string, string> = {};
  const on = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (valued.includes(arg)) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new ValidationError(`${arg} needs a value`, '命令参数不正确。');
      named[arg.slice(2)] = value;
      i += 1;
    } else if (switches.includes(arg)) on.add(arg.slice(2));
    else if (arg.startsWith('--')) throw new ValidationError(`unknown option ${arg.slice(0, 40)}`, '命令参数不正确。');
    else positional.push(arg);
  }
  return { positional, named, on };
}

async function readStaffPassword(deps: AdminDeps): Promise<string> {
  return parseArgs(StaffPassword, await (deps.readPassword ?? passwordFromStdin)());
}

const roleLabel = { operator: '操作员', supervisor: '主管' } as const;

async function staffCommand(command: string, args: readonly string[], deps: AdminDeps): Promise<number> {
  switch (command) {
    case 'add-staff': {
      const { positional, named } = parseOptions(args, ['--point', '--role'], ['--password-stdin']);
      const point = parseArgs(PointCode, named['point']);
      const fields = { id: positional[0], name: positional[1], role: named['role'] };
      // Check the arguments before asking for the password, so a typo costs no typing.
      parseArgs(CreateStaffAccountRequest.omit({ password: true }), fields);
      const request = parseArgs(CreateStaffAccountRequest, { ...fields, password: await readStaffPassword(deps) });
      const account = await createStaffAccount(deps.db, point, request, deps.now());
      deps.out(`已创建账号 created staff account ${account.pointCode}/${account.id} ${account.name}（${roleLabel[account.role]} ${account.role}）`);
      return 0;
    }
    case 'set-staff-password': {
      const { positional, named } = parseOptions(args, ['--point'], ['--password-stdin']);
      const point = parseArgs(PointCode, named['point']);
      const id = parseArgs(StaffAccountId, positional[0]);
      const account = await setStaffPassword(deps.db, point, id, await readStaffPassword(deps), deps.now());
      deps.out(`已重设密码 password set for ${account.pointCode}/${account.id}`);
      return 0;
    }
    case 'disable-staff': {
      const { positional, named, on } = parseOptions(args, ['--point'], ['--enable']);
      const point = parseArgs(PointCode, named['point']);
      const id = parseArgs(StaffAccountId, positional[0]);
      const enable = on.has('enable');
      const account = await setStaffDisabled(deps.db, point, id, !enable, deps.now());
      deps.out(enable ? `已启用账号 enabled ${account.pointCode}/${account.id}` : `已停用账号 disabled ${account.pointCode}/${account.id}（工作站下次同步后生效 / effective at each station's next sync）`);
      return 0;
    }
    default: {
      const { named } = parseOptions(args, ['--point'], []);
      const point = parseArgs(PointCode, named['point']);
      const accounts = await listStaffAccounts(deps.db, point);
      deps.out(`${point}: ${accounts.length} 个账号 accounts`);
      for (const a of accounts) deps.out(`  ${a.id}\t${a.name}\t${roleLabel[a.role]} ${a.role}${a.disabled ? '\t已停用 disabled' : ''}\t${a.updatedAt}`);
      return 0;
    }
  }
}

/** Bad rows printed to the console; the full list goes to --report. */
const MAX_PRINTED_BAD_ROWS = 50;

const ImportRosterArgs = z.strictObject({
  point: CreatePointRequest.shape.code,
  file: z.string().min(1),
  photos: z.string().min(1).optional(),
  report: z.string().min(1).optional(),
  skipBad: z.boolean(),
});
type ImportRosterArgs = z.infer<typeof ImportRosterArgs>;

const valueFlags: Record<string, 'point' | 'file' | 'photos' | 'report'> = {
  '--point': 'point',
  '--file': 'file',
  '--photos': 'photos',
  '--report': 'report',
};

/** `--point P --file F [--photos D] [--skip-bad] [--report R]`; the older `<CODE> <file>` positional form still works. */
function parseImportArgs(args: readonly string[]): ImportRosterArgs {
  const named: Record<string, string> = {};
  const positional: string[] = [];
  let skipBad = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const key = valueFlags[arg];
    if (key !== undefined) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new ValidationError(`${arg} needs a value`, '命令参数不正确。');
      named[key] = value;
      i += 1;
    } else if (arg === '--skip-bad') skipBad = true;
    else if (arg.startsWith('--')) throw new ValidationError(`unknown option ${arg.slice(0, 40)}`, '命令参数不正确。');
    else positional.push(arg);
  }
  return parseArgs(ImportRosterArgs, {
    point: named['point'] ?? positional[0],
    file: named['file'] ?? positional[named['point'] === undefined ? 1 : 0],
    skipBad,
    ...(named['photos'] === undefined ? {} : { photos: named['photos'] }),
    ...(named['report'] === undefined ? {} : { report: named['report'] }),
  });
}

/** What --report holds: counts and bad rows by row number and reason, never a row's values. */
interface ImportReportFile {
  point: string;
  file: string;
  generatedAt: string;
  imported: boolean;
  format?: RosterFile['format'];
  encoding?: string;
  ignoredColumns: string[];
  result?: Omit<RosterImportReply, 'badRows'>;
  badRows: BadRow[];
  error?: { code: string; message: string };
}

async function writeReport(file: string, report: ImportReportFile): Promise<void> {
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`, 'utf8');
}

function printBadRows(out: (line: string) => void, badRows: readonly BadRow[], reportFile: string | undefined): void {
  for (const bad of badRows.slice(0, MAX_PRINTED_BAD_ROWS)) out(`  第 ${bad.row} 行 row ${bad.row}: ${bad.reasons.join('；')}`);
  if (badRows.length > MAX_PRINTED_BAD_ROWS) {
    const more = badRows.length - MAX_PRINTED_BAD_ROWS;
    out(reportFile ? `  …另有 ${more} 行，见报告 ${reportFile} (${more} more in the report)` : `  …另有 ${more} 行，用 --report 保存完整报告 (${more} more; use --report)`);
  }
}

/**
 * Reads the file (and photos), imports, prints a summary and writes the report when asked. A refused import
 * still writes its report (that is when the admin needs it most). Returns the exit code.
 */
async function importRosterCommand(args: readonly string[], deps: AdminDeps): Promise<number> {
  const parsed = parseImportArgs(args);
  const report: ImportReportFile = {
    point: parsed.point,
    file: path.basename(parsed.file),
    generatedAt: deps.now().toISOString(),
    imported: false,
    ignoredColumns: [],
    badRows: [],
  };
  try {
    const roster = await readRosterFile(parsed.file, { photosDir: parsed.photos });
    report.format = roster.format;
    if (roster.encoding) report.encoding = roster.encoding;
    report.ignoredColumns = roster.ignoredColumns;
    deps.out(
      `读取 read ${report.file}: ${roster.format}${roster.encoding ? ` (${roster.encoding})` : ''}, ${roster.rows.length} 行 rows`,
    );
    if (roster.ignoredColumns.length > 0) deps.out(`未使用的列 ignored columns: ${roster.ignoredColumns.join('、')}`);
    const { badRows, ...result } = await importPreparedRoster(deps.db, parsed.point, roster.rows, { skipBad: parsed.skipBad }, deps.now());
    report.imported = true;
    report.result = result;
    report.badRows = badRows;
    deps.out(
      `导入完成 imported ${parsed.point}: ${result.rows} rows, ${result.inserted} new, ${result.updated} updated, ` +
        `${result.unchanged} unchanged, ${result.skipped} skipped`,
    );
    printBadRows(deps.out, badRows, parsed.report);
  } catch (error) {
    if (error instanceof StationError) {
      report.badRows = error instanceof ServerError ? (error.extra.badRows ?? []) : [];
      report.error = { code: error instanceof ServerError ? error.reason : error.code, message: error.userMessage };
      deps.out(`${error.userMessage} (${report.error.code})`);
      printBadRows(deps.out, report.badRows, parsed.report);
      if (parsed.report) {
        await writeReport(parsed.report, report);
        deps.out(`报告已写入 report written: ${parsed.report}`);
      }
      return 1;
    }
    throw error;
  }
  if (parsed.report) {
    await writeReport(parsed.report, report);
    deps.out(`报告已写入 report written: ${parsed.report}`);
  }
  return 0;
}

/** Refused record outcomes are listed by id (never content) so the admin can ask the point about them. */
const MAX_PRINTED_REFUSED = 50;

async function importBundleCommand(args: readonly string[], deps: AdminDeps): Promise<number> {
  const { file } = parseArgs(z.strictObject({ file: z.string().min(1) }), { file: flagValue(args, '--file') ?? args[0] });
  let bytes: Uint8Array;
  try {
    // Checked before reading, so a wrong multi-gigabyte file is not loaded into memory.
    if ((await stat(file)).size > MAX_BUNDLE_BYTES) throw new HandoffBundleError('too-large', 'file over the bundle limit');
    bytes = new Uint8Array(await readFile(file));
  } catch (error) {
    if (error instanceof StationError) throw error;
    throw new ValidationError(`cannot read ${path.basename(file)}`, '移交文件无法读取，请检查文件路径和权限。');
  }
  const result = await importHandoffBundle(deps.db, bytes, deps.now, { storeAudit: deps.storeAudit });
  const r = result.records;
  deps.out(`已导入离线移交文件 imported handoff bundle ${path.basename(file)} (sha256 ${result.fileSha256})`);
  deps.out(`  工作站 station ${result.stationName} (${result.stationId}), 确认点 point ${result.pointCode}, 日期 day ${result.day}`);
  deps.out(
    `  确认记录 records ${r.total}: 新接收 accepted ${r.accepted}, 已存在 duplicate ${r.duplicate}, 冲突 conflict ${r.conflict}, ` +
      `不合格 invalid ${r.invalid}, 缺附件 missing blobs ${r.missingBlobs}${r.crossStation > 0 ? `, 跨工作站重复 cross-station ${r.crossStation}` : ''}`,
  );
  deps.out(`  附件 blobs ${result.blobs.total}: 新 new ${result.blobs.created}, 已存在 existing ${result.blobs.existing}`);
  if (result.dayClose) {
    const stored = result.dayClose.status === 'stored' ? '已保存 stored' : '已存在 duplicate';
    deps.out(`  日结记录 day close: ${stored} (第 ${result.dayClose.version} 版 version ${result.dayClose.version})`);
  } else deps.out('  日结记录 day close: 无 none');
  const audit = result.audit;
  deps.out(
    audit.stored
      ? `  审计记录 audit entries ${audit.received}: 新 stored ${audit.stored.stored}, 已存在 duplicate ${audit.stored.duplicates}, 断链 breaks ${audit.stored.breaks}`
      : `  审计记录 audit entries ${audit.received} (未保存 not stored)`,
  );
  const refused = result.results.filter((x) => x.status !== 'accepted' && x.status !== 'duplicate');
  for (const item of refused.slice(0, MAX_PRINTED_REFUSED)) deps.out(`  ${item.status} ${item.id}: ${item.error?.message ?? ''}`);
  if (refused.length > MAX_PRINTED_REFUSED) deps.out(`  …另有 ${refused.length - MAX_PRINTED_REFUSED} 条 (${refused.length - MAX_PRINTED_REFUSED} more)`);
  // The file is imported even when some records are refused (as online); the exit code tells a script to look.
  return refused.length > 0 ? 1 : 0;
}

/** A bundle is a few KB; anything far larger is the wrong file. */
const MAX_RULES_FILE_BYTES = 256 * 1024;

async function publishRulesCommand(args: readonly string[], deps: AdminDeps): Promise<number> {
  const { point, file } = parseArgs(z.strictObject({ point: PointCode, file: z.string().min(1) }), { point: flagValue(args, '--point'), file: flagValue(args, '--file') });
  let raw: unknown;
  try {
    if ((await stat(file)).size > MAX_RULES_FILE_BYTES) throw new Error('too large');
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new ValidationError(`cannot read ${path.basename(file)} as JSON`, '省级配置文件无法读取，或不是有效的 JSON（须为 UTF-8 编码，不超过 256 KB）。');
  }
  try {
    const published = await publishRules(deps.db, point, raw, deps.now());
    deps.out(
      published.status === 'published'
        ? `已发布省级配置 published rules ${published.version} for ${published.pointCode} (sha256 ${published.bundleSha256})`
        : `省级配置 ${published.version} 已发布过，内容相同 already published with this content (${published.publishedAt})`,
    );
    return 0;
  } catch (error) {
    // Which checks failed (paths and rules, no personal data): the admin fixes the file from these.
    if (error instanceof RulesError && error.reason === 'content-invalid') {
      deps.out(`${error.userMessage} (content-invalid)`);
      for (const line of (error.detail ?? '').replace(/^content-invalid: /, '').split('; ')) deps.out(`  ${line}`);
      return 1;
    }
    throw error;
  }
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
      case 'import-roster':
        return await importRosterCommand(args, deps);
      case 'import-bundle':
        return await importBundleCommand(args, deps);
      case 'publish-rules':
        return await publishRulesCommand(args, deps);
      case 'add-staff':
      case 'set-staff-password':
      case 'disable-staff':
      case 'list-staff':
        return await staffCommand(command, args, deps);
      default:
        deps.out(adminUsage);
        return 2;
    }
  } catch (error) {
    if (!(error instanceof StationError)) throw error;
    deps.out(`${error.userMessage} (${error instanceof ServerError ? error.reason : (error.reason ?? error.code)})`);
    const badRows = error instanceof ServerError ? (error.extra.badRows ?? []) : [];
    for (const bad of badRows) deps.out(`  第 ${bad.row} 行 row ${bad.row}: ${bad.reasons.join('；')}`);
    return 1;
  }
}
