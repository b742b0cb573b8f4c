import { describe, expect, it } from 'vitest';

import { checkNativeModules, loadedSharedObjects, nativeModulesOk, type NativeModuleName } from '../../../electron/main/native-modules.js';

const unpacked = 'C:\\Program Files\\现场确认工作站\\resources\\app.asar.unpacked\\node_modules';
const windowsObjects = [
  'C:\\Windows\\System32\\kernel32.dll',
  `${unpacked}\\node-hid\\prebuilds\\HID-win32-x64\\node-napi-v3.node`,
  `${unpacked}\\@serialport\\bindings-cpp\\prebuilds\\win32-x64\\@serialport+bindings-cpp.node`,
  `${unpacked}\\@koromix\\koffi-win32-x64\\win32_x64\\koffi.node`,
];

const loadAll = async (_name: NativeModuleName) => ({});

describe('checkNativeModules', () => {
  it('finds each module binary in app.asar.unpacked (Windows paths)', async () => {
    const statuses = await checkNativeModules({ load: loadAll, packaged: true, loadedObjects: () => windowsObjects });
    expect(statuses.map((s) => [s.name, s.loaded, s.fromUnpacked, s.binaries.length])).toEqual([
      ['node-hid', true, true, 1],
      ['serialport', true, true, 1],
      ['koffi', true, true, 1],
    ]);
    expect(statuses[0]?.binaries[0]).toContain('/app.asar.unpacked/node_modules/node-hid/');
    expect(nativeModulesOk(statuses)).toBe(true);
  });

  it('a binary Electron extracted to a temporary folder is not from app.asar.unpacked', async () => {
    const extracted = [...windowsObjects.slice(0, 3), 'C:\\Users\\ci\\AppData\\Local\\Temp\\.org.chromium.x\\node_modules\\@koromix\\koffi-win32-x64\\koffi.node'];
    const statuses = await checkNativeModules({ load: loadAll, packaged: true, loadedObjects: () => extracted });
    expect(statuses.find((s) => s.name === 'koffi')?.fromUnpacked).toBe(false);
    expect(nativeModulesOk(statuses)).toBe(false);
  });

  it('a module that does not load fails the check, naming only the error kind', async () => {
    const load = async (name: NativeModuleName) => {
      if (name === 'serialport') throw new TypeError('The module was compiled against a different Node.js version at /home/x');
      return {};
    };
    const statuses = await checkNativeModules({ load, packaged: true, loadedObjects: () => windowsObjects });
    expect(statuses.find((s) => s.name === 'serialport')).toMatchObject({ loaded: false, error: 'TypeError' });
    expect(nativeModulesOk(statuses)).toBe(false);
  });

  it('unpackaged, or with no list of loaded objects, location is unknown and only loading counts', async () => {
    const dev = await checkNativeModules({ load: loadAll, packaged: false, loadedObjects: () => ['/repo/node_modules/node-hid/build/x.node'] });
    expect(dev.every((s) => s.fromUnpacked === undefined)).toBe(true);
    const noList = await checkNativeModules({ load: loadAll, packaged: true, loadedObjects: () => undefined });
    expect(noList.every((s) => s.fromUnpacked === undefined && s.binaries.length === 0)).toBe(true);
    expect(nativeModulesOk(noList)).toBe(true);
  });
});

describe('loadedSharedObjects', () => {
  it('prefers the diagnostic report, and falls back to /proc/self/maps', () => {
    expect(loadedSharedObjects({ report: () => ({ sharedObjects: ['/a.so', 42, '/b.node'] }) })).toEqual(['/a.so', '/b.node']);
    const maps = [
      '7f1c2a000000-7f1c2a010000 r-xp 00000000 08:01 131 /opt/station/resources/app.asar.unpacked/node_modules/koffi/x.node',
      '7f1c2a010000-7f1c2a020000 r--p 00010000 08:01 131 /opt/station/resources/app.asar.unpacked/node_modules/koffi/x.node',
      '7f1c2b000000-7f1c2b001000 rw-p 00000000 00:00 0 ',
      '7f1c2c000000-7f1c2c001000 r-xp 00000000 08:01 99 /usr/lib/libc.so.6',
    ].join('\n');
    expect(loadedSharedObjects({ report: () => ({}), readMaps: () => maps })).toEqual(['/opt/station/resources/app.asar.unpacked/node_modules/koffi/x.node']);
    expect(loadedSharedObjects({ report: () => { throw new Error('no report'); } })).toBeUndefined();
    expect(loadedSharedObjects({})).toBeUndefined();
  });
});
