import type { DeviceStatus } from '../../../core/contract/devices.js';
import type { HostReadiness, StationInfo } from '../../../core/contract/station-api.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { RosterGate } from '../stores/station-store.js';

const t = zhCN.readiness;
const GiB = 1024 ** 3;

/** Below these the station cannot be trusted with the next candidate's photos and fingerprints. */
export const readinessLimits = {
  diskBlockBytes: 1 * GiB,
  diskWarnBytes: 5 * GiB,
  clockBlockMs: 10 * 60_000,
  clockWarnMs: 2 * 60_000,
  /** A clock reading older than this says little about the clock now. */
  clockReadingMaxAgeMs: 6 * 3_600_000,
  backlogWarnCount: 300,
  backlogWarnAgeMs: 4 * 3_600_000,
  /** Share of the roster's age limit after which staff are reminded to sync. */
  rosterWarnShare: 0.75,
} as const;

export interface ReadinessProblem {
  id: string;
  severity: 'blocking' | 'warning';
  /** What is wrong and what to do, in Chinese. */
  message: string;
}

export interface ReadinessInput {
  host: HostReadiness | undefined;
  devices: readonly DeviceStatus[];
  policy: StationInfo['policy'] | undefined;
  gate: RosterGate;
  backlog: { pending: number; needsAttention: number; lastSuccessAt: number | undefined; enrolled: boolean };
  now: number;
}

const formatBytes = (bytes: number) => (bytes >= GiB ? `${(bytes / GiB).toFixed(1)} GB` : `${Math.round(bytes / 1024 ** 2)} MB`);

/**
 * The check before each candidate: a blocking problem stops the next confirmation (its record could not be
 * trusted or kept), a warning is shown and the desk goes on.
 */
export function assessReadiness(input: ReadinessInput): ReadinessProblem[] {
  const problems: ReadinessProblem[] = [];
  const add = (id: string, severity: ReadinessProblem['severity'], message: string) => problems.push({ id, severity, message });
  const { host, policy } = input;

  if (host) {
    if (host.freeDiskBytes === undefined) add('disk', 'warning', t.diskUnknown);
    else if (host.freeDiskBytes < readinessLimits.diskBlockBytes) add('disk', 'blocking', t.diskLow(formatBytes(host.freeDiskBytes)));
    else if (host.freeDiskBytes < readinessLimits.diskWarnBytes) add('disk', 'warning', t.diskTight(formatBytes(host.freeDiskBytes)));
    if (host.clock && host.clock.ageMs <= readinessLimits.clockReadingMaxAgeMs) {
      const off = Math.abs(host.clock.offsetMs);
      if (off >= readinessLimits.clockBlockMs) add('clock', 'blocking', t.clockOff(Math.round(off / 60_000)));
      else if (off >= readinessLimits.clockWarnMs) add('clock', 'warning', t.clockDrift(Math.round(off / 1000)));
    }
  }

  const device = (kind: DeviceStatus['kind']) => input.devices.find((d) => d.kind === kind);
  const usable = (status: DeviceStatus | undefined) => status !== undefined && (status.state === 'ready' || status.state === 'busy');
  if (!usable(device('idcard-reader'))) add('idcard-reader', 'warning', t.readerMissing);
  const cameraNeeded = policy?.faceCheck === 'required' || policy?.standardPhoto === 'required';
  if (cameraNeeded && !usable(device('camera'))) add('camera', 'blocking', t.deviceMissing(zhCN.device.kinds.camera));
  if (policy?.fingerprints === 'required' && !usable(device('fingerprint-scanner'))) {
    add('fingerprint-scanner', 'blocking', t.deviceMissing(zhCN.device.kinds['fingerprint-scanner']));
  }

  // A roster past its limit is shown (and overridden) by the roster-age banner; here only the reminder before it.
  const { gate } = input;
  if (gate && !gate.age.stale && gate.age.ageHours >= gate.limitHours * readinessLimits.rosterWarnShare) {
    add('roster', 'warning', t.rosterAging(Math.floor(gate.age.ageHours), gate.limitHours));
  }

  const { backlog } = input;
  if (backlog.pending >= readinessLimits.backlogWarnCount) add('backlog-size', 'warning', t.backlogLarge(backlog.pending));
  if (backlog.enrolled && backlog.pending > 0 && backlog.lastSuccessAt !== undefined && input.now - backlog.lastSuccessAt >= readinessLimits.backlogWarnAgeMs) {
    add('backlog-age', 'warning', t.backlogStale(Math.floor((input.now - backlog.lastSuccessAt) / 3_600_000)));
  }
  if (backlog.needsAttention > 0) add('needs-attention', 'warning', t.needsAttention(backlog.needsAttention));
  return problems;
}

export const isBlocked = (problems: readonly ReadinessProblem[]) => problems.some((p) => p.severity === 'blocking');
