import { z } from 'zod';

export const DeviceKind = z.enum(['idcard-reader', 'fingerprint-scanner', 'camera']);
export type DeviceKind = z.infer<typeof DeviceKind>;

/** 未连接 / 就绪 / 忙 / 故障 */
export const DeviceState = z.enum(['disconnected', 'ready', 'busy', 'fault']);
export type DeviceState = z.infer<typeof DeviceState>;

export const DeviceStatus = z.strictObject({
  kind: DeviceKind,
  state: DeviceState,
  simulated: z.boolean(),
  /** What the device calls itself, e.g. "HID 0400:C35A" or "模拟身份证阅读器". */
  model: z.string().max(200),
  /** A user-facing explanation when the state is `fault` or `disconnected`. */
  message: z.string().max(500).optional(),
});
export type DeviceStatus = z.infer<typeof DeviceStatus>;

export const DeviceStatusList = z.array(DeviceStatus).max(16);
export type DeviceStatusList = z.infer<typeof DeviceStatusList>;
