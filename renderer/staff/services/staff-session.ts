import type { StoreApi } from 'zustand/vanilla';
import type { StationClient } from '../../../core/api/client.js';
import type { DeviceStatus } from '../../../core/contract/devices.js';
import { toStationError } from '../../../core/errors/station-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { RosterRepository } from '../../roster/roster-repository.js';
import type { CheckInState } from '../stores/check-in-store.js';
import type { StationState } from '../stores/station-store.js';

/** The camera is the renderer's own device (getUserMedia); its presence is read from the browser. */
export async function detectCamera(media: Pick<MediaDevices, 'enumerateDevices'> | undefined): Promise<DeviceStatus> {
  const base = { kind: 'camera', simulated: false } as const;
  if (!media) return { ...base, state: 'fault', model: zhCN.device.kinds.camera, message: zhCN.device.cameraUnavailable };
  try {
    const cameras = (await media.enumerateDevices()).filter((d) => d.kind === 'videoinput');
    if (cameras.length === 0) {
      return { ...base, state: 'disconnected', model: zhCN.device.kinds.camera, message: zhCN.device.notFound(zhCN.device.kinds.camera) };
    }
    return { ...base, state: 'ready', model: cameras[0]?.label || zhCN.device.kinds.camera };
  } catch {
    return { ...base, state: 'fault', model: zhCN.device.kinds.camera, message: zhCN.errors.device };
  }
}

/**
 * Starts everything the staff window keeps running: host events into stores, the roster seed,
 * device and camera status. Returns a stop function.
 */
export async function startStaffSession(deps: {
  api: StationClient<'staff'>;
  roster: RosterRepository;
  station: StoreApi<StationState>;
  checkIn: StoreApi<CheckInState>;
  media: Pick<MediaDevices, 'enumerateDevices' | 'addEventListener' | 'removeEventListener'> | undefined;
}): Promise<{ resync(): Promise<void>; stop(): void }> {
  const { api, station, checkIn } = deps;
  const stops = [
    api.on('devices.changed', (devices) => station.setState({ devices })),
    api.on('kiosk.responded', (response) => checkIn.getState().receiveKioskResponse(response)),
    api.on('idcard.read', (event) => void checkIn.getState().readCard(event)),
    api.on('idcard.error', (event) => checkIn.getState().readerError(event)),
  ];

  const refreshCamera = () => void detectCamera(deps.media).then((camera) => station.setState({ camera }));
  deps.media?.addEventListener('devicechange', refreshCamera);
  stops.push(() => deps.media?.removeEventListener('devicechange', refreshCamera));
  refreshCamera();

  const [info, devices] = await Promise.all([api.call('station.info', {}), api.call('devices.list', {})]);
  station.setState({ info, devices });
  // Whether the simulated camera stands in is known only now (simulators on, no real camera).
  refreshCamera();

  try {
    const { meta, loadError } = await deps.roster.syncFromSeed(() => api.call('roster.loadSeed', {}));
    const warning = loadError && zhCN.roster.keptAfterFailure + loadError.userMessage;
    station.setState({ roster: warning ? { status: 'ready', meta, warning } : { status: 'ready', meta } });
  } catch (error) {
    station.setState({ roster: { status: 'failed', message: zhCN.roster.seedFailed + toStationError(error).userMessage } });
  }
  // A kiosk that was left showing a previous candidate (e.g. after a staff window reload) is cleared.
  await checkIn.getState().reset();
  return {
    // Events sent while the connection was down are lost: read devices and the kiosk's state again.
    resync: async () => {
      const [devices, kiosk] = await Promise.all([api.call('devices.list', {}), api.call('kiosk.status', {})]);
      station.setState({ devices });
      await checkIn.getState().syncWithKiosk(kiosk);
    },
    stop: () => stops.forEach((stop) => stop()),
  };
}
