import { defineConfig } from 'vitest/config';

// Browser tests: the real `crepo serve` with the built SPA, driven in Debian's
// Chromium by playwright-core (`npm run e2e`, part of `make test-web`).
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
