import type { DeviceStatus } from '../../../core/contract/devices.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { deviceKindLabel, deviceStateLabel } from '../../ui/labels.js';

export function DeviceStatusBar({ devices }: { devices: readonly DeviceStatus[] }) {
  return (
    <ul className="device-bar" aria-label={zhCN.staff.devicesTitle}>
      {devices.map((device) => (
        <li
          key={device.kind}
          className={`device device--${device.state}`}
          data-testid={`device-${device.kind}`}
          data-state={device.state}
          title={device.message ?? device.model}
        >
          <span className="device__light" aria-hidden="true" />
          <span className="device__name">{deviceKindLabel(device.kind)}</span>
          <span className="device__state">{deviceStateLabel(device.state)}</span>
          {device.simulated && <span className="badge badge--sim">{zhCN.device.simulated}</span>}
        </li>
      ))}
    </ul>
  );
}
