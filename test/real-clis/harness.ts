/**
 * What every real-CLI test shares: the installed CLIs (or the reason they are missing), a stand-in
 * model server, a Photon data folder with one saved agent per CLI (base URL in its environment, key
 * in the keychain, as a user sets them up on the Agents page), and `photon run` itself.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createEngine } from '../../electron/engine/index.js';
import type { AgentInput } from '../../shared/agents.js';
import type { StepDetail } from '../../shared/runs.js';
import { makeTempDir, removeDir } from '../engine/helpers.js';
import { ensureRealClis, repoRoot, run, type AdapterName, type CliName, type CliSetup, type InstalledCli } from './install.js';
import { ModelServer } from './model-server/server.js';

export const apiKey = 'sk-standin-0123456789abcdef';
const required = process.env.PHOTON_REQUIRE_REAL_CLIS === '1';

/** The saved agent for each CLI, named after it. */
export const agentIds: Record<CliName, string> = { claude: 'claude', codex: 'codex', gemini: 'gemini' };

export interface RealCliContext {
  setup: CliSetup;
  server: ModelServer;
  dataDir: string;
  /** The folder the workflows and their steps run in. */
  work: string;
  home: string;
  /** Photon's own TMPDIR: whatever a CLI leaves in its temp folder instead of the step's shows up here. */
  tmp: string;
}

/** Installs (or finds) the CLIs, starts the server and prepares the data folder; all undone after the file. */
export function useRealClis(): RealCliContext {
  const context = { setup: { ready: false, reason: 'not prepared' } } as RealCliContext;
  let root = '';
  beforeAll(async () => {
    context.setup = await ensureRealClis();
    if (!context.setup.ready) {
      if (required) throw new Error(`PHOTON_REQUIRE_REAL_CLIS=1 but the real CLIs are not available: ${context.setup.reason}`);
      console.warn(`real-CLI tests skipped: ${context.setup.reason} (set PHOTON_REQUIRE_REAL_CLIS=1 to make this a failure)`);
      return;
    }
    if (context.setup.installed.length > 0) console.info(`real CLIs installed in ${(context.setup.installMs / 1000).toFixed(1)} s: ${context.setup.installed.join(', ')}`);
    root = makeTempDir('real-clis');
    context.dataDir = join(root, 'data');
    context.work = join(root, 'work');
    context.home = join(root, 'home');
    context.tmp = join(root, 'tmp');
    mkdirSync(context.work);
    mkdirSync(context.home);
    mkdirSync(context.tmp);
    context.server = new ModelServer(apiKey);
    const url = await context.server.start();
    await saveAgents(context.dataDir, url);
  }, 600_000);
  afterAll(async () => {
    await context.server?.stop();
    if (root) removeDir(root);
  });
  return context;
}

/**
 * The names a user would naturally give: each vendor's documented key variable (OPENAI_API_KEY for
 * Codex, which Photon's secrets page suggests) and base-URL variable. The keys go into the keychain
 * as on the Agents page when it is the private one scripts/run-tests.js starts; anywhere else (the
 * user's own keychain) they stay in the agents' environment rather than touch the user's secrets.
 */
async function saveAgents(dataDir: string, url: string): Promise<void> {
  const privateKeychain = process.env.PHOTON_REQUIRE_KEYCHAIN === '1';
  const key = (secret: string, variable: string) => (privateKeychain ? { env: {}, secrets: [{ secret, variable }] } : { env: { [variable]: apiKey }, secrets: [] });
  const agent = (id: string, name: string, tool: string, env: Record<string, string>, secret: string, variable: string): AgentInput => {
    const credentials = key(secret, variable);
    return { id, name, tool, env: { ...env, ...credentials.env }, secrets: credentials.secrets, maxConcurrentSteps: 4 };
  };
  const agents = [
    agent(agentIds.claude, 'Claude', 'claude-code', { ANTHROPIC_BASE_URL: url }, 'anthropic-key', 'ANTHROPIC_API_KEY'),
    agent(agentIds.codex, 'Codex', 'codex', { OPENAI_BASE_URL: `${url}/v1` }, 'openai-key', 'OPENAI_API_KEY'),
    agent(agentIds.gemini, 'Gemini', 'gemini', { GOOGLE_GEMINI_BASE_URL: url }, 'gemini-key', 'GEMINI_API_KEY'),
  ];
  const engine = await createEngine({ dataDir, host: 'cli' });
  try {
    if (privateKeychain) for (const secret of ['anthropic-key', 'openai-key', 'gemini-key']) await engine.call('secrets.set', { name: secret, value: apiKey });
    for (const saved of agents) await engine.call('agents.save', { agent: saved });
  } finally {
    await engine.close();
  }
}

/** Photon's environment: this machine's, minus every vendor credential and endpoint, with the CLIs first on PATH. */
export function photonEnv(context: RealCliContext, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/ANTHROPIC|OPENAI|CODEX|GEMINI|GOOGLE|CLAUDE|API_KEY|AUTH_TOKEN|BASE_URL/i.test(key)) continue;
    env[key] = value;
  }
  if (!context.setup.ready) throw new Error('the real CLIs are not installed');
  // The adapters too, as a user with ACP sessions has them: workflow steps pick their mode themselves.
  const adapters = Object.values(context.setup.adapters).flatMap((adapter) => (adapter.ready ? [adapter] : []));
  const bins = [...Object.values(context.setup.clis), ...adapters].map((cli) => dirname(cli.path));
  // A login shell would put this machine's own installs first; the cached versions are the ones under test.
  env.SHELL = '';
  return { ...env, HOME: context.home, TMPDIR: context.tmp, PATH: [...bins, process.env.PATH ?? ''].join(delimiter), NO_COLOR: '1', ...extra };
}

export interface StepJson {
  step: number;
  status: string;
  attempts: number;
  exitCode: number | null;
  output: string | null;
  error?: string | null;
  sessionId?: string | null;
  costUsd?: number | null;
  tokens?: Record<string, number> | null;
}

export interface PhotonRun {
  code: number | null;
  stderr: string;
  json: { runId: string; status: string; steps: StepJson[] };
}

/**
 * Runs `photon run FILE --json` on the workflow, as a user would, and reads its answer; `env` is
 * added to Photon's environment; `onStderr` gets what photon run has said so far, as it says it.
 */
export async function photonRun(context: RealCliContext, name: string, workflow: unknown[], timeoutMs = 280_000, env: Record<string, string> = {}, onStderr?: (said: string) => void): Promise<PhotonRun> {
  const file = join(context.work, `${name}.json`);
  writeFileSync(file, JSON.stringify({ name, workflow }, null, 2));
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'photon.js'), 'run', file, '--json', '--data-dir', context.dataDir], { cwd: context.work, env: photonEnv(context, env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    onStderr?.(stderr);
  });
  // Ctrl-C's equivalent past the limit: photon cancels the run and stops every process it started.
  const limit = setTimeout(() => child.kill('SIGINT'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
  clearTimeout(limit);
  let json: PhotonRun['json'];
  try {
    json = JSON.parse(stdout) as PhotonRun['json'];
  } catch {
    throw new Error(`photon run ${name} printed no JSON (exit ${code}):\n${stdout}\n${stderr.slice(-4000)}`);
  }
  return { code, stderr, json };
}

/** A step as the app shows it, with every attempt (read through the engine's contract, in a process of its own: see read-step.ts). */
export async function stepDetail(context: RealCliContext, runId: string, step: number): Promise<StepDetail> {
  const { code, stdout, output } = await run(join(repoRoot, 'node_modules', '.bin', 'tsx'), [join(import.meta.dirname, 'read-step.ts'), context.dataDir, runId, String(step)], { timeoutMs: 60_000 });
  if (code !== 0) throw new Error(`reading step ${step} of run ${runId} failed (exit ${code}): ${output.slice(-2000)}`);
  return JSON.parse(stdout) as StepDetail;
}

/** The JSON lines a CLI printed during one attempt, from the attempt's log (noise lines skipped). */
export function attemptEvents(context: RealCliContext, runId: string, step: number, attempt = 1): Record<string, unknown>[] {
  const log = readFileSync(join(context.dataDir, 'runs', runId, `step-${step}`, `attempt-${attempt}.log`), 'utf8');
  return log
    .split(/\r?\n/)
    .map((line) => line.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').trim())
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

export function step(steps: StepJson[], number: number): StepJson {
  const found = steps.find((s) => s.step === number);
  if (!found) throw new Error(`photon run --json has no step ${number}`);
  return found;
}

/** Skips the test, saying why, where the CLIs could not be installed (useRealClis already failed the file when they are required). */
export function skipWithoutClis(context: RealCliContext, test: { skip: (note: string) => void }): void {
  if (!context.setup.ready) test.skip(`real CLIs unavailable: ${context.setup.reason}`);
}

/**
 * An ACP adapter ready to run, or the test skipped saying exactly why it cannot run here; with
 * PHOTON_REQUIRE_REAL_CLIS=1 (CI) that reason fails the test instead of passing it unnoticed.
 */
export function adapterOrSkip(context: RealCliContext, name: AdapterName, test: { skip: (note: string) => void }): InstalledCli<AdapterName> | undefined {
  skipWithoutClis(context, test);
  if (!context.setup.ready) return undefined;
  const adapter = context.setup.adapters[name];
  if (adapter.ready) return adapter;
  if (required) throw new Error(`PHOTON_REQUIRE_REAL_CLIS=1 but ${name} cannot run here: ${adapter.reason}`);
  test.skip(`${name} cannot run here: ${adapter.reason}`);
  return undefined;
}

/**
 * A step of the workflow format, run by the saved agent of a CLI. Headless unless `extra` says
 * otherwise: these steps check the CLIs' own output formats, and a step whose tool has an ACP mode
 * would otherwise run as a session (gemini --acp comes with every Gemini CLI).
 */
export function aiStep(step: number, cli: CliName, prompt: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { step, agent: agentIds[cli], platform: cli === 'claude' ? 'claude-code' : cli, action: 'run', mode: 'headless', inputs: { prompt }, dependencies: [], timeout: 240_000, ...extra };
}
