import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Captures every edge process's logs and fails the run if one holds a secret the suite used.
    globalSetup: ['test/global-setup.ts'],
    // Two cores, and most files start real processes (the edge, its workers, redis-server, several
    // sipp): one file at a time, so that SIPp timers and RSS bounds are not judged on a machine that
    // another file is saturating. The whole suite stays around five minutes.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
