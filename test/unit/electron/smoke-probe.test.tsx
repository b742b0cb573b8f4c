// @vitest-environment jsdom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import type { StationInfo } from '../../../core/contract/station-api.js';
import { defaultFaceConfig } from '../../../core/contract/face-config.js';
import { staffReadyProbe } from '../../../electron/main/smoke.js';
import { TopBar } from '../../../renderer/staff/components/TopBar.js';
import type { RosterLoad } from '../../../renderer/staff/stores/station-store.js';
import { FatalScreen } from '../../../renderer/ui/FatalScreen.js';

afterEach(cleanup);

/** The probe main.ts runs with executeJavaScript, run here against the real staff components. */
const probe = () => new Function(`return ${staffReadyProbe}`)() as { state: string; message?: string };

const info = (hostKind: StationInfo['hostKind']): StationInfo => ({
  hostKind,
  appVersion: '0.1.0',
  stationName: '1号工位',
  simulatorsActive: true,
  policy: { rosterMaxAgeHours: 24, faceCheck: 'off', standardPhoto: 'off', fingerprints: 'off' },
  face: defaultFaceConfig,
});
const ready: RosterLoad = {
  status: 'ready',
  meta: { key: 'roster', pointCode: '4101', pointName: '郑州市示例确认点', generatedAt: '', loadedAt: '', count: 40, synthetic: true },
};

describe('the smoke probe on the real staff top bar', () => {
  it('is ready only with the desktop bridge and a loaded roster', () => {
    const { rerender } = render(<TopBar info={undefined} connection="open" roster={{ status: 'loading' }} />);
    expect(probe()).toEqual({ state: 'waiting' });
    rerender(<TopBar info={info('electron')} connection="open" roster={{ status: 'loading' }} />);
    expect(probe()).toEqual({ state: 'waiting' });
    rerender(<TopBar info={info('browser')} connection="open" roster={ready} />);
    expect(probe()).toEqual({ state: 'waiting' });
    rerender(<TopBar info={info('electron')} connection="open" roster={ready} />);
    expect(probe()).toEqual({ state: 'ready' });
  });

  it('fails on a roster that did not load and on the fatal screen', () => {
    const { rerender } = render(<TopBar info={info('electron')} connection="open" roster={{ status: 'failed', message: '报名名单文件已损坏' }} />);
    expect(probe()).toEqual({ state: 'failed', message: 'roster failed to load' });
    rerender(<FatalScreen message="连接未授权" />);
    expect(probe().state).toBe('failed');
    expect(probe().message).toContain('连接未授权');
  });
});
