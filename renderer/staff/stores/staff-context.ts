import { createContext, useContext } from 'react';
import { useStore, type StoreApi } from 'zustand';
import type { CheckInState } from './check-in-store.js';
import type { StationState } from './station-store.js';
import type { SyncState } from './sync-store.js';

export interface StaffStores {
  station: StoreApi<StationState>;
  checkIn: StoreApi<CheckInState>;
  sync: StoreApi<SyncState>;
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
