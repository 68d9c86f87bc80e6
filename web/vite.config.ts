import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// In development the API runs on :8080 (make run); Vite proxies to it so the
// SPA and the API share one origin, as they do when the API serves web/dist
// (the refresh cookie is same-origin and the server checks Origin).
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
      '/health': 'http://127.0.0.1:8080',
    },
  },
  build: {
    // dist/.vite/manifest.json: scripts/bundle-size.mjs measures the sign-in page from it.
    manifest: true,
    // No inline <script>/<style> and no data: module preloads: the API's CSP allows 'self' only.
    assetsInlineLimit: 0,
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['src/test-setup.ts'],
    // Browser tests have their own config (vitest.e2e.config.ts).
    exclude: ['e2e/**', 'node_modules/**'],
  },
});
