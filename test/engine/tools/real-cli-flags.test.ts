/**
 * The real CLIs that are npm packages (Claude Code, Gemini CLI, Codex), installed into a cache under
 * node_modules, checked offline: every flag (and fixed value) each adapter can pass must appear in
 * that version's own --help. Without network the test skips and says why, unless
 * PHOTON_REQUIRE_REAL_CLIS=1 (CI), where it fails with the reason.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { claudeCodeAdapter, codexAdapter, extractVersion, flagsPassed, geminiAdapter, missingFlags, zaiAdapter, type AiToolAdapter } from '../../../electron/engine/tools/index.js';
import { makeTempDir, repoRoot } from '../helpers.js';

const cacheDir = join(repoRoot, 'node_modules', '.cache', 'photon-real-clis');
const required = process.env.PHOTON_REQUIRE_REAL_CLIS === '1';

const clis = [
  { bin: 'claude', pkg: '@anthropic-ai/claude-code', adapters: [claudeCodeAdapter, zaiAdapter] },
  { bin: 'codex', pkg: '@openai/codex', adapters: [codexAdapter] },
  { bin: 'gemini', pkg: '@google/gemini-cli', adapters: [geminiAdapter] },
] as const;

interface Setup {
  ready: boolean;
  /** Why the real CLIs are not here, said the way a developer can act on it. */
  reason?: string;
  versions: Record<string, string>;
  installMs?: number;
}

function run(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<{ code: number | null; stdout: string; output: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, output: `${stdout}${stderr}` });
    });
  });
}

function installedVersion(pkg: string): string | undefined {
  const file = join(cacheDir, 'node_modules', pkg, 'package.json');
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** npm without retries: offline, the registry's answer is a quick failure, not minutes of backoff. */
const npmFlags = ['--no-audit', '--no-fund', '--fetch-retries=0', '--fetch-timeout=30000'];

async function prepare(): Promise<Setup> {
  const latest: Record<string, string> = {};
  const viewErrors: string[] = [];
  await Promise.all(
    clis.map(async ({ pkg }) => {
      const view = await run('npm', ['view', pkg, 'version', ...npmFlags], { timeoutMs: 60_000 });
      const version = view.stdout.trim().split('\n').pop()?.trim() ?? '';
      if (view.code === 0 && /^\d+\.\d+\.\d+/.test(version)) latest[pkg] = version;
      else viewErrors.push(`${pkg}: ${npmProblem(view.output) || `npm view exited with ${view.code}`}`);
    }),
  );

  const cached = Object.fromEntries(clis.map(({ pkg }) => [pkg, installedVersion(pkg)]));
  if (viewErrors.length > 0) {
    // Offline, a cache from an earlier run still makes the check possible.
    if (clis.every(({ pkg }) => cached[pkg])) return { ready: true, versions: cached as Record<string, string> };
    return { ready: false, versions: {}, reason: `npm registry not reachable (npm view failed: ${viewErrors.join('; ')})` };
  }

  const wanted = clis.filter(({ pkg }) => cached[pkg] !== latest[pkg]).map(({ pkg }) => `${pkg}@${latest[pkg]}`);
  if (wanted.length === 0) return { ready: true, versions: latest };

  mkdirSync(cacheDir, { recursive: true });
  if (!existsSync(join(cacheDir, 'package.json'))) writeFileSync(join(cacheDir, 'package.json'), '{ "private": true, "description": "real AI CLIs for test/engine/tools/real-cli-flags.test.ts" }\n');
  const started = Date.now();
  const install = await run('npm', ['install', '--prefix', cacheDir, '--no-save', '--no-package-lock', ...npmFlags, ...wanted], { timeoutMs: 540_000 });
  const installMs = Date.now() - started;
  if (install.code !== 0) {
    return { ready: false, versions: {}, installMs, reason: `npm install ${wanted.join(' ')} failed (exit ${install.code}): ${npmProblem(install.output)}` };
  }
  console.info(`real CLIs installed in ${(installMs / 1000).toFixed(1)} s: ${wanted.join(', ')}`);
  return { ready: true, versions: latest, installMs };
}

/** The lines of npm's error output that say what went wrong (not its boilerplate about logs). */
function npmProblem(output: string): string {
  const lines = output.split('\n').map((line) => line.trim());
  const telling = lines.filter((line) => /npm error (code |errno |request to |network |.*E[A-Z]{3,})/.test(line) && !/complete log/.test(line));
  return (telling.length ? telling.slice(0, 2) : lines.filter((line) => line !== '').slice(-2)).join(' ');
}

let setup: Setup = { ready: false, versions: {}, reason: 'not prepared' };
let home: string;

beforeAll(async () => {
  setup = await prepare();
  home = makeTempDir('real-clis-home');
  if (!setup.ready && required) throw new Error(`PHOTON_REQUIRE_REAL_CLIS=1 but the real CLIs could not be installed: ${setup.reason}`);
  if (!setup.ready) console.warn(`real CLI flag check skipped: ${setup.reason} (set PHOTON_REQUIRE_REAL_CLIS=1 to make this a failure)`);
}, 600_000);

/** The CLIs run offline, in an empty home, with nothing inherited that could change their help. */
function cliEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, TERM: 'dumb', NO_COLOR: '1', CI: '1', LANG: 'C.UTF-8' };
}

describe.each(clis.map((cli) => [cli.bin, cli] as [string, (typeof clis)[number]]))('the real %s', (bin, cli) => {
  const binary = () => join(cacheDir, 'node_modules', '.bin', bin);

  it('reports the installed version', async (context) => {
    if (!setup.ready) return context.skip(`real CLIs unavailable: ${setup.reason}`);
    const { output } = await run(binary(), ['--version'], { env: cliEnv(), timeoutMs: 60_000 });
    expect(extractVersion(output)).toBe(setup.versions[cli.pkg]);
  }, 90_000);

  for (const adapter of cli.adapters as readonly AiToolAdapter[]) {
    it(`lists every flag the ${adapter.platform} adapter passes`, async (context) => {
      if (!setup.ready) return context.skip(`real CLIs unavailable: ${setup.reason}`);
      const help = await run(binary(), [...adapter.helpArgs], { env: cliEnv(), timeoutMs: 60_000 });
      expect(help.code, help.output).toBe(0);
      const { flags, values } = flagsPassed(adapter);
      expect(flags.length).toBeGreaterThan(0);
      expect(missingFlags(adapter, help.output), `${bin} ${setup.versions[cli.pkg]} ${adapter.helpArgs.join(' ')} lacks flags used by ${adapter.platform}: ${[...flags, ...values].join(' ')}`).toEqual([]);
      if (adapter.helpArgs[0] === 'exec') {
        const top = await run(binary(), ['--help'], { env: cliEnv(), timeoutMs: 60_000 });
        expect(top.output).toMatch(/^\s+exec\b/m);
      }
    }, 90_000);
  }
});
