import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Server tests: `npx vitest run -c test/server/vitest.config.ts` (the root config only includes test/unit).
 * Files share one migrated PGlite per worker (seconds and ~750 MB to start; see support/databases.ts), hence no
 * isolation between files; with TEST_DATABASE_URL each file also gets a PostgreSQL database of its own.
 */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/server/**/*.test.ts'],
    environment: 'node',
    maxWorkers: 2,
    isolate: false,
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
