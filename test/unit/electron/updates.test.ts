import { describe, expect, it } from 'vitest';

import { parseStationConfig } from '../../../host/config/station-config.js';
import { updateFeed } from '../../../electron/main/updates.js';

const packaged = { packaged: true, smoke: false };

describe('updates', () => {
  it('are off by default: the default config names no update folder', () => {
    const config = parseStationConfig({}, 'defaults');
    expect(config.updates).toEqual({});
    expect(updateFeed(config, packaged)).toBeUndefined();
  });

  it('with updates.url a packaged app uses the generic provider on that folder', () => {
    const config = parseStationConfig({ updates: { url: 'https://exam.example.cn/station-updates' } }, 'test');
    expect(updateFeed(config, packaged)).toEqual({ provider: 'generic', url: 'https://exam.example.cn/station-updates/' });
    expect(updateFeed(parseStationConfig({ updates: { url: 'http://10.0.0.5/u/' } }, 'test'), packaged)?.url).toBe('http://10.0.0.5/u/');
  });

  it('never from a development run or during a smoke run', () => {
    const config = parseStationConfig({ updates: { url: 'https://exam.example.cn/u/' } }, 'test');
    expect(updateFeed(config, { packaged: false, smoke: false })).toBeUndefined();
    expect(updateFeed(config, { packaged: true, smoke: true })).toBeUndefined();
  });

  it('the config refuses URLs that are not http(s) and unknown keys', () => {
    for (const updates of [{ url: 'file:///C:/updates' }, { url: 'ftp://x/y' }, { url: 'not a url' }, { url: 'https://x/', channel: 'beta' }]) {
      expect(() => parseStationConfig({ updates }, 'test')).toThrow();
    }
  });
});
