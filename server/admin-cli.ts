/**
 * Admin commands against the server's database: `npx tsx server/admin-cli.ts <command> …` (see adminUsage).
 * Uses the server's environment: DATABASE_URL, else PGLITE_DIR. PGlite allows one process per directory,
 * so stop the server before using the CLI on a PGlite directory.
 */
import { createConsoleLogger } from '../core/logging/logger.js';
import { adminUsage, runAdminCommand } from './admin/commands.js';
import { storeAuditBatch } from './services/audit.js';
import { databaseTargetFrom } from './config.js';
import { migrate } from './db/migrator.js';
import { openDatabase } from './db/open-database.js';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv[0] === '--help') {
    console.log(adminUsage);
    return argv.length === 0 ? 2 : 0;
  }
  const target = databaseTargetFrom({ DATABASE_URL: process.env['DATABASE_URL'] || undefined, PGLITE_DIR: process.env['PGLITE_DIR'] || undefined });
  if (target.kind === 'pglite' && target.dataDir === undefined) {
    console.error('需要 DATABASE_URL 或 PGLITE_DIR：内存数据库在命令结束后即丢失。\n(set DATABASE_URL or PGLITE_DIR)');
    return 2;
  }
  const db = await openDatabase(target, createConsoleLogger('admin-cli'));
  try {
    await migrate(db);
    return await runAdminCommand(argv, { db, now: () => new Date(), out: (line) => console.log(line), storeAudit: storeAuditBatch });
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exit(1);
  },
);
