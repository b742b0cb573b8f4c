import { DeviceError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';

export interface CameraDevice {
  deviceId: string;
  label: string;
}

/** The video inputs the browser reports (labels appear once camera permission was granted). */
export async function listCameras(media: Pick<MediaDevices, 'enumerateDevices'>): Promise<CameraDevice[]> {
  const devices = await media.enumerateDevices();
  return devices
    .filter((device) => device.kind === 'videoinput')
    .map((device, i) => ({ deviceId: device.deviceId, label: device.label || `${zhCN.face.camera.title} ${i + 1}` }));
}

/**
 * Opens a camera at a resolution good enough for a 358×441 photo crop. The browser's reasons become
 * DeviceErrors with what staff should do (no camera, permission denied, busy).
 */
export async function openCamera(media: Pick<MediaDevices, 'getUserMedia'>, deviceId?: string): Promise<MediaStream> {
  try {
    return await media.getUserMedia({
      audio: false,
      video: { ...(deviceId ? { deviceId: { exact: deviceId } } : {}), width: { ideal: 1280 }, height: { ideal: 720 } },
    });
  } catch (thrown) {
    const name = thrown instanceof Error ? thrown.name : '';
    const t = zhCN.face.camera;
    const message =
      name === 'NotFoundError' || name === 'OverconstrainedError'
        ? t.noCamera
        : name === 'NotAllowedError' || name === 'SecurityError'
          ? t.denied
          : name === 'NotReadableError'
            ? t.busy
            : t.failed;
    throw new DeviceError(`getUserMedia failed: ${name || 'unknown'}`, message);
  }
}
