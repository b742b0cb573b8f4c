import { statfs } from 'node:fs/promises';
import type { HostReadiness } from '../../core/contract/station-api.js';

/**
 * What only the host can see for the readiness check before each candidate: free space where the station
 * keeps its data, and the clock against the central server's. The renderer adds devices, roster and backlog.
 */
export async function probeReadiness(deps: {
  dataDir: string | undefined;
  clock: () => Promise<{ offsetMs: number; measuredAt: number } | undefined>;
  now?: () => number;
}): Promise<HostReadiness> {
  const now = (deps.now ?? Date.now)();
  const [disk, clock] = await Promise.all([deps.dataDir ? freeBytes(deps.dataDir) : Promise.resolve(undefined), deps.clock().catch(() => undefined)]);
  return {
    checkedAt: new Date(now).toISOString(),
    ...(disk !== undefined ? { freeDiskBytes: disk } : {}),
    ...(clock ? { clock: { offsetMs: clock.offsetMs, ageMs: Math.max(0, now - clock.measuredAt) } } : {}),
  };
}

async function freeBytes(dir: string): Promise<number | undefined> {
  try {
    const stats = await statfs(dir);
    return Number(stats.bavail) * Number(stats.bsize);
  } catch {
    // A data folder that cannot be read is a problem the station reports elsewhere (identity, data key).
    return undefined;
  }
}
