import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // two cores: keep the pool small so property tests do not starve each other
    maxWorkers: 2,
  },
});
