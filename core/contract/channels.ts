import type { CallName, Role } from './station-api.js';

/**
 * The contract's names without its schemas: what the sandboxed preloads need to route and refuse calls.
 * Kept free of zod so each preload bundle stays a few kilobytes; the type checks below fail the build
 * if these lists and the StationApi ever disagree.
 */
export const ipcChannels = {
  staffCall: 'station:staff:call',
  kioskCall: 'station:kiosk:call',
  event: 'station:event',
} as const;

export const callNames = {
  staff: [
    'station.info',
    'devices.list',
    'station.readiness',
    'devices.simulate',
    'roster.loadSeed',
    'kiosk.show',
    'kiosk.status',
    'simulator.idcard',
    'central.status',
    'central.enroll',
    'central.uploadBlob',
    'central.uploadBatch',
    'central.rosterDelta',
    'central.dayClose',
    'handoff.build',
    'handoff.stageBlobs',
    'central.fetchBlob',
    'central.uploadAudit',
    'storage.dataKey',
    'staff.accounts',
    'staff.signIn',
    'staff.signOut',
    'staff.session',
    'staff.lock',
    'supervisor.list',
    'supervisor.authorize',
    'receipt.sign',
    'receipts.verifyOffline',
    'print.toPdf',
    'export.dayLog',
    'fingerprint.capture',
    'fingerprint.cancel',
    'fingerprint.checkDuplicate',
    'simulator.fingerprint',
    'simulator.network',
    'rules.current',
  ],
  kiosk: ['kiosk.current', 'kiosk.respond'],
} as const;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type CallNamesMatchContract = [
  Assert<Same<(typeof callNames.staff)[number], CallName<'staff'>>>,
  Assert<Same<(typeof callNames.kiosk)[number], CallName<'kiosk'>>>,
];

export function isBridgeCall(role: Role, method: unknown): boolean {
  return typeof method === 'string' && (callNames[role] as readonly string[]).includes(method);
}
