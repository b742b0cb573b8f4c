import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HostReadiness } from '../../../core/contract/station-api.js';
import { CentralLink } from '../../../host/central/central-link.js';
import { StationIdentity } from '../../../host/central/station-identity.js';
import { probeReadiness } from '../../../host/services/readiness-probe.js';

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'readiness-'));
  dirs.push(dir);
  return dir;
};
afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('host readiness probe', () => {
  it('reports free space where the data lives and the clock against the server', async () => {
    const dir = await tempDir();
    const now = Date.parse('2026-12-03T08:00:10Z');
    const reading = await probeReadiness({ dataDir: dir, clock: async () => ({ offsetMs: -120_000, measuredAt: now - 5000 }), now: () => now });
    expect(HostReadiness.parse(reading)).toEqual(reading);
    expect(reading.freeDiskBytes).toBeGreaterThan(0);
    expect(reading.clock).toEqual({ offsetMs: -120_000, ageMs: 5000 });
  });

  it('leaves out what it cannot read', async () => {
    const reading = await probeReadiness({ dataDir: path.join(await tempDir(), 'missing'), clock: async () => undefined });
    expect(reading.freeDiskBytes).toBeUndefined();
    expect(reading.clock).toBeUndefined();
  });

  it('the central link learns the server clock from each reply\'s Date header', async () => {
    const identity = await StationIdentity.load(await tempDir());
    let local = Date.parse('2026-12-03T08:00:00.000Z');
    const serverAhead = 7 * 60_000;
    const link = new CentralLink(identity, {
      now: () => local,
      fetch: async () => {
        local += 200; // the round trip
        const body = JSON.stringify({ stationId: '123e4567-e89b-42d3-a456-426614174000', pointCode: 'ZZ-01', pointName: '测试点' });
        return new Response(body, { status: 200, headers: { date: new Date(local - 100 + serverAhead).toUTCString(), 'content-type': 'application/json' } });
      },
    });
    expect(link.clockReading).toBeUndefined();
    await link.enroll({ serverUrl: 'http://central.test', code: 'ABCD-1234', pointCode: 'ZZ-01', stationName: '一号机' });
    const offset = link.clockReading?.offsetMs ?? 0;
    // Second resolution of the header: within a second of the truth.
    expect(Math.abs(offset - serverAhead)).toBeLessThanOrEqual(1000);
  });
});
