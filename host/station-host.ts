import { createDispatcher, type Dispatch } from '../core/api/dispatcher.js';
import type { StationInfo, Role, EnrollmentHint } from '../core/contract/station-api.js';
import type { PrintPdfRequest, PrintPdfResult } from '../core/contract/printing.js';
import type { WireReply } from '../core/contract/wire.js';
import { AccessDeniedError, DeviceError, InvalidStateError, UnauthorizedError, toStationError } from '../core/errors/station-error.js';
import { zhCN } from '../core/i18n/zh-CN.js';
import { findHidDevices, type FoundDevice } from '../native/discovery/hid-discovery.js';
import { formatUsbId } from '../native/discovery/usb-id.js';
import type { ByteTransport } from '../native/transport/byte-transport.js';
import { HidTransport } from '../native/transport/hid-transport.js';
import { SerialTransport } from '../native/transport/serial-transport.js';
import { idCardReaderDriver, type IdCardReaderSink } from './services/idcard-reader-driver.js';
import { SimulatedReaderRig } from './services/simulated-reader-rig.js';
import { FingerprintService, SimulatedScannerRig, fingerprintScannerSlot } from './services/fingerprint-scanner.js';
import type { WltPhotoDecoder } from '../native/idcard-reader/photo-decoder.js';
import { CentralService } from './central/central-service.js';
import { StaffAuth } from './services/staff-auth.js';
import { StaffAccountsStore } from './services/staff-accounts-store.js';
import { StaffAccountsSync } from './central/staff-accounts-sync.js';
import { AfterSyncDownload } from './central/after-sync-download.js';
import { StationRules } from './central/station-rules.js';
import { RulesStore } from './services/rules-store.js';
import { ReceiptSigner } from './central/receipt-signer.js';
import { PointKeysStore, verifyReceiptOffline } from './central/point-keys.js';
import type { SecretStore } from './central/station-identity.js';
import { findSerialDevices } from '../native/discovery/serial-discovery.js';
import type { StationConfig } from './config/station-config.js';
import { EventHub, type EventListener } from './event-hub.js';
import type { Logger } from '../core/logging/logger.js';
import { DeviceManager, type DeviceSlot } from './services/device-manager.js';
import { KioskRelay } from './services/kiosk-relay.js';
import { readRosterSeed } from './services/roster-seed.js';
import { DataKeyStore } from './services/data-key.js';
import { probeReadiness } from './services/readiness-probe.js';
import type { FileSink } from './services/file-sink.js';
import { writeDayLog } from './exports/write-day-log.js';
import { checkDayLogExport } from './exports/export-guard.js';
import { HandoffService } from './handoff/handoff-service.js';
import { BlobStaging } from './handoff/blob-staging.js';

/**
 * The host-agnostic station: every service behind the StationApi, for both bridges.
 * Electron's main process and the browser host are thin adapters around this object.
 */
export interface StationHost {
  readonly info: StationInfo;
  dispatch(role: Role, method: unknown, payload: unknown): Promise<WireReply>;
  subscribe(role: Role, listener: EventListener): () => void;
  close(): Promise<void>;
}

/**
 * Prints a document the staff window shows to a PDF file in the station's data folder. Electron supplies one
 * (webContents.printToPDF); the browser host has none and print.toPdf says so.
 */
export interface DocumentPrinter {
  toPdf(request: PrintPdfRequest): Promise<PrintPdfResult>;
}

export interface StationHostOptions {
  hostKind: StationInfo['hostKind'];
  appVersion: string;
  config: StationConfig;
  /** Where the sample roster lives when the config names none (assets/roster/sample-roster.json). */
  defaultRosterSeedFile: string;
  logger: Logger;
  /** Replaces hardware discovery (tests). */
  deviceSlots?: DeviceSlot[];
  /** The reader vendor's WLT photo decoder, where the site installed one (Windows DLL, see README). */
  photoDecoder?: WltPhotoDecoder;
  /** Where the station keeps its identity (key pair, enrollment); central.* calls need it. */
  dataDir?: string;
  /** Seals the station's private key at rest (Electron: safeStorage); default: an owner-only file. */
  secrets?: SecretStore;
  /** Prints to PDF for print.toPdf (Electron only). */
  printer?: DocumentPrinter;
  /** Where exports and handoff bundles go: a save dialog (Electron) or a download (browser host). */
  files?: FileSink;
  /** Prefills the enrollment dialog (the embedded demo server). */
  enrollmentHint?: EnrollmentHint;
  /** How often a finished roster sync may refresh the staff accounts and rules (default 5 min; tests use 0). */
  staffRefreshIntervalMs?: number;
}

/** How the reader's bytes travel for each kind of found device; the session above is the same for all. */
function readerTransport(config: StationConfig, rig: SimulatedReaderRig, found: FoundDevice): ByteTransport {
  switch (found.bus) {
    case 'sim':
      return rig.openTransport({ reportId: config.idcardReader.hidReportId });
    case 'hid':
      return new HidTransport({ path: found.path, reportId: config.idcardReader.hidReportId, description: `HID ${formatUsbId(found)}` });
    case 'serial':
      return new SerialTransport({ path: found.path, baudRate: config.idcardReader.serialBaudRate });
  }
}

export function defaultDeviceSlots(
  config: StationConfig,
  reader: { rig: SimulatedReaderRig; sink: IdCardReaderSink; logger: Logger; photoDecoder?: WltPhotoDecoder | undefined },
  fingerprint?: { rig: SimulatedScannerRig; service: FingerprintService },
): DeviceSlot[] {
  const { idcardReader } = config;
  return [
    {
      kind: 'idcard-reader',
      probe: async () => [
        ...(await findHidDevices(idcardReader.hid)),
        ...(await findSerialDevices(idcardReader.serial, idcardReader.serialPaths)),
      ],
      simulator: reader.rig,
      driver: idCardReaderDriver({
        openTransport: (found) => readerTransport(config, reader.rig, found),
        session: {
          pollIntervalMs: idcardReader.pollIntervalMs,
          presence: idcardReader.presence,
          readFingerprint: idcardReader.readFingerprint,
          ...(reader.photoDecoder ? { photoDecoder: reader.photoDecoder } : {}),
        },
        sink: reader.sink,
        logger: reader.logger,
      }),
    },
    fingerprint
      ? fingerprintScannerSlot(config, { ...fingerprint, logger: reader.logger })
      : { kind: 'fingerprint-scanner', probe: () => findSerialDevices(config.fingerprintScanner.serial) },
  ];
}

export async function createStationHost(options: StationHostOptions): Promise<StationHost> {
  const { config, logger } = options;
  const hub = new EventHub();
  const rig = new SimulatedReaderRig({ timing: config.simulatorTiming });
  const readerSink: IdCardReaderSink = {
    card: (event) => hub.emit('staff', 'idcard.read', event),
    removed: () => hub.emit('staff', 'idcard.removed', {}),
    error: (event) => hub.emit('staff', 'idcard.error', event),
  };
  const scannerRig = new SimulatedScannerRig({ timing: config.simulatorTiming });
  const fingerprints = new FingerprintService({ progress: (event) => hub.emit('staff', 'fingerprint.progress', event), logger });
  const devices = new DeviceManager({
    mode: config.simulators,
    slots: options.deviceSlots ?? defaultDeviceSlots(config, { rig, sink: readerSink, logger, photoDecoder: options.photoDecoder }, { rig: scannerRig, service: fingerprints }),
    onChange: (list) => hub.emit('staff', 'devices.changed', list),
    logger,
  });
  await devices.start(config.discoveryIntervalMs);

  const kiosk = new KioskRelay({
    toKiosk: (view) => hub.emit('kiosk', 'kiosk.view', view),
    toStaff: (response) => hub.emit('staff', 'kiosk.responded', response),
  });
  const rosterFile = config.rosterSeedFile ?? options.defaultRosterSeedFile;
  const central = new CentralService({
    dataDir: options.dataDir,
    ...(options.secrets ? { secrets: options.secrets } : {}),
    ...(options.enrollmentHint ? { hint: options.enrollmentHint } : {}),
  });
  // Sealed with the same SecretStore as the station's private key, in the same data folder.
  const dataKeys = new DataKeyStore({ dataDir: options.dataDir, ...(options.secrets ? { secrets: options.secrets } : {}) });

  // The one authenticator: sign-in and supervisor approvals, against downloaded accounts (else the config's).
  const staff = new StaffAuth({
    store: options.dataDir === undefined ? undefined : new StaffAccountsStore(options.dataDir),
    dataDir: options.dataDir,
    configSupervisors: config.supervisors,
    demoAllowed: () => devices.simulatorsActive,
    idleLockMinutes: config.idleLockMinutes,
    logger,
  });
  await staff.ready();
  const pointKeys = options.dataDir === undefined ? undefined : new PointKeysStore(options.dataDir);
  // The point's station keys travel with the staff accounts (at enrollment, after a roster sync, throttled);
  // a failed key download keeps the stored keys and never holds up the accounts.
  const refreshPointKeys = async () => {
    if (!pointKeys) return;
    try {
      const reply = await central.pointKeys();
      await pointKeys.save(reply, new Date());
      logger.info('point keys downloaded', { stations: reply.stations.length });
    } catch (error) {
      logger.warn('point keys download failed', { code: toStationError(error).code });
    }
  };
  const staffSync = new StaffAccountsSync({
    download: async () => {
      const [accounts] = await Promise.all([central.staffAccounts(), refreshPointKeys()]);
      return accounts;
    },
    apply: (pointCode, accounts) => staff.replaceAccounts(pointCode, accounts),
    logger,
    ...(options.staffRefreshIntervalMs === undefined ? {} : { minIntervalMs: options.staffRefreshIntervalMs }),
  });

  // 省级配置: downloaded with the roster like the accounts, verified against the server key from the enrollment.
  const rules = new StationRules({
    store: options.dataDir === undefined ? undefined : new RulesStore(options.dataDir),
    trust: async () => {
      const pointCode = (await central.status()).pointCode;
      return pointCode === undefined ? undefined : { pointCode, key: await central.rulesKey() };
    },
    logger,
    changed: (current) => hub.emit('staff', 'rules.changed', current),
  });
  const rulesSync = new AfterSyncDownload({
    what: 'rules',
    download: () => central.rules(),
    apply: (reply) => rules.apply(reply),
    summary: (reply) => ({ version: reply.rules ? String(reply.rules.bundle['version']) : 'none' }),
    logger,
    ...(options.staffRefreshIntervalMs === undefined ? {} : { minIntervalMs: options.staffRefreshIntervalMs }),
  });

  const info = (): StationInfo => ({
    hostKind: options.hostKind,
    appVersion: options.appVersion,
    stationName: config.stationName,
    simulatorsActive: devices.simulatorsActive,
    policy: config.policy,
    face: config.face,
    fingerprint: {
      fingers: config.fingerprintScanner.fingers,
      qualityThreshold: config.fingerprintScanner.qualityThreshold,
      maxAttempts: config.fingerprintScanner.maxAttempts,
    },
    staff: { idleLockMinutes: staff.idleLockMinutes, demo: staff.demoOffered },
    retentionDays: config.retentionDays,
  });
  const receipts = new ReceiptSigner(() => central.identity());
  const staging = new BlobStaging();
  const handoff = new HandoffService({ identity: () => central.identity(), serverKey: () => central.handoffKey() });

  const ack = { ok: true } as const;
  const onFailure = (role: Role, method: string, error: { code: string }) =>
    logger.warn('call failed', { role, method, code: error.code });

  const dispatchers: Record<Role, Dispatch> = {
    staff: createDispatcher(
      'staff',
      {
        'station.info': () => info(),
        'devices.list': () => devices.list(),
        'station.readiness': () => probeReadiness({ dataDir: options.dataDir, clock: () => central.clockReading() }),
        'devices.simulate': ({ kind, state }) => {
          devices.simulate(kind, state);
          return ack;
        },
        'roster.loadSeed': () => readRosterSeed(rosterFile),
        'kiosk.show': (view) => {
          kiosk.show(view);
          return ack;
        },
        'kiosk.status': () => kiosk.status,
        'central.status': () => central.status(),
        'central.enroll': async (request) => {
          const status = await central.enroll(request);
          // The point's accounts come with the enrollment; without them sign-in keeps the fallback accounts.
          await staffSync.refresh().catch((error: unknown) => logger.warn('staff accounts download failed', { code: toStationError(error).code }));
          await rulesSync.refresh().catch((error: unknown) => logger.warn('rules download failed', { code: toStationError(error).code }));
          return status;
        },
        'central.uploadBlob': (blob) => central.uploadBlob(blob),
        'central.uploadBatch': (batch) => central.uploadBatch(batch),
        'central.rosterDelta': async (request) => {
          const reply = await central.rosterDelta(request);
          if (reply.done) await Promise.all([staffSync.afterRosterSync(), rulesSync.afterRosterSync()]);
          return reply;
        },
        'central.fetchBlob': (request) => central.fetchBlob(request),
        'central.uploadAudit': (batch) => central.uploadAudit(batch),
        'central.dayClose': async (draft) => {
          // The close names the supervisor signed in here, not whoever the window says.
          const closer = staff.require('supervisor');
          if (draft.closedBy.accountId !== closer.accountId) throw new AccessDeniedError('day close names another account');
          const dayClose = await handoff.signDayClose(draft);
          return { dayClose, reply: await central.postDayClose(dayClose) };
        },
        'handoff.stageBlobs': ({ draftId, blobs }) => ({ staged: staging.add(draftId, blobs) }),
        'handoff.build': async ({ stagedBlobs, ...request }) => {
          const closer = staff.require('supervisor');
          if (request.dayClose && request.dayClose.closedBy.accountId !== closer.accountId) throw new AccessDeniedError('day close names another account');
          if (!options.files) throw new InvalidStateError(`${options.hostKind} host has no file sink`, zhCN.supervisorDesk.export.unavailable);
          const blobs = [...(stagedBlobs ? staging.take(stagedBlobs) : []), ...request.blobs];
          const built = await handoff.build({ ...request, blobs });
          // Counts and the file's hash only: the bundle holds personal data.
          logger.info('handoff bundle built', { day: request.day, ...built.counts, bytes: built.file.length, sha256: built.sha256 });
          const saved = await options.files.save({ fileName: built.fileName, bytes: built.file, mime: 'application/octet-stream', kind: 'handoff' });
          return { ...saved, counts: built.counts, ...(built.dayClose ? { dayClose: built.dayClose } : {}) };
        },
        'storage.dataKey': () => dataKeys.get(),
        'receipt.sign': (request) => receipts.sign(request),
        'receipts.verifyOffline': async ({ qr }) => {
          const reply = verifyReceiptOffline(qr, await pointKeys?.load());
          // The status only: the QR names a record.
          logger.info('receipt checked offline', { status: reply.status });
          return reply;
        },
        'print.toPdf': (request) => {
          // The page shows what the renderer put there; a day's list of candidates only for a signed-in account.
          if (request.document === 'day-report' && !staff.current()) throw new UnauthorizedError('day report print without a signed-in account', zhCN.dayLog.signInFirst);
          if (!options.printer) throw new InvalidStateError(`${options.hostKind} host has no PDF printer`, zhCN.printing.pdfUnavailable);
          return options.printer.toPdf(request);
        },
        'export.dayLog': async (request) => {
          // Who asks is the host's signed-in account, not what the window claims; full numbers only for a supervisor.
          checkDayLogExport(request.log, staff.current()?.actor);
          if (!options.files) throw new InvalidStateError(`${options.hostKind} host has no file sink`, zhCN.supervisorDesk.export.unavailable);
          const file = await writeDayLog(request);
          const saved = await options.files.save({ ...file, kind: 'export' });
          // Which export and how many rows only: the log itself is personal data.
          logger.info('day log exported', { format: request.format, rows: request.log.rows.length, fullNumbers: request.log.fullNumbers, cancelled: saved.cancelled === true });
          return saved;
        },
        'staff.accounts': () => staff.accounts(),
        'staff.signIn': async ({ accountId, password }) => {
          const session = await staff.signIn(accountId, password);
          logger.info('staff signed in', { account: session.actor.accountId, role: session.actor.role });
          return session;
        },
        'staff.signOut': () => {
          const actor = staff.signOut();
          if (actor) logger.info('staff signed out', { account: actor.accountId, role: actor.role });
          return ack;
        },
        'staff.session': () => staff.current() ?? null,
        'staff.lock': () => {
          const actor = staff.signOut();
          if (actor) logger.info('staff window locked', { account: actor.accountId, role: actor.role });
          return ack;
        },
        'supervisor.list': () => staff.supervisors(),
        'supervisor.authorize': async (request) => {
          const approval = await staff.authorize(request);
          // The approval's id and kind only: the reason may name the candidate.
          logger.info('supervisor approval', { action: approval.action, supervisor: approval.supervisorId, approval: approval.approvalId });
          return approval;
        },
        'fingerprint.capture': (request) => fingerprints.capture(request),
        'fingerprint.cancel': () => {
          fingerprints.cancel();
          return ack;
        },
        'fingerprint.checkDuplicate': (request) => fingerprints.checkDuplicate(request),
        'simulator.fingerprint': (action) => {
          if (!devices.isSimulated('fingerprint-scanner')) throw new DeviceError('scanner is real hardware', zhCN.device.notSimulated);
          scannerRig.act(action);
          return ack;
        },
        'rules.current': () => rules.current(),
        'simulator.network': ({ action }) => {
          if (!devices.simulatorsActive) throw new DeviceError('simulators are off', zhCN.device.notSimulated);
          central.simulateOffline(action === 'offline');
          return ack;
        },
        'simulator.idcard': async (action) => {
          if (!devices.isSimulated('idcard-reader')) throw new DeviceError('reader is real hardware', zhCN.device.notSimulated);
          await rig.act(action, () => readRosterSeed(rosterFile));
          return ack;
        },
      },
      onFailure,
    ),
    kiosk: createDispatcher(
      'kiosk',
      {
        'kiosk.current': () => kiosk.current,
        'kiosk.respond': (response) => {
          kiosk.respond(response);
          return ack;
        },
      },
      onFailure,
    ),
  };

  return {
    get info() {
      return info();
    },
    dispatch: (role, method, payload) => dispatchers[role](method, payload),
    subscribe: (role, listener) => hub.subscribe(role, listener),
    close: async () => {
      await devices.stop();
      rig.dispose();
      fingerprints.clear();
    },
  };
}
