import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // The real-CLI suite has its own command and config (vitest.real-clis.config.ts).
    exclude: ['**/node_modules/**', 'test/real-clis/**'],
    // Real processes, ptys and native modules: separate processes isolate them best.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['test/global-setup.ts'],
  },
});
