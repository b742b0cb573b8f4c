import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { swapDir } from '../../../scripts/lib/swap-dir.mjs';

function folder(parent: string, name: string, files: Record<string, string>): string {
  const dir = path.join(parent, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('the build swaps its finished folder in whole', () => {
  it('replaces the old dist with the new one, files of the old build gone, nothing left beside', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'swap-'));
    const target = folder(parent, 'dist', { 'renderer/staff/index.html': 'old', 'renderer/assets/old-abc.js': 'old' });
    const built = folder(parent, 'dist.next-1', { 'renderer/staff/index.html': 'new', 'renderer/assets/new-def.js': 'new' });
    await swapDir(built, target);
    expect(readFileSync(path.join(target, 'renderer/staff/index.html'), 'utf8')).toBe('new');
    expect(readdirSync(path.join(target, 'renderer/assets'))).toEqual(['new-def.js']);
    expect(readdirSync(parent)).toEqual(['dist']);
  });

  it('puts the first build in place when there is no dist yet', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'swap-'));
    const built = folder(parent, 'dist.next-2', { 'host/browser-host.js': 'host' });
    await swapDir(built, path.join(parent, 'dist'));
    expect(readFileSync(path.join(parent, 'dist/host/browser-host.js'), 'utf8')).toBe('host');
    expect(readdirSync(parent)).toEqual(['dist']);
  });

  it('keeps the previous dist when the built folder is missing', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'swap-'));
    const target = folder(parent, 'dist', { 'renderer/staff/index.html': 'old' });
    await expect(swapDir(path.join(parent, 'dist.next-3'), target)).rejects.toThrow();
    expect(readFileSync(path.join(target, 'renderer/staff/index.html'), 'utf8')).toBe('old');
    expect(existsSync(`${target}.old-${process.pid}`)).toBe(false);
  });
});
