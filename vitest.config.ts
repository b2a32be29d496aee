import { defineConfig } from 'vitest/config';

/**
 * The renderer's and shared code's tests start no process and touch no global state they do not
 * restore, so they run one after the other in the same worker process instead of a fresh one each:
 * a fresh process spent more on starting and importing (about 0.6 s of CPU a file) than most of
 * these files spend on their tests.
 */
const inOneProcess = ['test/renderer/**/*.test.ts', 'test/renderer/**/*.test.tsx', 'test/shared/**/*.test.ts', 'test/shared/**/*.test.tsx'];

export default defineConfig({
  test: {
    // The real-CLI suite has its own command and config (vitest.real-clis.config.ts).
    exclude: ['**/node_modules/**', 'test/real-clis/**'],
    // Real processes, ptys and native modules: separate processes isolate them best.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['test/global-setup.ts'],
    projects: [
      { extends: true, test: { name: 'isolated', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], exclude: ['**/node_modules/**', 'test/real-clis/**', ...inOneProcess] } },
      { extends: true, test: { name: 'one-process', include: inOneProcess, isolate: false } },
    ],
  },
});
