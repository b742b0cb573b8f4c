import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The rings (README "Where things live") are enforced by eslint.config.js. Each case lints one import line as if it
 * were written in a file of that folder, using the project's real config.
 */
const root = path.resolve(import.meta.dirname, '../../..');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

async function boundaryErrors(file: string, specifier: string): Promise<string[]> {
  const code = `import { x } from '${specifier}';\nexport const y = x;\n`;
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
  const forbidden: Array<[string, string]> = [
    ['renderer/staff/x.ts', '../../host/station-host.js'],
    ['renderer/staff/x.ts', '../../native/idcard/frame.js'],
    ['renderer/staff/x.ts', '../../server/main.js'],
    ['renderer/staff/x.ts', '../../electron/main/main.js'],
    ['native/idcard/x.ts', '../../host/station-host.js'],
    ['native/idcard/x.ts', '../../server/main.js'],
    ['native/idcard/x.ts', '../../renderer/staff/app.js'],
    ['host/central/x.ts', '../../server/crypto/ed25519.js'],
    ['host/central/x.ts', '../../renderer/staff/app.js'],
    ['host/central/x.ts', '../../electron/main/main.js'],
    ['server/http/x.ts', '../../host/station-host.js'],
    ['server/http/x.ts', '../../native/idcard/frame.js'],
    ['server/http/x.ts', '../../renderer/staff/app.js'],
    ['server/http/x.ts', '../../electron/main/main.js'],
    ['core/contract/x.ts', '../../server/main.js'],
    ['core/contract/x.ts', '../../host/station-host.js'],
  ];

  it.each(forbidden)('%s may not import %s', async (file, specifier) => {
    expect((await boundaryErrors(file, specifier)).length).toBeGreaterThan(0);
  });

  const allowed: Array<[string, string]> = [
    ['renderer/staff/x.ts', '../../core/contract/confirmation.js'],
    ['host/central/x.ts', '../../core/crypto/sha256.js'],
    ['host/services/x.ts', '../../native/idcard/frame.js'],
    ['server/http/x.ts', '../../core/logging/logger.js'],
    ['electron/main/x.ts', '../../host/station-host.js'],
  ];

  it.each(allowed)('%s may import %s', async (file, specifier) => {
    expect(await boundaryErrors(file, specifier)).toEqual([]);
  });
});
