/**
 * The adapters against the stand-in CLIs, run as the executor runs steps: in a real pty (stderr
 * merged, CRLF), found by detection on a temporary PATH, with the environment `mergeEnv` builds.
 * This proves argv each tool accepts in every autonomy mode, the environment, the parsing of
 * real-format output, failure modes, and one step's output reaching the next step's prompt.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnPty, type ExitInfo } from '../../../electron/engine/terminals/index.js';
import { aiToolAdapters, mergeEnv, ToolDetector, type AiToolAdapter, type AutonomyMode, type ToolResult } from '../../../electron/engine/tools/index.js';
import { renderTemplates } from '../../../shared/template.js';
import { makeTempDir, removeDir } from '../helpers.js';
import { standInsDir, step } from './tool-test-helpers.js';

let root: string;
let work: string;
let log: string;
let detector: ToolDetector;

const secrets: Record<string, Record<string, string>> = {
  'claude-code': { ANTHROPIC_API_KEY: 'sk-ant-canary-1111' },
  zai: { ZAI_API_KEY: 'zai-canary-2222' },
  codex: { OPENAI_API_KEY: 'sk-openai-canary-3333' },
  gemini: { GEMINI_API_KEY: 'gemini-canary-4444' },
  agy: {},
  cursor: { CURSOR_API_KEY: 'cursor-canary-5555' },
  aider: { OPENAI_API_KEY: 'sk-openai-canary-6666' },
};

const answers: Record<string, string> = {
  'claude-code': 'Claude Code received: ',
  zai: 'Z.AI (GLM) via Claude Code received: ',
  codex: 'Codex received: ',
  gemini: 'Gemini CLI received: ',
  agy: 'Antigravity received: ',
  cursor: 'I will read the README first.\n\nCursor agent received: ',
  aider: 'Aider received: ',
};

const standInName: Record<string, string> = { 'claude-code': 'CLAUDE', zai: 'CLAUDE', codex: 'CODEX', gemini: 'GEMINI', agy: 'AGY', cursor: 'CURSOR', aider: 'AIDER' };

beforeAll(() => {
  root = makeTempDir('tools-standins');
  const bin = join(root, 'bin');
  work = join(root, 'work');
  log = join(root, 'stand-ins.log');
  mkdirSync(bin);
  mkdirSync(work);
  symlinkSync(process.execPath, join(bin, 'node'));
  for (const name of ['claude', 'codex', 'gemini', 'agy', 'cursor-agent', 'aider']) symlinkSync(join(standInsDir, name), join(bin, name));
  detector = new ToolDetector({ env: { PATH: bin }, loginShell: false, checkHelp: false });
});

afterAll(() => removeDir(root));

// Every run of a tool here finds the same stand-in on the same PATH: it is detected (its --version
// run) once for the file, not before each of its runs.
const detections = new Map<string, ReturnType<ToolDetector['detect']>>();
function detectOnce(adapter: AiToolAdapter): ReturnType<ToolDetector['detect']> {
  let detection = detections.get(adapter.platform);
  if (!detection) detections.set(adapter.platform, (detection = detector.detect(adapter)));
  return detection;
}

interface Run {
  text: string;
  exit: ExitInfo;
  result: ToolResult;
  args: string[];
}

async function run(adapter: AiToolAdapter, inputs: Record<string, unknown>, options: { autonomy?: AutonomyMode; model?: string; env?: Record<string, string>; base?: Record<string, string>; killAfterMs?: number; action?: string } = {}): Promise<Run> {
  const detection = await detectOnce(adapter);
  expect(detection.installed, detection.error).toBe(true);
  const definition = step(inputs, { platform: adapter.platform, ...(options.action ? { action: options.action } : {}) });
  const invocation = adapter.invocation(definition, inputs, {
    binaryPath: detection.path!,
    searchPath: detection.searchPath,
    autonomy: options.autonomy,
    model: options.model,
    env: options.env ?? secrets[adapter.platform]!,
  });
  const base = { PATH: '/usr/bin:/bin', HOME: root, TERM: 'xterm-256color', PHOTON_STANDIN_DELAY_MS: '1', PHOTON_STANDIN_LOG: log, ...options.base };
  const child = spawnPty({ file: invocation.file, args: invocation.args, cwd: work, env: mergeEnv(base, invocation) });
  let text = '';
  child.onData((data) => (text += data));
  if (options.killAfterMs !== undefined) setTimeout(() => void child.kill(100), options.killAfterMs);
  const exit = await new Promise<ExitInfo>((resolve) => child.onExit(resolve));
  return { text, exit, result: adapter.parseOutput(text, exit), args: invocation.args };
}

function logged(): { tool: string; argv: string[]; env: Record<string, unknown> }[] {
  return readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { tool: string; argv: string[]; env: Record<string, unknown> });
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe.each(aiToolAdapters.map((adapter) => [adapter.platform, adapter] as [string, AiToolAdapter]))('%s against its stand-in in a pty', (platform, adapter) => {
  it('accepts the argv of every autonomy mode and returns the final message intact', async () => {
    const prompt = `Check "quotes", $(whoami) and \`id\`;\nthen line two`;
    for (const autonomy of adapter.supports.autonomyModes) {
      // Claude Code refuses "full" as root outside a sandbox it is told of (tested on its own below).
      const { result, exit, text } = await run(adapter, { prompt }, { autonomy, model: platform === 'zai' ? 'glm-4.6' : undefined, base: { IS_SANDBOX: '1' } });
      expect(exit, text).toEqual({ exitCode: 0, signal: null });
      expect(result.error, text).toBeUndefined();
      expect(result.output).toBe(`${answers[platform]}${prompt}`);
    }
  });

  it('reports what the tool reports: session, tokens, cost', async () => {
    const { result } = await run(adapter, { prompt: 'count' });
    const expected: Record<string, Partial<ToolResult>> = {
      // modelUsage: the main loop (1200 + 800 cached + 100 written in, 340 out) and the session title (150 in, 10 out).
      'claude-code': { costUsd: 0.0123, tokens: { input: 2250, output: 350, cached: 800, cacheWrite: 100 }, turns: 2 },
      zai: { tokens: { input: 2250, output: 350, cached: 800, cacheWrite: 100 }, turns: 2 },
      codex: { tokens: { input: 2400, output: 310, cached: 1024 }, turns: 1 },
      gemini: { tokens: { input: 1500, output: 200, cached: 300 } },
      agy: { tokens: { input: 1500, output: 200, cached: 300 } },
      cursor: {},
      aider: {},
    };
    expect(result).toMatchObject(expected[platform]!);
    if (platform !== 'claude-code') expect(result.costUsd).toBeUndefined();
    if (platform === 'cursor' || platform === 'aider') expect(result.tokens).toBeUndefined();
    if (platform === 'aider') expect(result.sessionId).toBeUndefined();
    else expect(result.sessionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each(['error', 'limit', 'crash'])('turns the %s failure mode into a clear error', async (mode) => {
    const { result, exit, text } = await run(adapter, { prompt: 'fail please' }, { base: { [`PHOTON_STANDIN_FAIL_${standInName[platform]}`]: mode } });
    // Aider ends a token-limit run with 0: only its text says it stopped.
    if (!(platform === 'aider' && mode === 'limit')) expect(exit.exitCode, text).not.toBe(0);
    expect(result.error, text).toBeTruthy();
    const patterns: Record<string, RegExp> = {
      error: /failed|error|Error/,
      limit: /turn limit|turns|context window|usage limit|token limit/,
      crash: /stopped before|crashed/,
    };
    expect(result.error).toMatch(patterns[mode]!);
  });

  it('stops when killed mid-stream and says the run ended early', async () => {
    const { result, exit } = await run(adapter, { prompt: 'take forever [[standin:hang]]' }, { killAfterMs: 400 });
    expect(exit.exitCode).toBeNull();
    expect(result.error).toMatch(/was killed before it finished|stopped before|Aider was killed/);
  });

  it('composes the prompt of a seed-style step', async () => {
    const { result } = await run(adapter, { codebase: 'latest' }, { action: 'analyze-code-quality' });
    expect(result.output).toContain('Perform the action "analyze-code-quality" (analyze code quality)');
    expect(result.output).toContain('codebase: latest');
  });
});

describe('environment and output passing through the stand-ins', () => {
  it('gives each tool exactly the argv and the secrets it was meant to get, and no secret reaches the output', async () => {
    const claude = aiToolAdapters.find((adapter) => adapter.platform === 'claude-code')!;
    const before = logged().length;
    const { args, text } = await run(claude, { prompt: 'env check' }, { autonomy: 'auto-edit' });
    const entry = logged()[before]!;
    expect(entry.tool).toBe('claude');
    expect(entry.argv).toEqual(args);
    expect(entry.env.ANTHROPIC_API_KEY).toEqual({ set: true, sha256: sha256('sk-ant-canary-1111') });
    expect(text).not.toContain('sk-ant-canary-1111');
  });

  it('sends Z.AI its key as a bearer token at its endpoint, never the user’s own Anthropic key', async () => {
    const zai = aiToolAdapters.find((adapter) => adapter.platform === 'zai')!;
    const before = logged().length;
    const { result } = await run(zai, { prompt: 'hello glm' }, { base: { ANTHROPIC_API_KEY: 'sk-ant-user-own' } });
    expect(result.output).toBe('Z.AI (GLM) via Claude Code received: hello glm');
    const entry = logged()[before]!;
    expect(entry.env.ANTHROPIC_BASE_URL).toBe('https://api.z.ai/api/anthropic');
    expect(entry.env.ANTHROPIC_AUTH_TOKEN).toEqual({ set: true, sha256: sha256('zai-canary-2222') });
    expect(entry.env).not.toHaveProperty('ANTHROPIC_API_KEY');
  });

  it("never passes an empty key, which would override the user's signed-in subscription", async () => {
    const claude = aiToolAdapters.find((adapter) => adapter.platform === 'claude-code')!;
    const signedIn = { PHOTON_STANDIN_LOGGED_IN: '1', ANTHROPIC_API_KEY: '' };
    const { result } = await run(claude, { prompt: 'subscription' }, { env: { ANTHROPIC_API_KEY: '' }, base: signedIn });
    expect(result.error).toBeUndefined();
    // What the stand-in (like Claude Code) does when an empty key does get through:
    const child = spawnPty({ file: join(standInsDir, 'claude'), args: ['-p', 'x', '--output-format', 'stream-json', '--verbose'], cwd: work, env: { PATH: `${join(root, 'bin')}:/usr/bin:/bin`, ...signedIn } });
    let text = '';
    child.onData((data) => (text += data));
    const exit = await new Promise<ExitInfo>((resolve) => child.onExit(resolve));
    expect(claude.parseOutput(text, exit).error).toBe('Claude Code reported an error: Invalid API key · Fix external API key');
  });

  it("reports the tool's own sign-in error when no key is given", async () => {
    const results = await Promise.all(
      ['claude-code', 'codex', 'gemini', 'cursor', 'aider'].map(async (platform) => {
        const adapter = aiToolAdapters.find((candidate) => candidate.platform === platform)!;
        // Codex's five reconnects before it gives up are not what is asserted: their pauses are shortened.
        return [platform, (await run(adapter, { prompt: 'no key' }, { env: {}, base: { PHOTON_STANDIN_RETRY_DELAY_MS: '1' } })).result.error] as const;
      }),
    );
    expect(Object.fromEntries(results)).toEqual({
      'claude-code': 'Claude Code reported an error: Not logged in · Please run /login',
      codex: 'Codex failed: unexpected status 401 Unauthorized: Missing bearer or basic authentication in header, url: https://api.openai.com/v1/responses',
      gemini: `Gemini CLI stopped before reporting a result (exited with code 41: authentication failed): Please set an Auth method in your ${root}/.gemini/settings.json or specify one of the following environment variables before running: GEMINI_API_KEY, GOOGLE_GENAI_USE_VERTEXAI, GOOGLE_GENAI_USE_GCA`,
      cursor: "Cursor agent stopped before reporting a result (exited with code 1): Error: Authentication required. Please run 'cursor-agent login' first, or set CURSOR_API_KEY environment variable.",
      aider: 'Aider failed: litellm.AuthenticationError: AuthenticationError: OpenAIException - The api_key client option must be set either by passing api_key to the client or by setting the OPENAI_API_KEY environment variable',
    });
  });

  it("passes one step's output into the next step's prompt across tools", async () => {
    const [claude, codex, gemini] = ['claude-code', 'codex', 'gemini'].map((platform) => aiToolAdapters.find((adapter) => adapter.platform === platform)!);
    const first = await run(claude!, { prompt: 'List the modules' });
    const outputs = new Map([[1, first.result.output]]);
    const second = await run(codex!, renderTemplates({ prompt: 'Review this: {{steps.1.output}}' }, outputs));
    outputs.set(2, second.result.output);
    const third = await run(gemini!, renderTemplates({ prompt: 'Summarize {{steps.2.output}}' }, outputs));
    expect(third.result.output).toBe('Gemini CLI received: Summarize Codex received: Review this: Claude Code received: List the modules');
  });
});
