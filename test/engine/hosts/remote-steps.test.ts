import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runToEnd, shellStep, stepOf, waitUntil, workflowOf } from '../helpers.js';
import { hostName, remoteTestTimeoutMs, useRemoteHost } from './remote-host-fixture.js';
import { sshdAvailable } from './sshd.js';

describe.skipIf(!sshdAvailable)('steps on a remote host over ssh', { timeout: remoteTestTimeoutMs }, () => {
  const sandbox = useRemoteHost('hosts-steps');

  it('passes outputs from a local step to a remote one and back, the remote one running in the host’s own terminal', async () => {
    const { runId, status, detail } = await runToEnd(
      { dataDir: sandbox.dataDir, work: sandbox.work, engine: sandbox.engine },
      [
        shellStep(1, 'echo local-$((20 + 22))'),
        shellStep(2, 'echo "remote got {{steps.1.output}} via ${SSH_CONNECTION##* } tty=$(test -t 0 && echo yes)"', { dependencies: [1], host: hostName }),
        shellStep(3, 'echo "back here: {{steps.2.output}}"', { dependencies: [2] }),
      ],
    );
    expect(detail.steps.map((step) => [step.step, step.status, step.error])).toEqual([
      [1, 'succeeded', null],
      [2, 'succeeded', null],
      [3, 'succeeded', null],
    ]);
    expect(status).toBe('succeeded');
    expect(stepOf(detail, 2).output).toBe(`remote got local-42 via ${sandbox.sshd.port} tty=yes`);
    expect(stepOf(detail, 3).output).toBe(`back here: remote got local-42 via ${sandbox.sshd.port} tty=yes`);
    // The log holds what the remote command printed and nothing of the channel's own protocol.
    const log = readFileSync(join(sandbox.dataDir, 'runs', runId, 'step-2', 'attempt-1.log'), 'utf8');
    expect(log.trim()).toBe(`remote got local-42 via ${sandbox.sshd.port} tty=yes`);
  });

  it('gives a remote agent’s step its variables exactly, quotes, dollars, backslashes and line breaks included', async () => {
    const tricky = `it's "quoted" $HOME \\ \`tick\` ;|&\nsecond line\twith a tab\n\nafter an empty one`;
    await sandbox.engine.call('agents.save', { agent: { id: 'far', name: 'Far', tool: 'shell', location: 'remote', host: hostName, env: { TRICKY: tricky } } });
    const { status, detail } = await runToEnd({ dataDir: sandbox.dataDir, work: sandbox.work, engine: sandbox.engine }, [
      shellStep(1, `printf '%s' "$TRICKY" | od -An -c | tr -s ' \\n' ' '`, { agent: 'far' }),
      shellStep(2, `printf '%s' '${tricky.replace(/'/g, `'\\''`)}' | od -An -c | tr -s ' \\n' ' '`),
    ]);
    expect(status).toBe('succeeded');
    // Byte for byte, through od: the remote value equals the same text printed here.
    expect(stepOf(detail, 1).output).toBe(stepOf(detail, 2).output);
    expect(stepOf(detail, 1).output).toContain('\\n');
  });

  it('takes what the user types in its terminal, as a local step does', async () => {
    let shown = '';
    sandbox.engine.on('step.output', ({ data }) => void (shown += data));
    const { runId } = await sandbox.engine.call('runs.start', {
      workflow: workflowOf([shellStep(1, `printf 'name? '; read answer; echo "hello $answer"`, { host: hostName })]),
      baseDir: sandbox.work,
    });
    await waitUntil(() => shown.includes('name? '), 'the remote prompt', 30_000);
    const terminal = await sandbox.engine.call('terminals.forStep', { runId, step: 1 });
    await sandbox.engine.call('terminals.write', { id: terminal!.id, data: 'world\r' });
    expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');
    expect((await sandbox.engine.call('steps.get', { runId, step: 1 })).output).toMatch(/hello world$/);
  });
});
