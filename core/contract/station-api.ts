import { z } from 'zod';
import { DeviceKind, DeviceState, DeviceStatusList } from './devices.js';
import { KioskResponse, KioskView } from './kiosk.js';
import { CitizenIdString, RosterSeed } from './roster.js';
import {
  AuditBatchReply,
  AuditBatchRequest,
  BlobMime,
  BlobPutReply,
  ConfirmationBatchReply,
  ConfirmationBatchRequest,
  ConfirmationUpload,
  MAX_BLOB_BYTES,
  PointCode,
  ROSTER_PAGE_MAX,
  RosterCursor,
  RosterDeltaReply,
  Sha256Hex,
} from './central-api.js';
import { IdCardData } from './id-card.js';
import { cardReaderReasons } from '../errors/station-error.js';
import { SupervisorApproval, SupervisorApprovalRequest, SupervisorList } from './supervisor.js';
import { Actor, StaffAccountId, StaffRole } from './staff.js';
import { ReceiptOfflineVerifyReply, ReceiptOfflineVerifyRequest, ReceiptSignRequest, SignedReceipt } from './receipt.js';
import { PrintPdfRequest, PrintPdfResult } from './printing.js';
import { DayLogExportRequest, SavedFile } from './station-files.js';
import { FaceConfig } from './face-config.js';
import { RulesBundle } from '../rules/bundle.js';
import { rulesRefusals } from '../rules/rules-error.js';
import { DayCloseDraft, DayCloseResult, MAX_DAY_RECORDS, SignedDayClose } from './day-close.js';
import { BundleAuditEntry, BundleBlob, MAX_BUNDLE_AUDIT_ENTRIES, MAX_BUNDLE_BLOBS } from '../handoff/payload.js';
import {
  FingerprintCaptureRequest,
  FingerprintCaptureResult,
  FingerprintDuplicateRequest,
  FingerprintDuplicateVerdict,
  FingerprintProgressEvent,
  FingerprintSettings,
  SimulatedScannerAction,
} from './fingerprint.js';

/**
 * StationApi: every call and every event between a renderer window and its host, declared once.
 * Hosts validate inbound payloads with `input`; renderers validate replies with `output` and events with `events`.
 * Two bridges of different trust: `staff` (the operator's window) and `kiosk` (the candidate's seat).
 */
const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });
const NoInput = z.strictObject({});
const Ack = z.strictObject({ ok: z.literal(true) });

export const StationInfo = z.strictObject({
  hostKind: z.enum(['electron', 'browser']),
  appVersion: z.string().max(40),
  stationName: z.string().max(100),
  simulatorsActive: z.boolean(),
  policy: z.strictObject({
    rosterMaxAgeHours: z.number().positive(),
    faceCheck: z.enum(['required', 'off']),
    standardPhoto: z.enum(['required', 'off']),
    fingerprints: z.enum(['required', 'off']),
  }),
  /** Face check thresholds and photo spec, from the station config. */
  face: FaceConfig,
  /** Fingers, quality threshold and attempts of the fingerprint step (absent: the renderer's defaults). */
  fingerprint: FingerprintSettings.optional(),
  /** Sign-in: minutes of inactivity before the staff window locks, and whether demo accounts are offered. */
  staff: z.strictObject({ idleLockMinutes: z.number().min(0.05).max(240), demo: z.boolean() }).optional(),
  /** Days a record and its blobs stay after the server acknowledged them and their day was closed (then purged). */
  retentionDays: z.number().int().min(0).max(3650).optional(),
});
export type StationInfo = z.infer<typeof StationInfo>;

/** What the kiosk shows and the answer it gave to that view, for a staff window that was disconnected. */
export const KioskStatus = z.strictObject({ view: KioskView, answer: KioskResponse.nullable() });
export type KioskStatus = z.infer<typeof KioskStatus>;

export const IdCardReadEvent = z.strictObject({
  card: IdCardData,
  /** Device time for select + read, as measured by the host. */
  readMs: z.number().nonnegative(),
});
export type IdCardReadEvent = z.infer<typeof IdCardReadEvent>;

export const IdCardErrorEvent = z.strictObject({
  reason: z.enum(cardReaderReasons),
  /** What staff should do, in Chinese. */
  message: z.string().max(500),
});
export type IdCardErrorEvent = z.infer<typeof IdCardErrorEvent>;

/** Faults the simulated reader can be told to produce (demo and tests). */
export const simulatedReaderFaults = [
  'bad-checksum',
  'truncated',
  'no-reply',
  'stray-bytes',
  'status-41',
  'status-31',
  'status-80',
  'status-81',
  'removed-mid-read',
] as const;

/** Drives the simulated ID card reader; refused when a real reader is in use. */
export const SimulatedReaderAction = z.discriminatedUnion('action', [
  /** A resident card built from the roster entry with this number (synthetic roster only). */
  z.strictObject({ action: z.literal('place'), citizenId: CitizenIdString }),
  z.strictObject({ action: z.literal('place-fixture'), fixture: z.enum(['hmt-residence', 'foreign-2017', 'foreign-2023']) }),
  z.strictObject({ action: z.literal('remove') }),
  z.strictObject({ action: z.literal('unplug') }),
  z.strictObject({ action: z.literal('replug') }),
  z.strictObject({ action: z.literal('fault'), fault: z.enum(simulatedReaderFaults) }),
]);
export type SimulatedReaderAction = z.infer<typeof SimulatedReaderAction>;

/** Training's network loss: the host answers every central request as an unreachable server would. */
export const SimulatedNetworkAction = z.strictObject({ action: z.enum(['offline', 'online']) });
export type SimulatedNetworkAction = z.infer<typeof SimulatedNetworkAction>;

/** This station's enrollment with the central server, as staff and the sync engine see it. */
/**
 * What the 注册本工作站 dialog may be prefilled with: the embedded central server `npm start` runs, or a
 * province's preset. Staff can change every field.
 */
export const EnrollmentHint = z.strictObject({
  serverUrl: z.url({ protocol: /^https?$/ }).max(300),
  pointCode: z.string().max(32).optional(),
  code: z.string().max(64).optional(),
});
export type EnrollmentHint = z.infer<typeof EnrollmentHint>;

export const CentralStatus = z.strictObject({
  enrolled: z.boolean(),
  serverUrl: z.url().optional(),
  stationId: z.uuid().optional(),
  pointCode: z.string().max(32).optional(),
  pointName: z.string().max(100).optional(),
  /** Offered while not enrolled. */
  hint: EnrollmentHint.optional(),
});
export type CentralStatus = z.infer<typeof CentralStatus>;

export const CentralEnrollRequest = z.strictObject({
  serverUrl: z.url({ protocol: /^https?$/ }).max(300),
  code: z.string().min(4).max(64),
  pointCode: PointCode,
  stationName: z.string().trim().min(1).max(100),
});

/** A blob for the central server, base64 in transit between window and host. */
export const CentralBlobUpload = z.strictObject({
  sha256: Sha256Hex,
  mime: BlobMime,
  base64: z.string().max(Math.ceil(MAX_BLOB_BYTES / 3) * 4).regex(/^[A-Za-z0-9+/]*={0,2}$/),
});

/** A blob fetched from the central server by its address (roster photos); the host checks the hash. */
export const CentralBlobDownload = z.strictObject({
  sha256: Sha256Hex,
  mime: BlobMime,
  base64: z.string().max(Math.ceil(MAX_BLOB_BYTES / 3) * 4).regex(/^[A-Za-z0-9+/]*={0,2}$/),
});
export type CentralBlobDownload = z.infer<typeof CentralBlobDownload>;

export const CentralRosterRequest = z.strictObject({
  cursor: z.union([z.literal(''), RosterCursor]).optional(),
  limit: z.number().int().min(1).max(ROSTER_PAGE_MAX),
});

/** The station's 256-bit data key for personal data at rest in the staff window's database (base64, 44 chars). */
export const StorageDataKey = z.strictObject({
  keyBase64: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64'),
});
export type StorageDataKey = z.infer<typeof StorageDataKey>;

/** What the host measures for the readiness check before each candidate (the renderer adds the rest). */
export const HostReadiness = z.strictObject({
  checkedAt: z.iso.datetime(),
  /** Free space where the station keeps its data; absent when it could not be read. */
  freeDiskBytes: z.number().nonnegative().optional(),
  /** Server time minus local time as the last central reply showed it, and how old that reading is. */
  clock: z.strictObject({ offsetMs: z.number(), ageMs: z.number().nonnegative() }).optional(),
});
export type HostReadiness = z.infer<typeof HostReadiness>;
/**
 * 离线移交: what the staff window hands the host for a bundle (the records, blobs and audit entries it holds, and
 * the day close to sign); the host adds station, point and time, signs and seals to the server's handoff key.
 */
export const HandoffBuildRequest = z.strictObject({
  day: z.iso.date(),
  records: z.array(ConfirmationUpload).max(MAX_DAY_RECORDS),
  blobs: z.array(BundleBlob).max(MAX_BUNDLE_BLOBS),
  /** Blobs handed over beforehand with handoff.stageBlobs under this id (a day's photos do not fit one call). */
  stagedBlobs: z.uuid().optional(),
  audit: z.array(BundleAuditEntry).max(MAX_BUNDLE_AUDIT_ENTRIES),
  dayClose: DayCloseDraft.optional(),
});
export type HandoffBuildRequest = z.input<typeof HandoffBuildRequest>;

/** Some of a bundle's blobs, ahead of handoff.build; a call stays well inside one browser-host frame. */
export const MAX_STAGED_BLOBS_PER_CALL = 24;
export const HandoffStageRequest = z.strictObject({
  draftId: z.uuid(),
  blobs: z.array(BundleBlob).min(1).max(MAX_STAGED_BLOBS_PER_CALL),
});

/** The saved bundle (save dialog or download, like an export), with what it carries. */
export const HandoffBuildResult = SavedFile.extend({
  counts: z.strictObject({ records: z.number().int().nonnegative(), blobs: z.number().int().nonnegative(), audit: z.number().int().nonnegative() }),
  /** The signed day close inside the bundle, for the station's own records. */
  dayClose: SignedDayClose.optional(),
});
export type HandoffBuildResult = z.infer<typeof HandoffBuildResult>;

export const SimulatorStateRequest = z.strictObject({
  kind: DeviceKind.exclude(['camera']),
  state: DeviceState,
});

/** Who may sign in at this station (never a hash); `source` says where the list came from. */
export const StaffAccountList = z.strictObject({
  accounts: z.array(z.strictObject({ id: StaffAccountId, name: z.string().max(50), role: StaffRole })).max(500),
  /** central: downloaded for the point; config: the station config's supervisors (offline fallback); demo: simulators only. */
  source: z.enum(['central', 'config', 'demo', 'none']),
});
export type StaffAccountList = z.infer<typeof StaffAccountList>;

export const StaffSignInRequest = z.strictObject({
  accountId: StaffAccountId,
  password: z.string().min(1).max(128),
});
export type StaffSignInRequest = z.infer<typeof StaffSignInRequest>;

/** The signed-in person, held by the host for the staff bridge: the window cannot claim another role. */
export const StaffSession = z.strictObject({
  actor: Actor,
  signedInAt: z.iso.datetime({ offset: true }),
  /** The window locks after this many idle minutes (with a countdown); the next person signs in. */
  idleLockMinutes: z.number().min(0.05).max(240),
});
export type StaffSession = z.infer<typeof StaffSession>;

/**
 * 省级配置: the rules the host holds for this station (the built-in default until a bundle was downloaded and
 * verified). The window adopts a new one only between candidates (renderer/rules/rules-store.ts).
 */
export const RulesCurrent = z.strictObject({
  source: z.enum(['builtin', 'central']),
  bundle: RulesBundle,
  /** When the central bundle was downloaded and verified. */
  downloadedAt: z.iso.datetime({ offset: true }).optional(),
  /** The last download that was refused (bad signature, wrong point …); the bundle above stayed. */
  refused: z
    .strictObject({
      at: z.iso.datetime({ offset: true }),
      reason: z.enum(rulesRefusals),
      /** Chinese, for staff. */
      message: z.string().max(500),
    })
    .optional(),
  /** The stored bundle could not be read or failed verification: the built-in default is used (Chinese). */
  storeProblem: z.string().max(500).optional(),
});
export type RulesCurrent = z.infer<typeof RulesCurrent>;

export const staffApi = {
  calls: {
    'station.info': call(NoInput, StationInfo),
    'devices.list': call(NoInput, DeviceStatusList),
    /** Disk space and the clock against the server's, for the readiness check before each candidate. */
    'station.readiness': call(NoInput, HostReadiness),
    /** Drive a simulated device's state (demo and tests); refused for real hardware. */
    'devices.simulate': call(SimulatorStateRequest, Ack),
    'roster.loadSeed': call(NoInput, RosterSeed),
    'kiosk.show': call(KioskView, Ack),
    'kiosk.status': call(NoInput, KioskStatus),
    'simulator.idcard': call(SimulatedReaderAction, Ack),
    /** The central server, through the host (the only authenticated channel; windows have no network). */
    'central.status': call(NoInput, CentralStatus),
    'central.enroll': call(CentralEnrollRequest, CentralStatus),
    'central.uploadBlob': call(CentralBlobUpload, BlobPutReply),
    'central.uploadBatch': call(ConfirmationBatchRequest, ConfirmationBatchReply),
    'central.rosterDelta': call(CentralRosterRequest, RosterDeltaReply),
    /** The station's audit chain, in seq order; the server checks it continues what it holds. */
    'central.uploadAudit': call(AuditBatchRequest, AuditBatchReply),
    /** The accounts offered on the sign-in screen. */
    'staff.accounts': call(NoInput, StaffAccountList),
    /** Checks the password against the stored hash (offline too); success replaces the session (operator switch). */
    'staff.signIn': call(StaffSignInRequest, StaffSession),
    'staff.signOut': call(NoInput, Ack),
    'staff.session': call(NoInput, StaffSession.nullable()),
    /** The window locked itself after idling: the host ends the session (and audits it). */
    'staff.lock': call(NoInput, Ack),
    /** 日结: the host signs the day-close record with the station key and sends it; the server stores it once. */
    'central.dayClose': call(DayCloseDraft, DayCloseResult),
    /** 离线移交: builds the signed, encrypted bundle file for the central office to import. */
    'handoff.build': call(HandoffBuildRequest, HandoffBuildResult),
    /** Hands the host some of a bundle's blobs ahead of handoff.build (held in memory for that build only). */
    'handoff.stageBlobs': call(HandoffStageRequest, z.strictObject({ staged: z.number().int().nonnegative() })),
    'supervisor.list': call(NoInput, SupervisorList),
    /** Checks a supervisor's PIN for one approval; the approval goes into the record and the audit log. */
    'supervisor.authorize': call(SupervisorApprovalRequest, SupervisorApproval),
    /** Signs a saved record's receipt QR with the station key (the central server can verify it). */
    'receipt.sign': call(ReceiptSignRequest, SignedReceipt),
    /** Checks a scanned receipt QR offline against the point's station keys (downloaded with the roster). */
    'receipts.verifyOffline': call(ReceiptOfflineVerifyRequest, ReceiptOfflineVerifyReply),
    /** Prints a document the staff window shows (the receipt) to a PDF in the station's data folder (Electron only). */
    'print.toPdf': call(PrintPdfRequest, PrintPdfResult),
    /** 导出日志: writes the day log as XLSX, CSV or the PDF day report and saves it (supervisors only). */
    'export.dayLog': call(DayLogExportRequest, SavedFile),
    'central.fetchBlob': call(z.strictObject({ sha256: Sha256Hex }), CentralBlobDownload),
    /** The key that encrypts photos, fingerprints and signatures in the staff window's IndexedDB; kept sealed by the host. */
    'storage.dataKey': call(NoInput, StorageDataKey),
    /** Captures one finger (retries for quality, keeps the best); the capture stays in the host by its id. */
    'fingerprint.capture': call(FingerprintCaptureRequest, FingerprintCaptureResult),
    /** Stops the running capture (it fails with reason 'cancelled'). */
    'fingerprint.cancel': call(NoInput, Ack),
    /** Whether two held captures are the same finger, checked where the driver is. */
    'fingerprint.checkDuplicate': call(FingerprintDuplicateRequest, FingerprintDuplicateVerdict),
    /** Drives the simulated fingerprint scanner (demo and tests); refused when a real scanner is in use. */
    'simulator.fingerprint': call(SimulatedScannerAction, Ack),
    /** Simulators only: cut or restore the link to the central server (training's 网络中断 scenario). */
    'simulator.network': call(SimulatedNetworkAction, Ack),
    /** 省级配置: the active rules bundle and where it came from (built-in until one was downloaded and verified). */
    'rules.current': call(NoInput, RulesCurrent),
  },
  events: {
    'devices.changed': DeviceStatusList,
    'kiosk.responded': KioskResponse,
    /** A card was placed and read (once per placement). */
    'idcard.read': IdCardReadEvent,
    'idcard.removed': z.strictObject({}),
    'idcard.error': IdCardErrorEvent,
    /** A running fingerprint capture: waiting for the finger, or an attempt's outcome. */
    'fingerprint.progress': FingerprintProgressEvent,
    /** A download changed the rules (a new bundle, or a refused one): what rules.current now answers. */
    'rules.changed': RulesCurrent,
  },
} as const;

export const kioskApi = {
  calls: {
    'kiosk.current': call(NoInput, KioskView),
    'kiosk.respond': call(KioskResponse, Ack),
  },
  events: {
    'kiosk.view': KioskView,
  },
} as const;

export const stationApi = { staff: staffApi, kiosk: kioskApi } as const;

export type Role = keyof typeof stationApi;
export const roles = Object.keys(stationApi) as Role[];

type Api = typeof stationApi;
export type CallName<R extends Role> = keyof Api[R]['calls'] & string;
export type EventName<R extends Role> = keyof Api[R]['events'] & string;

type CallSpec<R extends Role, M extends CallName<R>> = Api[R]['calls'][M] extends {
  input: infer I extends z.ZodType;
  output: infer O extends z.ZodType;
}
  ? { input: I; output: O }
  : never;

/** What a caller passes (before defaults/transforms). */
export type CallInput<R extends Role, M extends CallName<R>> = z.input<CallSpec<R, M>['input']>;
/** What a handler receives after validation. */
export type CallArgs<R extends Role, M extends CallName<R>> = z.output<CallSpec<R, M>['input']>;
export type CallResult<R extends Role, M extends CallName<R>> = z.output<CallSpec<R, M>['output']>;
export type EventPayload<R extends Role, E extends EventName<R>> = Api[R]['events'][E] extends infer S extends z.ZodType
  ? z.output<S>
  : never;

export function isCallName<R extends Role>(role: R, method: unknown): method is CallName<R> {
  return typeof method === 'string' && Object.hasOwn(stationApi[role].calls, method);
}

export function callSpec<R extends Role>(role: R, method: CallName<R>): { input: z.ZodType; output: z.ZodType } {
  return (stationApi[role].calls as Record<string, { input: z.ZodType; output: z.ZodType }>)[method]!;
}

export function eventSchema<R extends Role>(role: R, event: EventName<R>): z.ZodType {
  return (stationApi[role].events as Record<string, z.ZodType>)[event]!;
}

export function isEventName<R extends Role>(role: R, event: unknown): event is EventName<R> {
  return typeof event === 'string' && Object.hasOwn(stationApi[role].events, event);
}
