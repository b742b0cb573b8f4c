import type { DeviceStatus } from '../../core/contract/devices.js';
import type { CandidateType, ConfirmationStatus, Sex } from '../../core/contract/roster.js';
import { zhCN } from '../../core/i18n/zh-CN.js';

export const candidateTypeLabel = (type: CandidateType): string => zhCN.candidate.types[type];
export const sexLabel = (sex: Sex): string => zhCN.candidate.sex[sex];
export const statusLabel = (status: ConfirmationStatus): string => zhCN.candidate.status[status];
export const deviceKindLabel = (kind: DeviceStatus['kind']): string => zhCN.device.kinds[kind];
export const deviceStateLabel = (state: DeviceStatus['state']): string => zhCN.device.states[state];
