import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Recognition and IMAP tests start worker threads and servers; two cores, so keep files from starving each other.
    maxWorkers: 2,
  },
});
