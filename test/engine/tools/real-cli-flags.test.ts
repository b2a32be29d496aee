/**
 * The real CLIs that are npm packages (Claude Code, Gemini CLI, Codex), installed into a cache under
 * node_modules by test/real-clis/install.ts (the pinned versions, or the newest with
 * PHOTON_REAL_CLIS=latest), checked offline: every flag (and fixed value) each adapter can pass must
 * appear in that version's own --help. Without network the test skips and says why, unless
 * PHOTON_REQUIRE_REAL_CLIS=1 (CI), where it fails with the reason.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { claudeCodeAdapter, codexAdapter, extractVersion, flagsPassed, geminiAdapter, missingFlags, zaiAdapter, type AiToolAdapter } from '../../../electron/engine/tools/index.js';
import { ensureRealClis, run, type CliName, type CliSetup } from '../../real-clis/install.js';
import { makeTempDir } from '../helpers.js';

const required = process.env.PHOTON_REQUIRE_REAL_CLIS === '1';

const clis: readonly { bin: CliName; adapters: readonly AiToolAdapter[] }[] = [
  { bin: 'claude', adapters: [claudeCodeAdapter, zaiAdapter] },
  { bin: 'codex', adapters: [codexAdapter] },
  { bin: 'gemini', adapters: [geminiAdapter] },
];

let setup: CliSetup = { ready: false, reason: 'not prepared' };
let home: string;

beforeAll(async () => {
  setup = await ensureRealClis();
  home = makeTempDir('real-clis-home');
  if (!setup.ready && required) throw new Error(`PHOTON_REQUIRE_REAL_CLIS=1 but the real CLIs could not be installed: ${setup.reason}`);
  if (!setup.ready) console.warn(`real CLI flag check skipped: ${setup.reason} (set PHOTON_REQUIRE_REAL_CLIS=1 to make this a failure)`);
  else if (setup.installed.length > 0) console.info(`real CLIs installed in ${(setup.installMs / 1000).toFixed(1)} s: ${setup.installed.join(', ')}`);
}, 600_000);

/** The CLIs run offline, in an empty home, with nothing inherited that could change their help. */
function cliEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, TERM: 'dumb', NO_COLOR: '1', CI: '1', LANG: 'C.UTF-8' };
}

describe.each(clis.map((cli) => [cli.bin, cli] as const))('the real %s', (bin, cli) => {
  const installed = () => {
    if (!setup.ready) throw new Error(setup.reason);
    return setup.clis[bin];
  };
  const binary = () => installed().path;

  it('reports the installed version', async (context) => {
    if (!setup.ready) return context.skip(`real CLIs unavailable: ${setup.reason}`);
    const { output } = await run(binary(), ['--version'], { env: cliEnv(), timeoutMs: 60_000 });
    expect(extractVersion(output)).toBe(installed().version);
  }, 90_000);

  for (const adapter of cli.adapters) {
    it(`lists every flag the ${adapter.platform} adapter passes`, async (context) => {
      if (!setup.ready) return context.skip(`real CLIs unavailable: ${setup.reason}`);
      const help = await run(binary(), [...adapter.helpArgs], { env: cliEnv(), timeoutMs: 60_000 });
      expect(help.code, help.output).toBe(0);
      const { flags, values } = flagsPassed(adapter);
      expect(flags.length).toBeGreaterThan(0);
      expect(missingFlags(adapter, help.output), `${bin} ${installed().version} ${adapter.helpArgs.join(' ')} lacks flags used by ${adapter.platform}: ${[...flags, ...values].join(' ')}`).toEqual([]);
      if (adapter.helpArgs[0] === 'exec') {
        const top = await run(binary(), ['--help'], { env: cliEnv(), timeoutMs: 60_000 });
        expect(top.output).toMatch(/^\s+exec\b/m);
      }
    }, 90_000);
  }
});
