import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { verifyChain, type ChainVerdict } from '../../core/audit/audit-chain.js';
import { createConsoleLogger } from '../../core/logging/logger.js';
import { databaseTargetFrom } from '../../server/config.js';
import type { Database } from '../../server/db/database.js';
import { migrate } from '../../server/db/migrator.js';
import { openDatabase } from '../../server/db/open-database.js';
import { listAuditBreaks, readStationAudit } from '../../server/services/audit.js';
import { findStation } from '../../server/services/stations.js';

export const auditVerifyUsage = `usage: npm run -s audit:verify -- --file <audit.jsonl|audit.json>
       npm run -s audit:verify -- --station <station-id>
  --file     a station's audit entries: JSON lines, a JSON array, or { "entries": [...] }
  --station  the chain the central server holds for a station (DATABASE_URL or PGLITE_DIR, as for admin-cli;
             stop a server that uses the PGlite directory first)
Prints "OK: N entries" (exit 0) or the first broken link (exit 1); bad arguments or input: exit 2.`;

export interface AuditVerifyDeps {
  out(line: string): void;
  err(line: string): void;
  env: { DATABASE_URL?: string | undefined; PGLITE_DIR?: string | undefined };
  /** Opens the server's database (tests hand in theirs). */
  openDb?: () => Promise<{ db: Database; close(): Promise<void> }>;
}

const StationId = z.uuid();

/** A JSON document (array or { entries }) or JSON lines; an unparsable line stays in place as a malformed entry. */
function parseEntries(text: string): unknown[] | undefined {
  try {
    const whole: unknown = JSON.parse(text);
    if (Array.isArray(whole)) return whole;
    if (typeof whole === 'object' && whole !== null && Array.isArray((whole as { entries?: unknown }).entries)) return (whole as { entries: unknown[] }).entries;
    if (typeof whole === 'object' && whole !== null && 'seq' in whole) return [whole];
    return undefined;
  } catch {
    return text
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '')
      .map((line) => {
        try {
          return JSON.parse(line) as unknown;
        } catch {
          return null;
        }
      });
  }
}

function describeBreak(verdict: Extract<ChainVerdict, { ok: false }>): string {
  const sides = [verdict.expected && `expected ${verdict.expected}`, verdict.found && `found ${verdict.found}`].filter(Boolean).join(', ');
  return `BROKEN at seq ${verdict.brokenAt}: ${verdict.reason}${sides ? ` (${sides})` : ''}; ${verdict.verified} ${verdict.verified === 1 ? 'entry' : 'entries'} before it verified`;
}

function report(verdict: ChainVerdict, deps: AuditVerifyDeps): number {
  if (verdict.ok) {
    deps.out(`OK: ${verdict.count} entries`);
    return 0;
  }
  deps.out(describeBreak(verdict));
  return 1;
}

/** `audit:verify`: checks a chain from its first entry and prints the first broken link. Returns the exit code. */
export async function runAuditVerify(args: readonly string[], deps: AuditVerifyDeps): Promise<number> {
  const [flag, value, ...rest] = args;
  if (rest.length > 0 || value === undefined || value.startsWith('--') || (flag !== '--file' && flag !== '--station')) {
    deps.err(auditVerifyUsage);
    return 2;
  }
  if (flag === '--file') {
    let text: string;
    try {
      text = await readFile(value, 'utf8');
    } catch (thrown) {
      deps.err(`cannot read ${value}: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
      return 2;
    }
    const entries = parseEntries(text);
    if (!entries) {
      deps.err(`${value} is not an audit file (JSON lines, an array or { "entries": [...] })`);
      return 2;
    }
    return report(verifyChain(entries), deps);
  }

  const stationId = StationId.safeParse(value);
  if (!stationId.success) {
    deps.err(`--station needs a station id (uuid)\n${auditVerifyUsage}`);
    return 2;
  }
  const opened = deps.openDb ? await deps.openDb() : await openServerDb(deps);
  if (!opened) return 2;
  try {
    if (!(await findStation(opened.db, stationId.data))) {
      deps.err(`no station ${stationId.data} on this server`);
      return 2;
    }
    const code = report(verifyChain(await readStationAudit(opened.db, stationId.data)), deps);
    // Entries the server refused on arrival (conflicts, malformed) are not in the stored chain: say so too.
    const flagged = await listAuditBreaks(opened.db, stationId.data);
    if (flagged.length === 0) return code;
    deps.out(`the server flagged ${flagged.length} break(s) when entries arrived:`);
    for (const flag of flagged) deps.out(`  seq ${flag.seq}: ${flag.reason} at ${flag.detectedAt.toISOString()}${flag.detail ? ` (${flag.detail})` : ''}`);
    return 1;
  } finally {
    await opened.close();
  }
}

async function openServerDb(deps: AuditVerifyDeps): Promise<{ db: Database; close(): Promise<void> } | undefined> {
  const target = databaseTargetFrom({ DATABASE_URL: deps.env.DATABASE_URL || undefined, PGLITE_DIR: deps.env.PGLITE_DIR || undefined });
  if (target.kind === 'pglite' && target.dataDir === undefined) {
    deps.err('set DATABASE_URL or PGLITE_DIR to the central server\'s database');
    return undefined;
  }
  const db = await openDatabase(target, createConsoleLogger('audit-verify'));
  // The same schema step as admin-cli: a database from before the audit tables gets them (empty).
  await migrate(db);
  return { db, close: () => db.close() };
}
