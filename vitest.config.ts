import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  test: {
    include: ['test/unit/**/*.test.{ts,tsx}'],
    environment: 'node',
    // Two cores here: keep the pool small so timings stay stable.
    maxWorkers: 2,
    testTimeout: 20_000,
  },
});
