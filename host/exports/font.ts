import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StationError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';

/**
 * The day report's CJK font: Noto Sans SC Regular (SIL OFL) from @expo-google-fonts/noto-sans-sc, never a system
 * font (a Windows station may have none that pdfkit can read). One weight only: each is about 10 MB.
 */
export const reportFontPackage = '@expo-google-fonts/noto-sans-sc';
export const reportFontFile = '400Regular/NotoSansSC_400Regular.ttf';
/**
 * Where the packaged app keeps it, relative to the app root (electron-builder.yml copies it there, since the
 * package itself is left out of the installer's node_modules).
 */
export const packagedFontDir = 'fonts/noto-sans-sc';

/**
 * The font file's path. From source and the browser host, node resolution finds the package; in the packaged app
 * the bundle sits in <app>/dist/electron/, so the copy is looked for in the folders above it.
 */
export function resolveReportFont(from: string = import.meta.url): string {
  try {
    return createRequire(from).resolve(`${reportFontPackage}/${reportFontFile}`);
  } catch {
    // Not installed as a package: look for the packaged copy.
  }
  let dir = path.dirname(fileURLToPath(from));
  for (let up = 0; up < 4; up++) {
    const candidate = path.join(dir, packagedFontDir, reportFontFile);
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new StationError('INTERNAL', zhCN.dayLog.fontMissing, 'report font not found');
}
