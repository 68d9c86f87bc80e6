import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// In development the API runs on :8080 (make run); Vite proxies to it so the
// SPA and the API share one origin, as they do when the API serves web/dist.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/health': 'http://127.0.0.1:8080',
    },
  },
  test: {
    environment: 'node',
    // Browser tests have their own config (vitest.e2e.config.ts).
    exclude: ['e2e/**', 'node_modules/**'],
  },
});
