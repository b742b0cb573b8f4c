import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FileMatcher } from 'app-builder-lib/out/fileMatcher.js';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packagedFontDir, reportFontFile, reportFontPackage, resolveReportFont } from '../../../../host/exports/font.js';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as { files: (string | { from: string; to: string; filter: string[] })[] };
const fontSet = config.files.find((f): f is { from: string; to: string; filter: string[] } => typeof f === 'object' && f.to === packagedFontDir);

/** The files electron-builder's own filter lets through from a folder, walked the way its copier walks it. */
type BuilderFilter = ReturnType<FileMatcher['createFilter']>;

function shippedFiles(from: string, filter: BuilderFilter): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      const stat = statSync(file);
      if (!filter(file, stat as Parameters<BuilderFilter>[1])) continue;
      if (stat.isDirectory()) walk(file);
      else out.push(path.relative(from, file).split(path.sep).join('/'));
    }
  };
  walk(from);
  return out.sort();
}

const scratch = mkdtempSync(path.join(tmpdir(), 'report-font-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the day report font in the installer', () => {
  it('is copied into the app at the folder the host looks in, one weight and its licence only', () => {
    expect(fontSet).toBeDefined();
    expect(fontSet!.from).toBe(`node_modules/${reportFontPackage}`);
    const from = path.join(root, fontSet!.from);
    const matcher = new FileMatcher(from, path.join(scratch, 'out'), (s: string) => s, fontSet!.filter);
    const files = shippedFiles(from, matcher.createFilter());
    expect(files).toEqual([reportFontFile, 'LICENSE_FONT'].sort());
    const bytes = files.reduce((sum, f) => sum + statSync(path.join(from, f)).size, 0);
    expect(bytes).toBeLessThan(12 * 1024 * 1024);
    // The package itself (nine weights, about 90 MB) stays out of the app's node_modules.
    expect(config.files).toContain(`!**/node_modules/${reportFontPackage.split('/')[0]}/**`);
  });

  it('is found next to the bundle in the packaged layout, where the package is not installed', () => {
    const app = path.join(scratch, 'app');
    const target = path.join(app, packagedFontDir, reportFontFile);
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(path.join(root, 'node_modules', reportFontPackage, reportFontFile), target);
    mkdirSync(path.join(app, 'dist/electron'), { recursive: true });
    const bundle = pathToFileURL(path.join(app, 'dist/electron/main.js')).href;
    expect(resolveReportFont(bundle)).toBe(target);
    rmSync(target);
    expect(() => resolveReportFont(bundle)).toThrow(/font/);
  });
});
