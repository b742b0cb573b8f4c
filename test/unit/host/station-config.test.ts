import { defaultFaceConfig } from '../../../core/contract/face-config.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FileInvalidError } from '../../../core/errors/station-error.js';
import { loadStationConfig, parseStationConfig, type StationConfig } from '../../../host/config/station-config.js';

const defaults: StationConfig = {
  stationName: '1号工位',
  simulators: 'auto',
  idcardReader: {
    hid: [{ vendorId: 0x2b8b, productId: 0x2721 }],
    serial: [],
    serialPaths: [],
    serialBaudRate: 115200,
    hidReportId: 0,
    pollIntervalMs: 300,
    presence: 'latched',
    readFingerprint: true,
  },
  fingerprintScanner: { serial: [], serialPaths: [], baudRate: 57600, password: 0, address: 0xffffffff, fingers: [2, 7], qualityThreshold: 40, maxAttempts: 3 },
  simulatorTiming: 'realistic',
  discoveryIntervalMs: 5000,
  supervisors: [],
  idleLockMinutes: 10,
  retentionDays: 30,
  policy: { rosterMaxAgeHours: 24, faceCheck: 'required', standardPhoto: 'required', fingerprints: 'required' },
  face: defaultFaceConfig,
  updates: {},
  browserHost: { port: 17380, openBrowser: true },
};

const CONTENT_INVALID = '工作站配置（配置文件或 STATION_* 环境变量）内容不正确，请检查后重新启动。';
const NOT_JSON = '工作站配置文件不是有效的 JSON，请检查后重新启动。';
const MISSING = '找不到工作站配置文件，请检查 STATION_CONFIG 设置。';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'station-config-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let counter = 0;
async function configFile(content: unknown): Promise<string> {
  const file = path.join(dir, `config-${(counter += 1)}.json`);
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

async function expectInvalid(promise: Promise<unknown>, userMessage: string): Promise<FileInvalidError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(FileInvalidError);
    const e = error as FileInvalidError;
    expect(e.code).toBe('FILE_INVALID');
    expect(e.userMessage).toBe(userMessage);
    expect(e.userMessage).toMatch(/[\u4e00-\u9fff]/u);
    return e;
  }
  throw new Error('expected FILE_INVALID');
}

describe('parseStationConfig', () => {
  it('fills every default from an empty object', () => {
    const config = parseStationConfig({}, 'test');
    expect(config).toStrictEqual(defaults);
    expect(config.rosterSeedFile).toBeUndefined();
  });

  it('keeps given values and fills nested defaults', () => {
    expect(
      parseStationConfig(
        { stationName: '3号工位', simulators: 'off', browserHost: { port: 8080 }, idcardReader: { serial: [{ vendorId: 0x1a86, productId: 0x7523 }] } },
        'test',
      ),
    ).toStrictEqual({
      ...defaults,
      stationName: '3号工位',
      simulators: 'off',
      idcardReader: { ...defaults.idcardReader, serial: [{ vendorId: 0x1a86, productId: 0x7523 }] },
      browserHost: { port: 8080, openBrowser: true },
    });
  });

  it.each<[string, unknown]>([
    ['an unknown top-level key', { stationname: 'x' }],
    ['an unknown nested key', { browserHost: { port: 1, host: '0.0.0.0' } }],
    ['a port above 65535', { browserHost: { port: 65536 } }],
    ['a negative port', { browserHost: { port: -1 } }],
    ['a fractional port', { browserHost: { port: 80.5 } }],
    ['a port as a string', { browserHost: { port: '8080' } }],
    ['an unknown simulator mode', { simulators: 'always' }],
    ['a discovery interval below 500 ms', { discoveryIntervalMs: 10 }],
    ['a USB vendor id above 0xFFFF', { idcardReader: { hid: [{ vendorId: 0x10000, productId: 1 }] } }],
    ['an empty station name', { stationName: '' }],
    ['an empty roster path', { rosterSeedFile: '' }],
    ['null', null],
    ['an array', []],
  ])('refuses %s with FILE_INVALID', async (_label, raw) => {
    const error = await expectInvalid(Promise.resolve().then(() => parseStationConfig(raw, 'my-config.json')), CONTENT_INVALID);
    expect(error.detail!.startsWith('my-config.json: ')).toBe(true);
  });
});

describe('loadStationConfig', () => {
  it('returns the defaults with an empty environment', async () => {
    await expect(loadStationConfig({})).resolves.toStrictEqual(defaults);
  });

  it('applies STATION_SIMULATORS and STATION_PORT', async () => {
    const config = await loadStationConfig({ STATION_SIMULATORS: 'off', STATION_PORT: '8080' });
    expect(config).toStrictEqual({ ...defaults, simulators: 'off', browserHost: { port: 8080, openBrowser: true } });
  });

  it('reads the file named by STATION_CONFIG', async () => {
    const file = await configFile({ stationName: '7号工位', discoveryIntervalMs: 1000, rosterSeedFile: 'D:\\roster.json' });
    await expect(loadStationConfig({ STATION_CONFIG: file })).resolves.toStrictEqual({
      ...defaults,
      stationName: '7号工位',
      discoveryIntervalMs: 1000,
      rosterSeedFile: 'D:\\roster.json',
    });
  });

  it('lets the environment override the file, keeping the file’s other browserHost settings', async () => {
    const file = await configFile({ simulators: 'on', browserHost: { port: 9000, openBrowser: false } });
    const config = await loadStationConfig({ STATION_CONFIG: file, STATION_SIMULATORS: 'off', STATION_PORT: '9100' });
    expect(config.simulators).toBe('off');
    expect(config.browserHost).toStrictEqual({ port: 9100, openBrowser: false });
  });

  it('ignores empty override variables', async () => {
    await expect(loadStationConfig({ STATION_SIMULATORS: '', STATION_PORT: '', STATION_CONFIG: '' })).resolves.toStrictEqual(defaults);
  });

  it.each([
    ['not JSON', '{ stationName: 1号 }'],
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
    ['a JSON string', '"config"'],
    ['an empty file', ''],
  ])('refuses a config file that is %s', async (_label, content) => {
    await expectInvalid(loadStationConfig({ STATION_CONFIG: await configFile(content) }), NOT_JSON);
  });

  it('refuses a missing config file', async () => {
    await expectInvalid(loadStationConfig({ STATION_CONFIG: path.join(dir, 'nope.json') }), MISSING);
  });

  it('refuses a file with unknown keys', async () => {
    const file = await configFile({ stationName: 'x', debug: true });
    const error = await expectInvalid(loadStationConfig({ STATION_CONFIG: file }), CONTENT_INVALID);
    expect(error.detail!.startsWith(`${file}: `)).toBe(true);
  });

  it('refuses an out-of-range port in the file', async () => {
    await expectInvalid(loadStationConfig({ STATION_CONFIG: await configFile({ browserHost: { port: 70000 } }) }), CONTENT_INVALID);
  });

  it.each(['70000', '-1', 'abc', '80.5', '8080abc'])('refuses STATION_PORT=%s', async (port) => {
    await expectInvalid(loadStationConfig({ STATION_PORT: port }), CONTENT_INVALID);
  });

  it('refuses an unknown STATION_SIMULATORS value', async () => {
    await expectInvalid(loadStationConfig({ STATION_SIMULATORS: 'yes' }), CONTENT_INVALID);
  });
});

describe('browserHostPorts', () => {
  it('puts the kiosk on the next port unless set, and keeps 0 random for both', async () => {
    const { browserHostPorts } = await import('../../../host/config/station-config.js');
    expect(browserHostPorts(parseStationConfig({}, 't'))).toStrictEqual({ staff: 17380, kiosk: 17381 });
    expect(browserHostPorts(parseStationConfig({ browserHost: { port: 0 } }, 't'))).toStrictEqual({ staff: 0, kiosk: 0 });
    expect(browserHostPorts(parseStationConfig({ browserHost: { port: 9000, kioskPort: 9100 } }, 't'))).toStrictEqual({ staff: 9000, kiosk: 9100 });
  });
});
