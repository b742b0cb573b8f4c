import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CentralServer, freePort } from './fixtures/central-server.js';

/**
 * One central server started and stopped before the tests: its PGlite folder, created and migrated, is the
 * template every test's central server starts from (a copy), instead of each creating and migrating its own.
 */
export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'central-template-'));
  const server = new CentralServer(await freePort(), dir);
  await server.start();
  await server.stop();
  process.env['CENTRAL_TEMPLATE_DIR'] = dir;
}
