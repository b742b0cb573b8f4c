import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** `../shared/fixtures` beside the project (CI has it there too); read in place, never copied into the repo. */
export const sharedFixturesDir = process.env['SHARED_FIXTURES_DIR'] ?? path.resolve(fileURLToPath(new URL('../..', import.meta.url)), '../shared/fixtures');
