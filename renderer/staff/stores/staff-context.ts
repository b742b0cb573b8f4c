import { createContext, useContext } from 'react';
import { useStore, type StoreApi } from 'zustand';
import type { ApprovalState } from './approval-store.js';
import type { CameraState } from './camera-store.js';
import type { FaceState } from './face-store.js';
import type { PhotoState } from './photo-store.js';
import type { OcrState } from './ocr-store.js';
import type { CheckInState } from './check-in-store.js';
import type { ConfirmationState } from './confirmation-store.js';
import type { FingerprintState } from './fingerprint-store.js';
import type { StationState } from './station-store.js';
import type { SyncState } from './sync-store.js';
import type { SimulatorState } from './simulator-store.js';
import type { SessionState } from './session-store.js';
import type { ReadinessState } from './readiness-store.js';
import type { ReviewState } from '../../supervisor/review-store.js';
import type { DayState } from '../../supervisor/day-store.js';
import type { ReceiptState } from '../../receipts/receipt-store.js';
import type { EligibilityState } from './eligibility-store.js';
import type { VisitState } from './visit-store.js';
import type { ResumeState } from './resume-store.js';
import type { RulesState } from '../../rules/rules-store.js';

/** Actions that span stores (they live in services; components only call them). */
export interface StaffActions {
  overrideStaleRoster(): Promise<void>;
  /** 打印回执 of the record just saved (pdf: 保存 PDF only). */
  printReceipt(options?: { pdf?: boolean }): Promise<void>;
}

export interface StaffStores {
  station: StoreApi<StationState>;
  checkIn: StoreApi<CheckInState>;
  sync: StoreApi<SyncState>;
  confirmation: StoreApi<ConfirmationState>;
  approval: StoreApi<ApprovalState>;
  fingerprints: StoreApi<FingerprintState>;
  camera: StoreApi<CameraState>;
  face: StoreApi<FaceState>;
  photo: StoreApi<PhotoState>;
  ocr: StoreApi<OcrState>;
  simulator: StoreApi<SimulatorState>;
  session: StoreApi<SessionState>;
  readiness: StoreApi<ReadinessState>;
  review: StoreApi<ReviewState>;
  day: StoreApi<DayState>;
  receipts: StoreApi<ReceiptState>;
  eligibility: StoreApi<EligibilityState>;
  visit: StoreApi<VisitState>;
  resume: StoreApi<ResumeState>;
  rules: StoreApi<RulesState>;
  actions: StaffActions;
}

export const StaffStoresContext = createContext<StaffStores | null>(null);

function useStores(): StaffStores {
  const stores = useContext(StaffStoresContext);
  if (!stores) throw new Error('StaffStoresContext missing');
  return stores;
}

export const useStation = <T,>(select: (s: StationState) => T): T => useStore(useStores().station, select);
export const useCheckIn = <T,>(select: (s: CheckInState) => T): T => useStore(useStores().checkIn, select);
export const useSync = <T,>(select: (s: SyncState) => T): T => useStore(useStores().sync, select);
export const useConfirmation = <T,>(select: (s: ConfirmationState) => T): T => useStore(useStores().confirmation, select);
export const useApproval = <T,>(select: (s: ApprovalState) => T): T => useStore(useStores().approval, select);
export const useFingerprints = <T,>(select: (s: FingerprintState) => T): T => useStore(useStores().fingerprints, select);
export const useCamera = <T,>(select: (s: CameraState) => T): T => useStore(useStores().camera, select);
export const useFace = <T,>(select: (s: FaceState) => T): T => useStore(useStores().face, select);
export const usePhoto = <T,>(select: (s: PhotoState) => T): T => useStore(useStores().photo, select);
export const useOcr = <T,>(select: (s: OcrState) => T): T => useStore(useStores().ocr, select);
export const useSimulator = <T,>(select: (s: SimulatorState) => T): T => useStore(useStores().simulator, select);
export const useSession = <T,>(select: (s: SessionState) => T): T => useStore(useStores().session, select);
export const useReadiness = <T,>(select: (s: ReadinessState) => T): T => useStore(useStores().readiness, select);
export const useReview = <T,>(select: (s: ReviewState) => T): T => useStore(useStores().review, select);
export const useDay = <T,>(select: (s: DayState) => T): T => useStore(useStores().day, select);
export const useReceipts = <T,>(select: (s: ReceiptState) => T): T => useStore(useStores().receipts, select);
export const useEligibility = <T,>(select: (s: EligibilityState) => T): T => useStore(useStores().eligibility, select);
export const useVisit = <T,>(select: (s: VisitState) => T): T => useStore(useStores().visit, select);
export const useResume = <T,>(select: (s: ResumeState) => T): T => useStore(useStores().resume, select);
export const useRules = <T,>(select: (s: RulesState) => T): T => useStore(useStores().rules, select);
export const useStaffActions = (): StaffActions => useStores().actions;
