/**
 * AI steps on a remote host, against the real sshd: the tool is looked for on the host (on the
 * PATH its steps get), invoked there as here with the agent's key mapped to the variables it reads,
 * and its structured output, streamed back through the host's terminal, read as a local step's
 * (output, cost, tokens). A host without the tool fails the step naming the fix. The stand-in
 * Claude Code replays the real tool's stream-json; this machine has no `claude` of its own.
 */
import { mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runToEnd, shellStep, stepOf } from '../helpers.js';
import { hostName, remoteTestTimeoutMs, useRemoteHost } from './remote-host-fixture.js';
import { sshdAvailable } from './sshd.js';

/** The host's own tools: a Claude Code (the stand-in) and nothing else, node to run it. */
const hostBin = resolve('node_modules/.cache/photon-test-remote-ai-bin');
mkdirSync(hostBin, { recursive: true });
// Made anew: one an earlier run made from another checkout sharing node_modules points there (and dangles once it is gone).
rmSync(join(hostBin, 'claude'), { force: true });
symlinkSync(resolve('test/fixtures/tools/claude'), join(hostBin, 'claude'));

describe.skipIf(!sshdAvailable)('AI steps on a remote host', { timeout: remoteTestTimeoutMs }, () => {
  const sandbox = useRemoteHost('hosts-ai', { hostEnv: { PATH: `${hostBin}:${dirname(process.execPath)}:/usr/bin:/bin` } });

  it('runs Claude Code found on the host with the agent’s key, and reads its output, cost and tokens as for a local step', async () => {
    const log = join(sandbox.root, 'standin.log');
    await sandbox.engine.call('agents.save', {
      agent: { id: 'far-claude', name: 'Far Claude', tool: 'claude-code', location: 'remote', host: hostName, env: { ANTHROPIC_API_KEY: 'sk-remote-test', PHOTON_STANDIN_LOG: log } },
    });
    const { status, detail } = await runToEnd({ dataDir: sandbox.dataDir, work: sandbox.work, engine: sandbox.engine }, [
      shellStep(1, 'echo the-plan'),
      { step: 2, platform: 'claude-code', agent: 'far-claude', inputs: { prompt: 'follow {{steps.1.output}}' }, dependencies: [1] },
      shellStep(3, 'echo "back here: {{steps.2.output}}"', { dependencies: [2] }),
    ]);
    expect(detail.steps.map((step) => [step.step, step.status, step.error])).toEqual([
      [1, 'succeeded', null],
      [2, 'succeeded', null],
      [3, 'succeeded', null],
    ]);
    expect(status).toBe('succeeded');
    const remote = stepOf(detail, 2);
    expect(remote.output).toBe('Claude Code received: follow the-plan');
    expect(remote.costUsd).toBeCloseTo(0.0123);
    expect(remote.tokens).toMatchObject({ input: expect.any(Number), output: expect.any(Number) });
    expect(stepOf(detail, 3).output).toBe('back here: Claude Code received: follow the-plan');
    // It ran the host's claude, through the host's sshd, with the key it reads.
    const ran = JSON.parse(readFileSync(log, 'utf8').trim().split('\n').at(-1)!) as { argv: string[]; env: Record<string, string> };
    expect(ran.argv).toContain('-p');
    expect(JSON.stringify(ran.env)).toContain('ANTHROPIC_API_KEY');
  });

  it('fails a step whose tool the host does not have, naming the fix', async () => {
    const { detail } = await runToEnd({ dataDir: sandbox.dataDir, work: sandbox.work, engine: sandbox.engine }, [
      { step: 1, platform: 'codex', host: hostName, inputs: { prompt: 'hi' }, dependencies: [] },
    ]);
    expect(stepOf(detail, 1)).toMatchObject({
      status: 'failed',
      error: `host "${hostName}" has no Codex on the PATH its steps get (photon tools --host ${hostName}); install it there, or run the step on this machine`,
    });
  });
});
