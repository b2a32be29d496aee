import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StepStatus } from '../../../shared/runs.js';
import { hangupImmuneJob, holdsPid, isDead, readPid, runToEnd, shellStep, startEngine, stepOf, useSandbox, waitUntil, workflowOf } from '../helpers.js';

const sandbox = useSandbox('cancel');

describe('cancel', () => {
  it('kills running steps with their background jobs and cancels the rest', async () => {
    const sleeper = (name: string) => `echo $$ > ${name}.sh; ${hangupImmuneJob(`${name}.bg`)} sleep 300`;
    const { runId } = await sandbox.engine.call('runs.start', {
      baseDir: sandbox.work,
      workflow: workflowOf([
        shellStep(1, sleeper('one')),
        shellStep(2, 'touch two', { dependencies: [1] }),
        shellStep(3, sleeper('three')),
        // Fails at once, then waits ten seconds for its retry: cancel must not wait for it.
        shellStep(4, 'exit 1', { retryPolicy: { maxAttempts: 3, initialIntervalMs: 10_000 } }),
      ]),
    });
    const statuses = new Map<number, StepStatus>();
    sandbox.engine.on('step.updated', ({ step }) => void statuses.set(step.step, step.status));
    await waitUntil(() => ['one.bg', 'three.bg'].every((f) => holdsPid(join(sandbox.work, f))) && statuses.get(4) === 'retrying', 'steps 1 and 3 to run and 4 to wait');

    const started = Date.now();
    expect(await sandbox.engine.call('runs.cancel', { runId })).toEqual({ cancelled: true });
    expect(await sandbox.engine.waitForRun(runId)).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(5000);

    const detail = await sandbox.engine.call('runs.get', { runId });
    expect(detail.status).toBe('cancelled');
    expect(detail.finishedAt).not.toBeNull();
    expect(detail.steps.map((s) => s.status)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
    expect(stepOf(detail, 1)).toMatchObject({ attempts: 1, error: 'cancelled' });
    expect(stepOf(detail, 2).attempts).toBe(0);
    expect(stepOf(detail, 4)).toMatchObject({ attempts: 1, nextAttemptAt: null });
    expect(detail.counts).toMatchObject({ cancelled: 4, running: 0, pending: 0 });
    const { attemptHistory } = await sandbox.engine.call('steps.get', { runId, step: 1 });
    expect(attemptHistory.map((a) => a.status)).toEqual(['cancelled']);

    for (const name of ['one', 'three']) {
      expect(isDead(readPid(join(sandbox.work, `${name}.sh`)))).toBe(true);
      expect(isDead(readPid(join(sandbox.work, `${name}.bg`)))).toBe(true);
    }
    expect(existsSync(join(sandbox.work, 'two'))).toBe(false);

    // A run that has ended cannot be cancelled again; an unknown one is not found.
    expect(await sandbox.engine.call('runs.cancel', { runId })).toEqual({ cancelled: false });
    await expect(sandbox.engine.call('runs.cancel', { runId: 'no-such-run' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('failures', () => {
  it('skips the descendants of a failed step while an independent branch still runs', async () => {
    const statuses = new Map<number, StepStatus>();
    const independentWhenSkipped: (StepStatus | undefined)[] = [];
    sandbox.engine.on('step.updated', ({ step }) => {
      statuses.set(step.step, step.status);
      if (step.step === 2 && step.status === 'skipped') independentWhenSkipped.push(statuses.get(4));
    });
    const { status, detail } = await runToEnd(sandbox, [
      shellStep(1, 'exit 1'),
      shellStep(2, 'touch ran2', { dependencies: [1] }),
      shellStep(3, 'touch ran3', { dependencies: [2] }),
      shellStep(4, 'sleep 0.4; touch ran4'),
      shellStep(5, 'touch ran5', { dependencies: [4] }),
    ]);
    expect(status).toBe('failed');
    expect(detail.steps.map((s) => s.status)).toEqual(['failed', 'skipped', 'skipped', 'succeeded', 'succeeded']);
    expect(independentWhenSkipped).toEqual(['running']);
    for (const skipped of [2, 3]) {
      expect(stepOf(detail, skipped)).toMatchObject({ attempts: 0, startedAt: null, error: 'skipped: a step it depends on did not succeed' });
      expect(existsSync(join(sandbox.work, `ran${skipped}`))).toBe(false);
    }
    expect(existsSync(join(sandbox.work, 'ran5'))).toBe(true);
    expect(detail.counts).toMatchObject({ total: 5, failed: 1, skipped: 2, succeeded: 2 });
  });

  it('lets dependents of a step with continueOnFailure run, and the run still fails', async () => {
    const { status, detail } = await runToEnd(sandbox, [
      shellStep(1, 'echo partial results; exit 4', { continueOnFailure: true }),
      shellStep(2, 'echo "saw {{steps.1.output}}" > seen', { dependencies: [1] }),
      shellStep(3, 'touch ran3', { dependencies: [2] }),
      shellStep(4, 'exit 1'),
      shellStep(5, 'touch ran5', { dependencies: [4] }),
    ]);
    expect(status).toBe('failed');
    expect(detail.steps.map((s) => s.status)).toEqual(['failed', 'succeeded', 'succeeded', 'failed', 'skipped']);
    expect(stepOf(detail, 1).exitCode).toBe(4);
    expect(readFileSync(join(sandbox.work, 'seen'), 'utf8')).toBe('saw partial results\n');
    expect(existsSync(join(sandbox.work, 'ran3'))).toBe(true);
    expect(existsSync(join(sandbox.work, 'ran5'))).toBe(false);
  });

  it('runs the whole workflow with continueOnFailure and still reports the failure', async () => {
    const { status, detail } = await runToEnd(sandbox, [shellStep(1, 'exit 2', { continueOnFailure: true }), shellStep(2, 'true', { dependencies: [1] })]);
    expect(status).toBe('failed');
    expect(detail.steps.map((s) => s.status)).toEqual(['failed', 'succeeded']);
  });
});

describe('resume', () => {
  it('re-runs only the steps that did not succeed, with the outputs of those that did', async () => {
    // Step 2 fails until the flag exists; 1 and 4 succeed the first time and must not run again.
    const count = (name: string) => `echo x >> ${name}.count`;
    const steps = [
      shellStep(1, `${count('one')}; echo first`),
      shellStep(2, `${count('two')}; test -e flag`, { dependencies: [1] }),
      shellStep(3, `${count('three')}; echo "after {{steps.1.output}}"`, { dependencies: [2] }),
      shellStep(4, `${count('four')}`),
    ];
    const first = await runToEnd(sandbox, steps);
    expect(first.status).toBe('failed');
    expect(first.detail.steps.map((s) => s.status)).toEqual(['succeeded', 'failed', 'skipped', 'succeeded']);

    writeFileSync(join(sandbox.work, 'flag'), '');
    expect(await sandbox.engine.call('runs.resume', { runId: first.runId })).toEqual({ runId: first.runId });
    expect(await sandbox.engine.waitForRun(first.runId)).toBe('succeeded');

    const detail = await sandbox.engine.call('runs.get', { runId: first.runId });
    expect(detail.status).toBe('succeeded');
    expect(detail.steps.map((s) => [s.step, s.status, s.attempts])).toEqual([
      [1, 'succeeded', 1],
      [2, 'succeeded', 2],
      [3, 'succeeded', 1],
      [4, 'succeeded', 1],
    ]);
    expect(stepOf(detail, 3).output).toBe('after first');
    const lines = (name: string) => readFileSync(join(sandbox.work, `${name}.count`), 'utf8').trim().split('\n').length;
    expect([lines('one'), lines('two'), lines('three'), lines('four')]).toEqual([1, 2, 1, 1]);

    // A run that succeeded has nothing to resume.
    await expect(sandbox.engine.call('runs.resume', { runId: first.runId })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('leaves the runs of an engine that closes interrupted, and another engine resumes them', async () => {
    const { runId } = await sandbox.engine.call('runs.start', {
      baseDir: sandbox.work,
      workflow: workflowOf([
        shellStep(1, 'echo x >> one.count'),
        shellStep(2, 'if [ -e go ]; then echo resumed; else echo $$ > two.sh; sleep 300; fi', { dependencies: [1] }),
        // Waiting for a retry when the engine closes.
        shellStep(3, 'test -e go', { retryPolicy: { maxAttempts: 2, initialIntervalMs: 10_000 } }),
      ]),
    });
    const statuses = new Map<number, StepStatus>();
    sandbox.engine.on('step.updated', ({ step }) => void statuses.set(step.step, step.status));
    await waitUntil(() => holdsPid(join(sandbox.work, 'two.sh')) && statuses.get(3) === 'retrying', 'step 2 to run and step 3 to wait');

    await sandbox.engine.close();
    expect(isDead(readPid(join(sandbox.work, 'two.sh')))).toBe(true);

    const next = await startEngine(sandbox.dataDir);
    try {
      expect(next.recoveredRuns).toEqual([]);
      const interrupted = await next.call('runs.get', { runId });
      expect(interrupted.status).toBe('interrupted');
      expect(interrupted.steps.map((s) => s.status)).toEqual(['succeeded', 'pending', 'pending']);

      writeFileSync(join(sandbox.work, 'go'), '');
      await next.call('runs.resume', { runId });
      expect(await next.waitForRun(runId)).toBe('succeeded');
      const resumed = await next.call('runs.get', { runId });
      expect(resumed.steps.map((s) => [s.status, s.attempts])).toEqual([
        ['succeeded', 1],
        ['succeeded', 2],
        ['succeeded', 2],
      ]);
      expect(readFileSync(join(sandbox.work, 'one.count'), 'utf8')).toBe('x\n');
    } finally {
      await next.close();
    }
  });

  it('refuses to resume a run that is still running', async () => {
    const { runId } = await sandbox.engine.call('runs.start', { workflow: workflowOf([shellStep(1, 'sleep 300')]), baseDir: sandbox.work });
    await expect(sandbox.engine.call('runs.resume', { runId })).rejects.toMatchObject({ code: 'conflict' });
    await sandbox.engine.call('runs.cancel', { runId });
  });
});
