import { createStore, type StoreApi } from 'zustand/vanilla';
import type { StationClient } from '../../../core/api/client.js';
import type { FlowState } from '../../../core/confirmation-flow/confirmation-flow.js';
import type { SimulatedReaderAction } from '../../../core/contract/station-api.js';
import type { SimulatedScannerAction } from '../../../core/contract/fingerprint.js';
import { toStationError } from '../../../core/errors/station-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { CameraScene } from '../../camera/simulated-camera.js';
import type { FingerSlot } from './fingerprint-store.js';

/** What a trainer can put in front of the simulated devices; each maps to the device's real byte protocol. */
export type FingerPlacement = 'good' | 'poor' | 'wrong';
export type ScenarioId = 'normal' | 'bad-card' | 'face-mismatch' | 'missing-papers' | 'network-loss';

export interface Scenario {
  id: ScenarioId;
  title: string;
  /** What the trainer tells the trainee to expect and do. */
  brief: string;
}

export const scenarios: readonly Scenario[] = (['normal', 'bad-card', 'face-mismatch', 'missing-papers', 'network-loss'] as const).map((id) => ({
  id,
  ...zhCN.simulator.scenarios[id],
}));

export interface SimulatorState {
  /** The sample roster's candidates, whose cards the simulated reader can produce. */
  candidates: readonly { citizenId: string; name: string }[];
  loadCandidates(): Promise<void>;
  /** 培训模式: records are marked, never synced, purged at the end. */
  training: boolean;
  scene: CameraScene;
  networkOffline: boolean;
  scenario: ScenarioId | undefined;
  /** The last action's result, for the panel (errors in Chinese). */
  notice: { tone: 'info' | 'error'; text: string } | undefined;
  busy: boolean;
  placeCard(citizenId: string): Promise<void>;
  placeFixture(fixture: 'hmt-residence' | 'foreign-2017' | 'foreign-2023'): Promise<void>;
  removeCard(): Promise<void>;
  cardFault(fault: Extract<SimulatedReaderAction, { action: 'fault' }>['fault']): Promise<void>;
  placeFinger(kind: FingerPlacement): Promise<void>;
  liftFinger(): Promise<void>;
  scannerFault(): Promise<void>;
  setScene(scene: CameraScene): void;
  setNetwork(offline: boolean): Promise<void>;
  runScenario(id: ScenarioId): Promise<void>;
  startTraining(): void;
  endTraining(): Promise<void>;
}

export interface SimulatorDeps {
  api: Pick<StationClient<'staff'>, 'call'>;
  flow: () => FlowState;
  /** The fingerprint slots, to place the finger the station is asking for. */
  slots: () => readonly FingerSlot[];
  /** The candidate a scenario works with (the sample roster's first candidate). */
  demoCandidate: string;
  purgeTraining: () => Promise<number>;
  resetFlow: () => Promise<void>;
}

const t = zhCN.simulator;

/** A finger id stable per candidate and finger: the same person's same finger always has the same ridges. */
export function fingerIdFor(flow: FlowState, finger: number): string {
  const who = flow.step === 'identify' ? 'nobody' : flow.candidate.citizenId;
  return `${who}-f${finger}`;
}

export function createSimulatorStore(deps: SimulatorDeps): StoreApi<SimulatorState> {
  return createStore<SimulatorState>()((set) => {
    const act = async (work: () => Promise<unknown>, done?: string) => {
      set({ busy: true });
      try {
        await work();
        set({ busy: false, notice: done ? { tone: 'info', text: done } : undefined });
      } catch (error) {
        set({ busy: false, notice: { tone: 'error', text: toStationError(error).userMessage } });
      }
    };
    const reader = (action: SimulatedReaderAction) => deps.api.call('simulator.idcard', action);
    const scanner = (action: SimulatedScannerAction) => deps.api.call('simulator.fingerprint', action);
    const requestedFinger = () => {
      const slots = deps.slots();
      return (slots.find((slot) => slot.status === 'capturing') ?? slots.find((slot) => slot.status === 'pending') ?? slots[0])?.finger ?? 2;
    };

    return {
      candidates: [],
      loadCandidates: () =>
        act(async () => {
          const seed = await deps.api.call('roster.loadSeed', {});
          set({ candidates: seed.entries.map(({ citizenId, name }) => ({ citizenId, name })) });
        }),
      training: false,
      scene: 'candidate',
      networkOffline: false,
      scenario: undefined,
      notice: undefined,
      busy: false,

      placeCard: (citizenId) => act(() => reader({ action: 'place', citizenId }), t.cardPlaced),
      placeFixture: (fixture) => act(() => reader({ action: 'place-fixture', fixture }), t.cardPlaced),
      removeCard: () => act(() => reader({ action: 'remove' }), t.cardRemoved),
      cardFault: (fault) => act(() => reader({ action: 'fault', fault }), t.faultSet),

      placeFinger: (kind) =>
        act(async () => {
          const flow = deps.flow();
          const finger = requestedFinger();
          // A wrong finger is another finger of the same hand: the duplicate check and the chip template notice it.
          const fingerId = fingerIdFor(flow, kind === 'wrong' ? (finger % 10) + 1 : finger);
          await scanner({ action: 'place', fingerId, quality: kind === 'poor' ? 0.25 : 0.9 });
        }, t.fingerPlaced),
      liftFinger: () => act(() => scanner({ action: 'lift' }), t.fingerLifted),
      scannerFault: () => act(() => scanner({ action: 'fault', fault: { kind: 'no-reply' } }), t.faultSet),

      setScene: (scene) => set({ scene }),
      setNetwork: (offline) =>
        act(async () => {
          await deps.api.call('simulator.network', { action: offline ? 'offline' : 'online' });
          set({ networkOffline: offline });
        }, offline ? t.networkOff : t.networkOn),

      runScenario: (id) =>
        act(async () => {
          // Every scenario starts from a clean desk: no card, no finger, the network up, the candidate on camera.
          await deps.resetFlow();
          await reader({ action: 'remove' });
          await scanner({ action: 'lift' });
          await deps.api.call('simulator.network', { action: id === 'network-loss' ? 'offline' : 'online' });
          set({ training: true, scenario: id, networkOffline: id === 'network-loss', scene: id === 'face-mismatch' ? 'stranger' : 'candidate' });
          if (id === 'bad-card') await reader({ action: 'fault', fault: 'removed-mid-read' });
          await reader({ action: 'place', citizenId: deps.demoCandidate });
        }, t.scenarioStarted),

      startTraining: () => set({ training: true, notice: { tone: 'info', text: t.trainingOn } }),
      endTraining: () =>
        act(async () => {
          const purged = await deps.purgeTraining();
          await deps.api.call('simulator.network', { action: 'online' });
          set({ training: false, scenario: undefined, networkOffline: false, scene: 'candidate', notice: { tone: 'info', text: t.trainingPurged(purged) } });
        }),
    };
  });
}
