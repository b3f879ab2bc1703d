import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/tool/pack-setup.ts'],
    reporters: ['default', './tests/support/summary-reporter.ts'],
    // Two test files at a time, also on two cores: the browser and LRS runs spend much of their
    // time waiting, and the suite takes about two thirds of the time it takes one file at a time.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
