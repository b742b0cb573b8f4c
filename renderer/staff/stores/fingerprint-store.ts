import { z } from 'zod';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { StationClient } from '../../../core/api/client.js';
import type { FlowState } from '../../../core/confirmation-flow/confirmation-flow.js';
import type { ConfirmationContent } from '../../../core/contract/confirmation.js';
import type { DeviceStatus } from '../../../core/contract/devices.js';
import { FingerPosition, FingerprintCaptureResult, type FingerprintSettings } from '../../../core/contract/fingerprint.js';
import { SupervisorApproval } from '../../../core/contract/supervisor.js';
import { toStationError } from '../../../core/errors/station-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { NewBlob } from '../../confirmations/confirmation-repository.js';
import { base64ToBytes } from '../../util/base64.js';
import type { Collector, Contribution } from './collector.js';

const text = zhCN.fingerprint;

/** Right index, then left index: what exam authorities ask for unless the station config says otherwise. */
export const defaultFingerprintSettings: FingerprintSettings = { fingers: [2, 7], qualityThreshold: 40, maxAttempts: 3 };

export type FingerSlotStatus = 'pending' | 'capturing' | 'captured' | 'confirmed' | 'unavailable';

export interface FingerSlot {
  /** The finger the station asks for in this slot. */
  requested: number;
  /** The finger taken: the requested one, or another chosen for a missing or injured finger. */
  finger: number;
  status: FingerSlotStatus;
  /** The kept capture, shown for staff to confirm. */
  capture: FingerprintCaptureResult | undefined;
  /** Attempts over every capture of this slot, retakes included. */
  attempts: number;
  message: { kind: 'error' | 'warning' | 'info'; text: string } | undefined;
  /** The supervisor's approval when the finger is marked unavailable. */
  approval: SupervisorApproval | undefined;
}

export interface FingerprintState {
  slots: FingerSlot[];
  settings: FingerprintSettings;
  /** What to tell the candidate while a capture runs (from the host's progress events). */
  prompt: string | undefined;
  /** A capture or duplicate check is running. */
  busy: boolean;
  /** Captures (or retakes) the slot's finger; the capture is checked against the other fingers. */
  capture(index: number): Promise<void>;
  /** Staff accept the shown capture. */
  confirm(index: number): void;
  /** Takes another finger instead (missing or injured); only fingers not used by another slot. */
  chooseFinger(index: number, finger: number): void;
  /** No finger can be captured for this slot: a supervisor approves the exception. */
  markUnavailable(index: number): Promise<void>;
  cancel(): Promise<void>;
}

export interface FingerprintDeps {
  api: Pick<StationClient<'staff'>, 'call' | 'on'>;
  /** The supervisor approval dialog (approval store's ask). */
  ask: (action: 'fingerprint-exception') => Promise<SupervisorApproval | undefined>;
  /** The current confirmation flow: its session and the chip read, if any. */
  flow: () => FlowState;
  /** The station's fingerprint settings (station.info), when known. */
  settings: () => FingerprintSettings | undefined;
  /** Station policy: whether 信息采集 takes fingerprints at all (default yes). */
  enabled?: () => boolean;
}

export type FingerprintStore = StoreApi<FingerprintState> & Collector;

const done = (slot: FingerSlot) => slot.status === 'confirmed' || slot.status === 'unavailable';

/** Every finger asked for is confirmed or excused by a supervisor. */
export const fingerprintsReady = (state: Pick<FingerprintState, 'slots'>): boolean => state.slots.length > 0 && state.slots.every(done);

const fingerName = (finger: number) => text.fingers[finger] ?? String(finger);

function slotsFor(settings: FingerprintSettings): FingerSlot[] {
  return settings.fingers.map((finger) => ({
    requested: finger,
    finger,
    status: 'pending',
    capture: undefined,
    attempts: 0,
    message: undefined,
    approval: undefined,
  }));
}

/** A finished set of fingers as the resume draft keeps it. */
const FingerprintDraft = z.strictObject({
  slots: z
    .array(
      z.looseObject({
        requested: FingerPosition,
        finger: FingerPosition,
        status: z.enum(['confirmed', 'unavailable']),
        capture: FingerprintCaptureResult.optional(),
        attempts: z.number().int().min(0).max(100),
        approval: SupervisorApproval.optional(),
      }),
    )
    .min(1)
    .max(10),
});

const sessionOf = (flow: FlowState) => (flow.step === 'identify' ? undefined : flow.sessionId);

/**
 * The fingerprint part of 信息采集: captures in the host (quality retries there), the duplicate check between
 * fingers, staff confirmation, and the supervisor-approved exception; at save, its part of the record.
 */
export function createFingerprintStore(deps: FingerprintDeps): FingerprintStore {
  const settings = () => deps.settings() ?? defaultFingerprintSettings;
  // Each reset starts a new generation: a capture that returns after 办理下一位 must not land on the next candidate.
  let generation = 0;

  const store = createStore<FingerprintState>()((set, get) => {
    const update = (index: number, patch: Partial<FingerSlot>) =>
      set({ slots: get().slots.map((slot, i) => (i === index ? { ...slot, ...patch } : slot)) });

    return {
      slots: slotsFor(settings()),
      settings: settings(),
      prompt: undefined,
      busy: false,

      async capture(index) {
        const slot = get().slots[index];
        const sessionId = sessionOf(deps.flow());
        if (!slot || !sessionId || get().busy || done(slot)) return;
        const mine = generation;
        const { qualityThreshold, maxAttempts } = get().settings;
        update(index, { status: 'capturing', message: undefined });
        set({ busy: true, prompt: text.prompts.place });
        const previous = slot;
        try {
          const result = await deps.api.call('fingerprint.capture', { finger: slot.finger, sessionId, targetQuality: qualityThreshold, maxAttempts });
          if (mine !== generation) return;
          const attempts = previous.attempts + result.attempts;
          // The same finger presented for two slots would be a wrong record: refuse it, the candidate retakes.
          for (const [i, other] of get().slots.entries()) {
            if (i === index || !other.capture) continue;
            const verdict = await deps.api.call('fingerprint.checkDuplicate', { first: other.capture.captureId, second: result.captureId });
            if (mine !== generation) return;
            if (verdict.duplicate) {
              update(index, { status: 'pending', capture: undefined, attempts, message: { kind: 'error', text: text.duplicateFinger } });
              return;
            }
          }
          update(index, {
            status: 'captured',
            capture: result,
            attempts,
            message: result.accepted ? undefined : { kind: 'warning', text: text.belowThresholdKept(result.quality, result.targetQuality) },
          });
        } catch (error) {
          if (mine !== generation) return;
          const stationError = toStationError(error);
          // A failed retake keeps the capture staff already saw.
          update(index, {
            status: previous.capture ? 'captured' : 'pending',
            message: { kind: stationError.reason === 'cancelled' ? 'info' : 'error', text: stationError.userMessage },
          });
        } finally {
          if (mine === generation) set({ busy: false, prompt: undefined });
        }
      },

      confirm(index) {
        const slot = get().slots[index];
        if (!slot || slot.status !== 'captured' || !slot.capture || get().busy) return;
        update(index, { status: 'confirmed', message: undefined });
      },

      chooseFinger(index, finger) {
        const slot = get().slots[index];
        if (!slot || slot.status === 'capturing' || slot.status === 'confirmed' || get().busy) return;
        if (!Number.isInteger(finger) || finger < 1 || finger > 10) return;
        if (get().slots.some((other, i) => i !== index && other.finger === finger && other.status !== 'unavailable')) return;
        update(index, { finger, status: 'pending', capture: undefined, message: undefined, approval: undefined });
      },

      async markUnavailable(index) {
        const slot = get().slots[index];
        if (!slot || get().busy || slot.status === 'confirmed') return;
        const mine = generation;
        const approval = await deps.ask('fingerprint-exception');
        if (!approval || mine !== generation) return;
        update(index, { status: 'unavailable', capture: undefined, approval, message: undefined });
      },

      async cancel() {
        if (!get().busy) return;
        try {
          await deps.api.call('fingerprint.cancel', {});
        } catch {
          // The capture ends by itself at its timeout.
        }
      },
    };
  });

  deps.api.on('fingerprint.progress', (event) => {
    if (store.getState().busy) store.setState({ prompt: event.message });
  });

  const contribution = (): Contribution => {
    const state = store.getState();
    const blobs: NewBlob[] = [];
    const fingerprints: NonNullable<ConfirmationContent['fingerprints']> = [];
    const approvals: SupervisorApproval[] = [];
    for (const slot of state.slots) {
      if (slot.status === 'confirmed' && slot.capture) {
        const capture = slot.capture;
        blobs.push({ role: `fingerprint-image-${slot.finger}`, mime: 'image/png', bytes: base64ToBytes(capture.imagePng) });
        if (capture.template) blobs.push({ role: `fingerprint-template-${slot.finger}`, mime: 'application/octet-stream', bytes: base64ToBytes(capture.template) });
        const reasons = [
          ...(slot.finger !== slot.requested ? [text.panel.substituted(fingerName(slot.requested))] : []),
          ...(capture.accepted ? [] : [text.panel.keptBelowThreshold(capture.quality, capture.targetQuality)]),
        ];
        fingerprints.push({
          finger: slot.finger,
          status: 'captured',
          quality: capture.quality,
          attempts: Math.min(20, slot.attempts),
          ...(reasons.length > 0 ? { reason: reasons.join('；').slice(0, 200) } : {}),
        });
      } else if (slot.status === 'unavailable' && slot.approval) {
        fingerprints.push({
          finger: slot.finger,
          status: 'unavailable',
          attempts: Math.min(20, slot.attempts),
          reason: slot.approval.reason.slice(0, 200),
          approvalId: slot.approval.approvalId,
        });
        approvals.push(slot.approval);
      }
    }
    const content: Contribution['content'] = { fingerprints };
    const flow = deps.flow();
    const card = flow.step === 'identify' ? undefined : flow.card;
    if (card) {
      // The chip's templates are kept as read; comparing them with the live capture needs the vendor's certified algorithm.
      const chip = card.fingerprint ? base64ToBytes(card.fingerprint) : new Uint8Array(0);
      content.chipFingerprint = chip.length > 0;
      if (chip.length > 0) blobs.push({ role: 'chip-fingerprint', mime: 'application/octet-stream', bytes: chip });
    }
    return { blobs, content, approvals };
  };

  return Object.assign(store, {
    name: 'fingerprints' as const,
    // Kept once every finger is confirmed or excused: a half-done set is captured again (the host's capture
    // handles for the duplicate check do not outlive a host restart).
    draft: () => (fingerprintsReady(store.getState()) ? { slots: store.getState().slots } : undefined),
    restore(value: unknown) {
      const parsed = FingerprintDraft.safeParse(value);
      const wanted = settings().fingers;
      if (!parsed.success || parsed.data.slots.length !== wanted.length || parsed.data.slots.some((slot, i) => slot.requested !== wanted[i])) return false;
      const slots: FingerSlot[] = parsed.data.slots.map((slot) => ({
        requested: slot.requested,
        finger: slot.finger,
        status: slot.status,
        capture: slot.capture,
        attempts: slot.attempts,
        message: undefined,
        approval: slot.approval,
      }));
      if (!fingerprintsReady({ slots })) return false;
      store.setState({ slots, settings: settings(), prompt: undefined, busy: false });
      return true;
    },
    enabled: () => deps.enabled?.() ?? true,
    ready: () => fingerprintsReady(store.getState()),
    contribution,
    reset: () => {
      generation += 1;
      if (store.getState().busy) void deps.api.call('fingerprint.cancel', {}).catch(() => undefined);
      store.setState({ slots: slotsFor(settings()), settings: settings(), prompt: undefined, busy: false });
    },
  });
}

/** Whether captures can be started: a scanner is attached (a 'fault' after a transfer glitch may recover). */
export const scannerUsable = (devices: readonly DeviceStatus[]): boolean => {
  const scanner = devices.find((device) => device.kind === 'fingerprint-scanner');
  return scanner !== undefined && scanner.state !== 'disconnected';
};
