import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/**
 * Two projects: the renderer's tests share IndexedDB (fake-indexeddb) and zustand stores at module level, so
 * each file gets fresh modules; the rest hold no state between files and reuse one module graph per worker,
 * which saves most of the import time (tfjs, tesseract.js, exceljs …) on two cores.
 */
const shared = {
  environment: 'node',
  testTimeout: 20_000,
} as const;

export default defineConfig({
  plugins: [react()],
  test: {
    // Two cores here: keep the pool small so timings stay stable.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { ...shared, name: 'renderer', include: ['test/unit/renderer/**/*.test.{ts,tsx}'] } },
      { extends: true, test: { ...shared, name: 'units', include: ['test/unit/**/*.test.{ts,tsx}'], exclude: ['test/unit/renderer/**'], isolate: false } },
    ],
  },
});
