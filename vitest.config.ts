import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * Test files that start no process, open no server or engine, and restore what global state they
 * touch run one after the other in the same worker process instead of a fresh one each: a fresh
 * process spent more on starting and importing (about 0.6 s of CPU a file) than most of these
 * files spend on their tests. A new file runs isolated until it is added here.
 */
const inOneProcess = [
  'test/renderer/**/*.test.{ts,tsx}',
  'test/shared/**/*.test.{ts,tsx}',
  'test/electron/{app-menu,app-protocol,app-url,ensure-native,host-decisions,icons,preload-bridge,run-notifications,security-policies,tray-menu,window-options}.test.ts',
  'test/engine/agents/scoring.test.ts',
  'test/engine/approvals/rules.test.ts',
  'test/engine/keys/audit-and-expiry.test.ts',
  'test/engine/metrics/{process-trees,retention}.test.ts',
  'test/engine/runs/{attempt-folder-early,deferred-recording,ready-queue,run-queue-order}.test.ts',
  'test/engine/sandbox/{ai-step-error,explain,seatbelt}.test.ts',
  'test/engine/secrets/redactor.test.ts',
  'test/engine/sessions/conversation-redaction.test.ts',
  'test/engine/storage/{metrics-today,plain-step-rows,run-list,run-page-cache,turn-transaction-refused}.test.ts',
  'test/engine/tools/{acp-detect,acp-invocation,gemini-home,invocation,parse-aider,parse-claude,parse-codex,parse-cursor,parse-gemini,prompt,refusal-watch,terminal-text}.test.ts',
  'test/server/api/event-log.test.ts',
  'test/server/auth/{rate-limiter,remote-guard}.test.ts',
  'test/server/cli/plain-progress.test.ts',
  'test/server/web/{request-guard,token-store}.test.ts',
];

/**
 * Files whose setup mostly waits on the network start first: real-cli-flags installs the real CLIs
 * on a fresh clone (about 27 s of npm downloading into node_modules/.cache), and the typecheck and
 * lint that scripts/test-all.js runs beside the suite use the CPU meanwhile. Started last among files
 * of its size (it was, 18 minutes in), it held a worker at the end with half the machine idle. The
 * rest keep vitest's order (largest first on a fresh clone, longest first once it knows durations).
 */
const waitOnNetwork = ['test/engine/tools/real-cli-flags.test.ts'];

class NetworkFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = (file: TestSpecification) => waitOnNetwork.some((path) => file.moduleId.endsWith(path));
    return [...sorted.filter(first), ...sorted.filter((file) => !first(file))];
  }
}

export default defineConfig({
  test: {
    // The real-CLI suite has its own command and config (vitest.real-clis.config.ts).
    exclude: ['**/node_modules/**', 'test/real-clis/**'],
    // Real processes, ptys and native modules: separate processes isolate them best.
    pool: 'forks',
    maxWorkers: 2,
    sequence: { sequencer: NetworkFirst },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['test/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'isolated',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: ['**/node_modules/**', 'test/real-clis/**', ...inOneProcess],
          // Added to the one above: the Chromium the end-to-end files share.
          globalSetup: ['test/e2e/support/shared-chromium-setup.ts'],
        },
      },
      { extends: true, test: { name: 'one-process', include: inOneProcess, isolate: false } },
    ],
  },
});
