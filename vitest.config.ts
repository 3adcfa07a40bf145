import { defineConfig } from 'vitest/config';

// Three suites, one runner. Unit tests are pure and fast; integration tests use real parts (pseudo-terminals,
// HTTP on 127.0.0.1, SQLite files, killed processes); e2e drives the renderer in Debian's Chromium.
// Terminals started by tests serve metrics on a free port, never the fixed 9464 (tests run side by side).
const TEST_ENV = { KIOSK_METRICS_PORT: '0' };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          env: TEST_ENV,
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          env: TEST_ENV,
          testTimeout: 120_000,
          hookTimeout: 60_000,
          // Real processes and ports: keep files from fighting over two cores.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          env: TEST_ENV,
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
