import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { packagedFontDir, reportFontFile, reportFontPackage } from '../../../../host/exports/font.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../..', import.meta.url));
let dir: string | undefined;

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/**
 * main.js bundles the host with esbuild (scripts/build.mjs: ESM for Node, `require` from a banner), and the
 * packaged app has no pdfkit or font package in node_modules. The exports must still work that way: pdfkit must
 * not reach for its own data files, and the font must come from the app's fonts/ folder.
 */
describe('the exports bundled as in the packaged app', () => {
  it('write XLSX, CSV and PDF from a bundle with no node_modules beside it', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'exports-bundle-'));
    const entry = path.join(dir, 'entry.ts');
    const rel = (p: string) => path.join(root, p).split(path.sep).join('/');
    await writeFile(
      entry,
      [
        `import { buildDayLog } from '${rel('core/day-log/build-day-log.ts')}';`,
        `import { dayLogCsv, dayLogXlsx, dayReportPdf, resolveReportFont } from '${rel('host/exports/index.ts')}';`,
        `import { input, sampleDay } from '${rel('test/unit/host/exports/day-log-fixtures.ts')}';`,
        'const log = buildDayLog(input(sampleDay()));',
        'const head = (b) => Buffer.from(b.slice(0, 4)).toString("latin1");',
        'console.log(JSON.stringify({ font: resolveReportFont(), xlsx: head(await dayLogXlsx(log)), csv: dayLogCsv(log).length, pdf: head(await dayReportPdf(log)) }));',
      ].join('\n'),
    );
    const app = path.join(dir, 'app');
    await build({
      absWorkingDir: root,
      entryPoints: [entry],
      outfile: path.join(app, 'dist/electron/main.js'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'error',
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    });
    const font = path.join(app, packagedFontDir, reportFontFile);
    await mkdir(path.dirname(font), { recursive: true });
    await copyFile(path.join(root, 'node_modules', reportFontPackage, reportFontFile), font);
    const { stdout } = await run(process.execPath, [path.join(app, 'dist/electron/main.js')], { cwd: dir, timeout: 60_000 });
    const result = JSON.parse(stdout) as { font: string; xlsx: string; csv: number; pdf: string };
    expect(result.font).toBe(font);
    expect(result.xlsx).toBe('PK\u0003\u0004');
    expect(result.pdf).toBe('%PDF');
    expect(result.csv).toBeGreaterThan(100);
  }, 60_000);
});
