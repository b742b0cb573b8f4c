// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../../core/contract/devices.js';
import { DeviceStatusBar } from '../../../renderer/staff/components/DeviceStatusBar.js';
import { detectCamera } from '../../../renderer/staff/services/staff-session.js';

afterEach(cleanup);

describe('device status bar', () => {
  it('names every state in Chinese and marks simulators', () => {
    const devices: DeviceStatus[] = [
      { kind: 'idcard-reader', state: 'ready', simulated: true, model: '模拟身份证阅读器' },
      { kind: 'fingerprint-scanner', state: 'busy', simulated: false, model: 'R307' },
      { kind: 'camera', state: 'fault', simulated: false, model: 'USB Camera', message: '设备故障' },
    ];
    const { rerender } = render(<DeviceStatusBar devices={devices} />);
    const items = () => screen.getAllByRole('listitem').map((li) => li.textContent);
    expect(items()).toEqual(['身份证阅读器就绪模拟', '指纹仪忙', '摄像头故障']);
    expect(screen.getByTestId('device-camera').getAttribute('data-state')).toBe('fault');
    expect(screen.getByTestId('device-camera').getAttribute('title')).toBe('设备故障');
    rerender(<DeviceStatusBar devices={[{ kind: 'idcard-reader', state: 'disconnected', simulated: false, model: 'x' }]} />);
    expect(items()).toEqual(['身份证阅读器未连接']);
  });
});

describe('camera detection', () => {
  const device = (kind: MediaDeviceKind, label: string) => ({ kind, label, deviceId: label, groupId: '', toJSON: () => ({}) });
  it('is ready when a video input exists, disconnected when none, fault when the API fails or is missing', async () => {
    await expect(detectCamera({ enumerateDevices: async () => [device('videoinput', 'HD Camera')] })).resolves.toMatchObject({
      state: 'ready',
      model: 'HD Camera',
    });
    await expect(detectCamera({ enumerateDevices: async () => [device('audioinput', 'mic')] })).resolves.toMatchObject({
      state: 'disconnected',
      message: '未检测到摄像头，请检查USB连接；插好后会自动识别。',
    });
    await expect(detectCamera({ enumerateDevices: () => Promise.reject(new Error('denied')) })).resolves.toMatchObject({ state: 'fault' });
    await expect(detectCamera(undefined)).resolves.toMatchObject({ state: 'fault' });
  });
});
