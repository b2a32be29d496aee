import { basename } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * The longest files first (their usual minutes here), so the two workers end together: on a fresh
 * clone vitest knows no durations and would start the largest files first, and the per-CLI files
 * are the smallest. Files not named here follow, largest first.
 */
const longestFirst = ['codex.test.ts', 'gemini.test.ts', 'claude.test.ts', 'acp-model.test.ts', 'session-steps.test.ts', 'acp-adapters.test.ts', 'acp-sessions.test.ts'];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const index = longestFirst.indexOf(basename(file.moduleId));
      return index === -1 ? longestFirst.length : index;
    };
    return sorted.map((file, order) => ({ file, order })).sort((a, b) => rank(a.file) - rank(b.file) || a.order - b.order).map(({ file }) => file);
  }
}

/**
 * The real-CLI suite (`npm run test:real-clis`): kept out of `npm test` because it installs the CLIs
 * and each case runs a real `photon run`. Two files at a time: each has its own stand-in model
 * server, data folder and home, and most of a case is the CLI waiting on the server (retries,
 * timeouts), not work: one file at a time, the suite used 283 s of CPU in 671 s (load 9-11 here).
 */
export default defineConfig({
  test: {
    include: [process.env.PHOTON_REAL_CLIS_SLOW === '1' ? 'test/real-clis/**/*.slow.test.ts' : 'test/real-clis/**/*.test.ts'],
    exclude: process.env.PHOTON_REAL_CLIS_SLOW === '1' ? [] : ['test/real-clis/**/*.slow.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
    testTimeout: 300_000,
    hookTimeout: 600_000,
  },
});
