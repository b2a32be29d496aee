/**
 * `photon run --json` and `photon show --json` with AI steps: what each tool reported (session,
 * cost, tokens with the cached ones) and why a step failed, so a script needs no database.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photon, repoRoot, tempFolder } from './helpers.js';

const temp = tempFolder();
const bin = join(temp.dir, 'bin');
/** The stand-ins on this PATH only; no login shell, so this machine's own tools do not count. */
const env = { PATH: `${bin}:/usr/bin:/bin`, SHELL: '', HOME: temp.dir, ANTHROPIC_API_KEY: 'sk-ant-cli', PHOTON_STANDIN_DELAY_MS: '1' };

beforeAll(() => {
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  symlinkSync(join(repoRoot, 'test', 'fixtures', 'tools', 'claude'), join(bin, 'claude'));
});

afterAll(() => temp.cleanup());

describe('photon run --json with AI steps', () => {
  it('carries each step\'s error, session id, cost and tokens; show --json prints the same', async () => {
    const file = join(temp.dir, 'ai.json');
    const step = (n: number, prompt: string, extra: Record<string, unknown> = {}) => ({ step: n, platform: 'claude-code', inputs: { prompt }, dependencies: [], ...extra });
    writeFileSync(file, JSON.stringify({ name: 'AI', workflow: [step(1, 'Review'), step(2, 'Fix [[standin:auth]]')] }));
    const run = await photon(['run', file, '--json', '--data-dir', temp.dataDir], { env });
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout) as { runId: string; steps: Record<string, unknown>[] };
    expect(json.steps[0]).toMatchObject({
      status: 'succeeded',
      output: 'Claude Code received: Review',
      error: null,
      sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      costUsd: 0.0123,
      tokens: { input: 2250, output: 350, cacheRead: 800, cacheWrite: 100 },
    });
    // Stopped at Claude Code's first retry of the refused key, before any result (and cost) was reported.
    expect(json.steps[1]).toMatchObject({ status: 'failed', attempts: 1, exitCode: 1, output: '', costUsd: null, sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(json.steps[1]!.error).toMatch(/^Claude Code's credentials were refused \(HTTP 401, authentication failed\).*check the key in ANTHROPIC_API_KEY/);

    const show = await photon(['show', json.runId, '--json', '--data-dir', temp.dataDir], { env });
    expect(JSON.parse(show.stdout)).toEqual(json);
  });
});
