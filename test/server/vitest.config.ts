import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Server tests: `npx vitest run -c test/server/vitest.config.ts` (the root config only includes test/unit).
 * Each file opens one PGlite (seconds, ~750 MB) and, with TEST_DATABASE_URL, one PostgreSQL database.
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/server/**/*.test.ts'],
    environment: 'node',
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
