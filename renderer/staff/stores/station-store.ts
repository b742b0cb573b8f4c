import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DeviceStatus } from '../../../core/contract/devices.js';
import type { StationInfo } from '../../../core/contract/station-api.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { RosterMeta } from '../../db/station-db.js';
import type { ConnectionState } from '../../api/ws-transport.js';
import type { SupervisorApproval } from '../../../core/contract/supervisor.js';
import { rosterAge, type RosterAge } from '../../roster/roster-age.js';

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
  /** When the roster download last got an answer from the server. */
  rosterSyncAt: number | undefined;
  /** A supervisor's approval to keep confirming on a stale roster; cleared when the roster is brought up to date. */
  rosterOverride: SupervisorApproval | undefined;
  /** Recomputed by the roster watch (on changes and every minute): components read it, never compute it. */
  gate: RosterGate;
}

export type RosterGate = { age: RosterAge; limitHours: number; blocked: boolean } | undefined;

/**
 * Whether confirmations may go ahead on this roster (undefined until roster and policy are known). `limit` turns
 * the station's own limit into the one that applies (the province rules may be stricter: effectiveRosterMaxAgeHours).
 */
export function rosterGate(state: StationState, now: number, limit: (stationLimitHours: number) => number = (hours) => hours): RosterGate {
  if (state.roster.status !== 'ready' || !state.info) return undefined;
  const limitHours = limit(state.info.policy.rosterMaxAgeHours);
  const age = rosterAge(state.roster.meta, state.rosterSyncAt, limitHours, now);
  return { age, limitHours, blocked: age.stale && !state.rosterOverride };
}

export const cameraUnknown: DeviceStatus = { kind: 'camera', state: 'disconnected', simulated: false, model: zhCN.device.kinds.camera };

export function createStationStore(): StoreApi<StationState> {
  return createStore<StationState>()(() => ({
    connection: 'connecting',
    info: undefined,
    devices: [],
    camera: cameraUnknown,
    roster: { status: 'loading' },
    rosterSyncAt: undefined,
    rosterOverride: undefined,
    gate: undefined,
  }));
}
