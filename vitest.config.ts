import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // A guard against hangs, not a speed target (those live in `npm run bench`). The end-to-end
    // tests run the real recognizer over many pages on two cores shared with the other files:
    // the fixture-mail ingest takes 14 s alone and took over 60 s in a full run on a loaded machine.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // Recognition and IMAP tests start worker threads and servers; two cores, so keep files from starving each other.
    maxWorkers: 2,
  },
});
