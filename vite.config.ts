import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const rendererRoot = fileURLToPath(new URL('./renderer', import.meta.url));

/** Two pages, one per window: the staff workspace and the candidate kiosk. */
export default defineConfig({
  root: rendererRoot,
  base: '/',
  plugins: [react()],
  // Workers (sync, OCR, face) are ES modules, served from the app's own origin like every other script.
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    // Inline module-preload polyfills and data-URL assets would need CSP exceptions; keep every asset a file.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    rollupOptions: {
      input: {
        staff: fileURLToPath(new URL('./renderer/staff/index.html', import.meta.url)),
        kiosk: fileURLToPath(new URL('./renderer/kiosk/index.html', import.meta.url)),
      },
    },
  },
});
