import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DeviceStatus } from '../../../core/contract/devices.js';
import type { StationInfo } from '../../../core/contract/station-api.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { RosterMeta } from '../../db/station-db.js';
import type { ConnectionState } from '../../api/ws-transport.js';

export type RosterLoad =
  | { status: 'loading' }
  | { status: 'ready'; meta: RosterMeta; warning?: string }
  | { status: 'failed'; message: string };

/** What the staff window knows about its station: host, devices, roster. Written by the staff session service. */
export interface StationState {
  connection: ConnectionState;
  info: StationInfo | undefined;
  devices: DeviceStatus[];
  camera: DeviceStatus;
  roster: RosterLoad;
}

export const cameraUnknown: DeviceStatus = { kind: 'camera', state: 'disconnected', simulated: false, model: zhCN.device.kinds.camera };

export function createStationStore(): StoreApi<StationState> {
  return createStore<StationState>()(() => ({
    connection: 'connecting',
    info: undefined,
    devices: [],
    camera: cameraUnknown,
    roster: { status: 'loading' },
  }));
}
