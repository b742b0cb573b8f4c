import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { FaceConfig } from '../../core/contract/face-config.js';
import { VendorSdkConfig } from '../../native/fingerprint/vendor-sdk/sdk-config.js';
import { describeIssues } from '../../core/api/describe-issues.js';
import { FileInvalidError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';

const UsbId = z.strictObject({
  vendorId: z.number().int().min(0).max(0xffff),
  productId: z.number().int().min(0).max(0xffff),
});
export type UsbId = z.infer<typeof UsbId>;

/** Station configuration: a JSON file (STATION_CONFIG) validated here, with env overrides for the common knobs. */
export const StationConfig = z.strictObject({
  stationName: z.string().min(1).max(100).default('1号工位'),
  /** `auto`: simulate a device only when no hardware of its kind is found. */
  simulators: z.enum(['auto', 'on', 'off']).default('auto'),
  idcardReader: z
    .strictObject({
      /** HID-class readers (SAM frames in 64-byte reports). 2B8B:2721 per the reader spec §9.3. */
      hid: z.array(UsbId).max(32).default([{ vendorId: 0x2b8b, productId: 0x2721 }]),
      /** USB-serial bridges of readers that enumerate as COM ports. */
      serial: z.array(UsbId).max(32).default([]),
      /** Serial ports by name (e.g. "COM3", "/dev/ttyS0") for readers whose port reports no USB ids. */
      serialPaths: z.array(z.string().min(1).max(200)).max(16).default([]),
      serialBaudRate: z.union([z.literal(115200), z.literal(57600), z.literal(38400), z.literal(19200), z.literal(9600)]).default(115200),
      /** HID report id byte: 0 for unnumbered reports (hidapi rule), null when the device numbers none at all. */
      hidReportId: z.number().int().min(0).max(255).nullable().default(0),
      /** Find-card polling interval; vendors advise ≥ 300 ms. */
      pollIntervalMs: z.number().int().min(100).max(5000).default(300),
      /** 'latched': GA 467 SAMs (find answers 80 after a read); 'field': readers that keep finding the card. */
      presence: z.enum(['latched', 'field']).default('latched'),
      /** Read chip fingerprints (30 10) for the fingerprint step; falls back to 30 01 when unsupported. */
      readFingerprint: z.boolean().default(true),
    })
    .prefault({}),
  /** Reply timing of simulated devices: as real hardware, or instant (tests). */
  simulatorTiming: z.enum(['realistic', 'instant']).default('realistic'),
  fingerprintScanner: z
    .strictObject({
      /** USB-serial bridges of R30x/AS60x UART modules (e.g. CH340 1A86:7523, CP210x 10C4:EA60). */
      serial: z.array(UsbId).max(32).default([]),
      /** Serial ports by name for modules on ports that report no USB ids. */
      serialPaths: z.array(z.string().min(1).max(200)).max(16).default([]),
      /** The module's UART rate: 57 600 out of the box (N × 9600 after a SetSysPara change). */
      baudRate: z.union([z.literal(9600), z.literal(19200), z.literal(38400), z.literal(57600), z.literal(115200)]).default(57600),
      /** VfyPwd password (0 on modules nobody locked) and module address (FFFFFFFF by default). */
      password: z.number().int().min(0).max(0xffffffff).default(0),
      address: z.number().int().min(0).max(0xffffffff).default(0xffffffff),
      /** A Windows vendor SDK (DLL) instead of the UART protocol; validated again by the driver. */
      vendorSdk: VendorSdkConfig.optional(),
      /** Fingers asked for, in order (GB/T codes); 2 = right index, 7 = left index. */
      fingers: z.array(z.number().int().min(1).max(10)).min(1).max(4).default([2, 7]),
      /** Minimum quality (0..100, image-v1 scale for R30x) and attempts per capture before the best is kept. */
      qualityThreshold: z.number().int().min(0).max(100).default(40),
      maxAttempts: z.number().int().min(1).max(10).default(3),
    })
    .prefault({}),
  /** How often to look for plugged/unplugged hardware. */
  discoveryIntervalMs: z.number().int().min(500).max(60_000).default(5000),
  rosterSeedFile: z.string().min(1).optional(),
  /**
   * Supervisors who may approve exceptions (stale roster, identity override, fingerprint exceptions) and sign
   * in as 主管. Accounts downloaded from the central server replace them; they are the offline fallback for a
   * station that has none yet. Only a scrypt hash of each PIN (password) is stored: make one with
   * `npm run -s supervisor:pin`.
   */
  supervisors: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[0-9A-Za-z_-]{2,32}$/),
        name: z.string().trim().min(1).max(50),
        pinHash: z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, 'pinHash must come from scripts/supervisor-pin.ts'),
      }),
    )
    .max(50)
    .default([]),
  /** The staff window locks after this many minutes without input (with a countdown before). */
  idleLockMinutes: z.number().min(0.05).max(240).default(10),
  /**
   * Records and their photos, fingerprints and signatures are deleted this many days after the server acknowledged
   * them and their day was closed (日结); nothing unacknowledged is ever deleted, and the audit log stays.
   */
  retentionDays: z.number().int().min(0).max(3650).default(30),
  /** Face check thresholds, frames, liveness and the exam photo spec (defaults from the calibration). */
  face: FaceConfig.prefault({}),
  policy: z
    .strictObject({
      /** Confirmations pause when the roster was last brought up to date longer ago than this. */
      rosterMaxAgeHours: z.number().min(1).max(24 * 30).default(24),
      /**
       * 'required': 身份核验 is a face check, and anything but 通过 needs a supervisor (人工认证);
       * 'off': staff compare by eye (points without a camera at the desk).
       */
      faceCheck: z.enum(['required', 'off']).default('required'),
      /** 'required': 信息采集 includes the standard photo from the desk camera; 'off': photos come from elsewhere. */
      standardPhoto: z.enum(['required', 'off']).default('required'),
      /** 'required': 信息采集 includes the fingerprints (fingerprintScanner.fingers); 'off': not at this point. */
      fingerprints: z.enum(['required', 'off']).default('required'),
    })
    .prefault({}),
  /**
   * Updates of the installed app (Electron only). Off unless `url` is set: exam networks are closed, so the
   * station never looks for updates by itself. `url` is a folder the province serves the installer's
   * latest.yml and setup exe from (electron-updater's generic provider); see README.
   */
  updates: z
    .strictObject({
      url: z.url({ protocol: /^https?$/ }).max(500).optional(),
    })
    .prefault({}),
  browserHost: z
    .strictObject({
      /**
       * The staff window's port; the kiosk's is the next one unless set. Fixed by default because the
       * origin names the browser's local database: a new port each launch would start it empty. 0 = random.
       */
      port: z.number().int().min(0).max(65535).default(17380),
      kioskPort: z.number().int().min(0).max(65535).optional(),
      openBrowser: z.boolean().default(true),
    })
    .prefault({}),
});
export type StationConfig = z.infer<typeof StationConfig>;

export function parseStationConfig(raw: unknown, source: string): StationConfig {
  const parsed = StationConfig.safeParse(raw);
  if (!parsed.success) {
    throw new FileInvalidError(`${source}: ${describeIssues(parsed.error)}`, zhCN.config.invalid);
  }
  return parsed.data;
}

export async function loadStationConfig(env: NodeJS.ProcessEnv = process.env): Promise<StationConfig> {
  let raw: Record<string, unknown> = {};
  const file = env['STATION_CONFIG'];
  if (file) {
    let text: string;
    try {
      text = await readFile(path.resolve(file), 'utf8');
    } catch {
      throw new FileInvalidError(`cannot read ${file}`, zhCN.config.missing);
    }
    try {
      const json: unknown = JSON.parse(text);
      if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('not an object');
      raw = json as Record<string, unknown>;
    } catch {
      throw new FileInvalidError(`${file} is not a JSON object`, zhCN.config.notJson);
    }
  }
  const simulators = env['STATION_SIMULATORS'];
  if (simulators) raw = { ...raw, simulators };
  const timing = env['STATION_SIMULATOR_TIMING'];
  if (timing) raw = { ...raw, simulatorTiming: timing };
  const port = env['STATION_PORT'];
  if (port) {
    // Anything but plain digits stays a string, so the schema rejects it instead of it becoming port 0.
    const value = /^\d{1,5}$/.test(port) ? Number(port) : port;
    raw = { ...raw, browserHost: { ...(raw['browserHost'] as object | undefined), port: value } };
  }
  return parseStationConfig(raw, file ?? 'defaults');
}

/** The two window ports of the browser host (see browserHost.port). */
export function browserHostPorts(config: StationConfig): { staff: number; kiosk: number } {
  const { port, kioskPort } = config.browserHost;
  return { staff: port, kiosk: kioskPort ?? (port === 0 ? 0 : port + 1) };
}
