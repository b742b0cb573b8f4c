import { StationError } from '../../core/errors/station-error.js';

/**
 * Dexie wraps an error thrown inside a transaction whose name is one of its own (ours are named
 * InvalidStateError, ValidationError …) and keeps the original as `inner`: callers get the StationError back.
 */
export async function unwrapDexie<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const inner = (error as { inner?: unknown }).inner;
    throw inner instanceof StationError ? inner : error;
  }
}
