/**
 * The central server process: `npx tsx server/main.ts`. Configured by environment (see config.ts):
 * PORT (17400), HOST (127.0.0.1), DATABASE_URL (PostgreSQL) or else PGlite in PGLITE_DIR (in memory when
 * unset), ADMIN_TOKEN (enables the admin API).
 */
import { StationError } from '../core/errors/station-error.js';
import { createConsoleLogger } from '../core/logging/logger.js';
import { loadServerConfig } from './config.js';
import { migrate } from './db/migrator.js';
import { describeTarget, openDatabase } from './db/open-database.js';
import { buildServer } from './http/app.js';

const log = createConsoleLogger('central-server');

async function main(): Promise<void> {
  const config = loadServerConfig();
  const started = Date.now();
  const db = await openDatabase(config.database, log);
  const migrations = await migrate(db);
  log.info('database ready', { ...describeTarget(config.database), ms: Date.now() - started, applied: migrations.applied.length });
  if (config.database.kind === 'pglite' && config.database.dataDir === undefined) {
    log.warn('PGlite in memory: all data is lost when the server stops (set PGLITE_DIR or DATABASE_URL)');
  }
  const app = buildServer({ db, adminToken: config.adminToken, logger: log, receiptVerifyLimit: { perMinute: config.receiptVerifyPerMinute } });
  const url = await app.listen({ port: config.port, host: config.host });
  log.info('listening', { url, admin: config.adminToken === undefined ? 'off' : 'on' });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    void app
      .close()
      .then(() => db.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log.error('unclean stop', { error: error instanceof Error ? error.name : typeof error });
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof StationError) log.error('cannot start', { code: error.code, detail: error.detail });
  else log.error('cannot start', { error: error instanceof Error ? `${error.name}: ${error.message}` : typeof error });
  process.exit(1);
});
