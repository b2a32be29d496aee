/**
 * Refused credentials and a failing API with the stand-ins of the tools that are not npm packages,
 * replaying what the real ones do: Aider 0.86 (from its source: no retry of litellm's
 * AuthenticationError, then the offer to open the provider's page, which waits for an answer;
 * "Retrying in N seconds..." for a server error), cursor-agent ("The provided API key is invalid."
 * when it starts) and Antigravity (Gemini's vocabulary).
 */
import { describe, expect, it } from 'vitest';
import type { RunDetail } from '../../../shared/runs.js';
import { stepOf } from '../helpers.js';
import { useStandInSandbox, type StandInSandbox } from '../agents/stand-in-engine.js';

const retryThrice = { retryPolicy: { maxAttempts: 3, initialIntervalMs: 10, backoffCoefficient: 1, maximumIntervalMs: 10 } };

async function runToEnd(sandbox: StandInSandbox, steps: Record<string, unknown>[]): Promise<RunDetail> {
  const { runId } = await sandbox.engine.call('runs.start', { workflow: { name: 'Other tools', workflow: steps }, baseDir: sandbox.work });
  await sandbox.engine.waitForRun(runId);
  return sandbox.engine.call('runs.get', { runId });
}

describe('keys refused by the provider of Aider, cursor-agent and Antigravity', () => {
  const sandbox = useStandInSandbox('other-tools-refused', { env: { OPENAI_API_KEY: 'sk-wrong-aider-key', CURSOR_API_KEY: 'cur-wrong' } });

  it('fail each step once, saying which key or sign-in to check; Aider is not left waiting on its question', async () => {
    const detail = await runToEnd(sandbox.current, [
      // Default autonomy: no --yes-always, so aider would wait for an answer until the timeout.
      { step: 1, platform: 'aider', inputs: { prompt: 'Fix it [[standin:auth]]' }, dependencies: [], timeout: 60_000, ...retryThrice },
      { step: 2, platform: 'cursor', inputs: { prompt: 'Fix it [[standin:auth]]' }, dependencies: [], ...retryThrice },
      { step: 3, platform: 'agy', inputs: { prompt: 'Fix it [[standin:auth]]' }, dependencies: [], ...retryThrice },
    ]);
    const [aider, cursor, agy] = [stepOf(detail, 1), stepOf(detail, 2), stepOf(detail, 3)];
    expect(aider).toMatchObject({ status: 'failed', attempts: 1, exitCode: 1 });
    expect(aider.error).toMatch(/^Aider's key was refused \(litellm\.AuthenticationError\): Photon stopped it before it waited on a question\. Authentication failed, not retried: check the key in OPENAI_API_KEY /);
    expect(cursor).toMatchObject({ status: 'failed', attempts: 1 });
    expect(cursor.error).toMatch(/The provided API key is invalid\.\nThe API key was loaded from the CURSOR_API_KEY environment variable\. Authentication failed, not retried: check the key in CURSOR_API_KEY /);
    expect(agy).toMatchObject({ status: 'failed', attempts: 1 });
    expect(agy.error).toMatch(/API Error: 401 .*Authentication failed, not retried: sign in to the tool again in a terminal$/);
  });
});

describe('Aider with --yes-always and a refused key', () => {
  const sandbox = useStandInSandbox('aider-refused-yes', { env: { OPENAI_API_KEY: 'sk-wrong-aider-key' } });

  it('is not retried either, though it exits 0 after the refusal', async () => {
    await sandbox.current.engine.call('agents.save', { agent: { id: 'aider-yes', name: 'Aider', tool: 'aider', autonomy: 'full' } });
    const detail = await runToEnd(sandbox.current, [{ step: 1, agent: 'aider-yes', platform: 'aider', inputs: { prompt: 'Fix it [[standin:auth]]' }, dependencies: [], ...retryThrice }]);
    expect(stepOf(detail, 1)).toMatchObject({ status: 'failed', attempts: 1 });
    expect(stepOf(detail, 1).error).toMatch(/check the key in OPENAI_API_KEY/);
  });
});

describe('Aider timed out while the API keeps failing', () => {
  const sandbox = useStandInSandbox('aider-retrying', { env: { OPENAI_API_KEY: 'sk-1' } });

  it('says it was retrying after the server error', async () => {
    const detail = await runToEnd(sandbox.current, [{ step: 1, platform: 'aider', inputs: { prompt: 'Fix it [[standin:retrying]]' }, dependencies: [], timeout: 2500 }]);
    expect(stepOf(detail, 1)).toMatchObject({ status: 'timed_out', exitCode: 124 });
    expect(stepOf(detail, 1).error).toBe(
      'timed out after 2500 ms; Aider was retrying after litellm.InternalServerError: InternalServerError: OpenAIException - Internal server error',
    );
  });
});
