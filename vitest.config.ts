import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Captures every edge process's logs and fails the run if one holds a secret the suite used.
    globalSetup: ['test/global-setup.ts'],
    // Two cores: keep the integration suites (real redis-server, sipp, sockets) from starving each other.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
