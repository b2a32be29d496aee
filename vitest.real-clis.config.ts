import { defineConfig } from 'vitest/config';

/**
 * The real-CLI suite (`npm run test:real-clis`): kept out of `npm test` because it installs the CLIs
 * and each case runs a real `photon run`. One file at a time: the CLIs are heavy and share one server.
 */
export default defineConfig({
  test: {
    include: [process.env.PHOTON_REAL_CLIS_SLOW === '1' ? 'test/real-clis/**/*.slow.test.ts' : 'test/real-clis/**/*.test.ts'],
    exclude: process.env.PHOTON_REAL_CLIS_SLOW === '1' ? [] : ['test/real-clis/**/*.slow.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 300_000,
    hookTimeout: 600_000,
  },
});
