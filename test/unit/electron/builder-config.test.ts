import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { nativeModules } from '../../../electron/main/native-modules.js';

/**
 * electron-builder.yml, checked without building: against electron-builder's own schema, and for the
 * decisions the station depends on (issue 16). The build itself runs on the public CI (.github/workflows).
 */
const root = fileURLToPath(new URL('../../..', import.meta.url));
const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & {
  files: string[];
  asarUnpack: string[];
  extraResources: { from: string; to: string }[];
  win: { target: { target: string; arch: string[] }[]; icon: string };
  nsis: Record<string, unknown>;
  portable: Record<string, unknown>;
};
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; productName: string };

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's schema", () => {
    const schema = JSON.parse(readFileSync(path.join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 5))).toEqual([]);
    expect(valid).toBe(true);
  });

  it('builds an NSIS installer and a portable exe for x64 Windows, with the app icon', () => {
    expect(config.win.target).toEqual([
      { target: 'nsis', arch: ['x64'] },
      { target: 'portable', arch: ['x64'] },
    ]);
    expect(existsSync(path.join(root, config.win.icon))).toBe(true);
    expect(config['executableName']).toMatch(/^[a-z-]+$/);
    expect(config['productName']).toBe(pkg.productName);
  });

  it('installs per machine, lets the installer choose the folder, speaks Chinese, and makes both shortcuts', () => {
    expect(config.nsis).toMatchObject({
      oneClick: false,
      perMachine: true,
      allowToChangeInstallationDirectory: true,
      installerLanguages: ['zh_CN'],
      language: '2052',
      createStartMenuShortcut: true,
      shortcutName: '现场确认工作站',
    });
    expect([true, 'always']).toContain(config.nsis['createDesktopShortcut']);
    // The station's data (keys, database) outlives a reinstall.
    expect(config.nsis['deleteAppDataOnUninstall']).toBe(false);
  });

  it('unpacks every native module the shell loads, including koffi’s per-platform binary package', () => {
    expect(config['asar']).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
    for (const module of nativeModules) {
      const folder = module.binaryDir.replace(/\/$/, '');
      const covered = config.asarUnpack.some((pattern) => pattern.includes(`node_modules/${folder}`) || pattern.includes(`node_modules/${folder.split('/')[0]}/**`));
      expect(covered, module.name).toBe(true);
    }
  });

  it('ships the bundles and the assets folder, never source maps, and publishes nowhere', () => {
    expect(config.files).toEqual(expect.arrayContaining(['package.json', 'dist/electron/**', 'dist/renderer/**', '!**/*.map']));
    expect(config.extraResources).toEqual([expect.objectContaining({ from: 'assets', to: 'assets' })]);
    expect(config['publish']).toBeNull();
  });

  it('leaves out of node_modules every dependency main.js does not load at run time', () => {
    // main.js loads these from node_modules (build.mjs marks them external); all else is bundled or server-only.
    const runtime = new Set(['node-hid', 'serialport', 'koffi', 'electron-updater']);
    const build = readFileSync(path.join(root, 'scripts/build.mjs'), 'utf8');
    for (const name of runtime) expect(build).toContain(`'${name}'`);
    for (const name of Object.keys(pkg.dependencies)) {
      const excluded = config.files.some((pattern) => pattern === `!**/node_modules/${name}/**` || pattern === `!**/node_modules/${name.split('/')[0]}/**`);
      expect(excluded, `${name}: ${runtime.has(name) ? 'needed at run time' : 'should be excluded'}`).toBe(!runtime.has(name));
    }
  });

  it('leaves code signing to the environment: no certificate or password in the file', () => {
    const text = readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');
    expect(text).toContain('CSC_LINK');
    for (const key of ['certificateFile', 'certificatePassword', 'certificateSubjectName', 'certificateSha1']) expect(text).not.toContain(`${key}:`);
  });
});
