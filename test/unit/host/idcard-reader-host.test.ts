import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseStationConfig } from '../../../host/config/station-config.js';
import { silentLogger } from '../../../core/logging/logger.js';
import { createStationHost, type StationHost } from '../../../host/station-host.js';
import { LIN } from '../../support/sample-roster.js';
import { until } from '../../support/eventually.js';

const SAMPLE = path.resolve('assets/roster/sample-roster.json');
let host: StationHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

async function start(simulators: 'on' | 'off', hidReportId: number | null = 0) {
  host = await createStationHost({
    hostKind: 'browser',
    appVersion: 'test',
    config: parseStationConfig(
      { simulators, simulatorTiming: 'instant', idcardReader: { pollIntervalMs: 100, hid: [], serial: [], hidReportId } },
      't',
    ),
    defaultRosterSeedFile: SAMPLE,
    logger: silentLogger,
  });
  const events: Record<'staff' | 'kiosk', [string, unknown][]> = { staff: [], kiosk: [] };
  host.subscribe('staff', (e, p) => events.staff.push([e, p]));
  host.subscribe('kiosk', (e, p) => events.kiosk.push([e, p]));
  return { host, events };
}

describe('ID card reader in the station host', () => {
  it('reads a simulated card through the real driver path and tells only the staff window', async () => {
    const { host, events } = await start('on');
    expect(host.info.simulatorsActive).toBe(true);
    expect(await host.dispatch('staff', 'devices.list', {})).toMatchObject({ ok: true, value: [{ kind: 'idcard-reader', state: 'ready', simulated: true }, {}] });
    expect(await host.dispatch('staff', 'simulator.idcard', { action: 'place', citizenId: LIN })).toEqual({ ok: true, value: { ok: true } });
    await until(() => events.staff.some(([e]) => e === 'idcard.read'));
    const [, read] = events.staff.find(([e]) => e === 'idcard.read')!;
    expect(read).toMatchObject({ card: { source: 'chip', name: '林晓雨', idNumber: LIN, cardType: 'resident' } });
    expect(events.kiosk.some(([e]) => e.startsWith('idcard'))).toBe(false);
    // The kiosk cannot drive the simulator either.
    expect(await host.dispatch('kiosk', 'simulator.idcard', { action: 'remove' })).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED' } });
  });

  it('shows the reader disconnected after unplug and ready again after replug', async () => {
    const { host } = await start('on');
    const readerState = async () => {
      const reply = await host.dispatch('staff', 'devices.list', {});
      return reply.ok ? (reply.value as { kind: string; state: string }[]).find((d) => d.kind === 'idcard-reader')?.state : undefined;
    };
    await host.dispatch('staff', 'simulator.idcard', { action: 'unplug' });
    await until(async () => (await readerState()) === 'disconnected', 'reader disconnected');
    // Replugged immediately, while discovery may still be busy with the unplug: must not be missed.
    await host.dispatch('staff', 'simulator.idcard', { action: 'replug' });
    await until(async () => (await readerState()) === 'ready', 'reader ready after replug');
  });

  it('refuses simulator actions when simulators are off (no reader at all here)', async () => {
    const { host } = await start('off');
    expect(await host.dispatch('staff', 'simulator.idcard', { action: 'place', citizenId: LIN })).toMatchObject({
      ok: false,
      error: { code: 'DEVICE', message: '该设备是真实硬件，不能切换模拟状态。' },
    });
  });

  it.each([5, null])('reads through HID reports with report id %s as configured', async (reportId) => {
    const { host, events } = await start('on', reportId);
    await host.dispatch('staff', 'simulator.idcard', { action: 'place', citizenId: LIN });
    await until(() => events.staff.some(([e]) => e === 'idcard.read'));
  });
});
