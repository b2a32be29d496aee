/**
 * A tool that reports its key refused and keeps retrying by itself is stopped at once. The claude
 * stand-in replays 2.1.332 with a wrong key: an `api_retry` line with 401, then nine more over about
 * three minutes before its result; the codex stand-in replays 0.171's five reconnects after a 401.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunDetail } from '../../../shared/runs.js';
import { stepOf } from '../helpers.js';
import { useStandInSandbox, type StandInSandbox } from '../agents/stand-in-engine.js';

const retryThrice = { retryPolicy: { maxAttempts: 3, initialIntervalMs: 10, backoffCoefficient: 1, maximumIntervalMs: 10 } };

async function runToEnd(sandbox: StandInSandbox, steps: Record<string, unknown>[]): Promise<RunDetail> {
  const { runId } = await sandbox.engine.call('runs.start', { workflow: { name: 'Refused', workflow: steps }, baseDir: sandbox.work });
  await sandbox.engine.waitForRun(runId);
  return sandbox.engine.call('runs.get', { runId });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('a key refused while the tool keeps retrying it', () => {
  const sandbox = useStandInSandbox('refused-retrying', { env: { ANTHROPIC_API_KEY: 'sk-ant-wrong', CODEX_API_KEY: 'sk-wrong' } });

  it('stops the tool at its first report of the refusal, fails the step once naming the key, and passes nothing on', async () => {
    const detail = await runToEnd(sandbox.current, [
      { step: 1, platform: 'claude-code', inputs: { prompt: 'Review [[standin:auth]]' }, dependencies: [], continueOnFailure: true, ...retryThrice },
      { step: 2, platform: 'codex', inputs: { prompt: 'Fix [[standin:auth]]' }, dependencies: [], ...retryThrice },
      { step: 3, platform: 'shell', inputs: { command: "printf 'got:[%s]' '{{steps.1.output}}'" }, dependencies: [1] },
    ]);
    const [claude, codex] = [stepOf(detail, 1), stepOf(detail, 2)];
    expect(claude).toMatchObject({ status: 'failed', attempts: 1, output: '' });
    expect(claude.error).toBe(
      "Claude Code's credentials were refused (HTTP 401, authentication failed) and it was retrying them by itself (up to 10 times): Photon stopped it at the first refusal. " +
        "Authentication failed, not retried: check the key in ANTHROPIC_API_KEY (the agent's secrets, or your environment): the server refused it",
    );
    expect(codex).toMatchObject({ status: 'failed', attempts: 1 });
    expect(codex.error).toMatch(/^Codex's key was refused \(401 Unauthorized\) and it was reconnecting to try again: Photon stopped it at the first refusal\. Authentication failed, not retried: check the key in CODEX_API_KEY /);
    expect(stepOf(detail, 3).output).toBe('got:[]');

    // Stopped by a signal (Claude Code exits 0 on SIGTERM): the attempt records 1, as when the tool gives up by itself.
    const attempt = (await sandbox.current.engine.call('steps.get', { runId: detail.runId, step: 1 })).attemptHistory[0]!;
    expect(attempt).toMatchObject({ status: 'failed', exitCode: 1 });
    // Stopped after its first retry, not its tenth, and its process is gone.
    const log = readFileSync(join(sandbox.current.dataDir, 'runs', detail.runId, 'step-1', 'attempt-1.log'), 'utf8');
    expect(log.match(/"subtype":"api_retry"/g)).toHaveLength(1);
    expect(log).not.toContain('"type":"result"');
    const codexLog = readFileSync(join(sandbox.current.dataDir, 'runs', detail.runId, 'step-2', 'attempt-1.log'), 'utf8');
    expect(codexLog.match(/Reconnecting\.\.\. \d\/5/g)).toEqual(['Reconnecting... 1/5']);
    for (const run of sandbox.current.runs()) expect(alive(run.pid), `${run.tool} (pid ${run.pid}) still runs`).toBe(false);
  });
});
