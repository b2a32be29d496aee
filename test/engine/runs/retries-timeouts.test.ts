import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StepState } from '../../../shared/runs.js';
import { hangupImmuneJob, isDead, liveGroupMembers, openDatabaseFile, readPid, runToEnd, shellStep, stepOf, useSandbox } from '../helpers.js';

const sandbox = useSandbox('retries');

function ms(iso: string | null): number {
  if (iso === null) throw new Error('missing time');
  return Date.parse(iso);
}

function attemptRows(runId: string, step: number): { attempt: number; output_path: string; process: string | null }[] {
  const db = openDatabaseFile(sandbox.dataDir);
  try {
    return db.prepare('SELECT attempt, output_path, process FROM attempts WHERE run_id = ? AND step = ? ORDER BY attempt').all(runId, step) as never;
  } finally {
    db.close();
  }
}

describe('retries', () => {
  it('retries with backoff, recording each attempt with its own times, exit code and output file', async () => {
    const retrying: StepState[] = [];
    sandbox.engine.on('step.updated', ({ step }) => {
      if (step.status === 'retrying') retrying.push(step);
    });
    // Attempts 1 and 2 fail with codes 11 and 12; attempt 3 succeeds. Delays: 200, then min(400, 300).
    const command = 'echo "attempt $PHOTON_ATTEMPT"; if [ "$PHOTON_ATTEMPT" -lt 3 ]; then exit $((10 + PHOTON_ATTEMPT)); fi';
    const retryPolicy = { maxAttempts: 4, initialIntervalMs: 200, backoffCoefficient: 2, maxIntervalMs: 300 };
    const { runId, status, detail } = await runToEnd(sandbox, [shellStep(1, command, { retryPolicy })]);

    expect(status).toBe('succeeded');
    expect(stepOf(detail, 1)).toMatchObject({ status: 'succeeded', attempts: 3, exitCode: 0, output: 'attempt 3', error: null, nextAttemptAt: null });

    const { attemptHistory } = await sandbox.engine.call('steps.get', { runId, step: 1 });
    expect(attemptHistory.map((a) => [a.attempt, a.status, a.exitCode, a.tail.trim()])).toEqual([
      [1, 'failed', 11, 'attempt 1'],
      [2, 'failed', 12, 'attempt 2'],
      [3, 'succeeded', 0, 'attempt 3'],
    ]);
    expect(attemptHistory[0]!.error).toBe('exited with code 11');

    // The waits between attempts are at least the computed delays.
    const [a1, a2, a3] = attemptHistory;
    expect(ms(a2!.startedAt) - ms(a1!.startedAt)).toBeGreaterThanOrEqual(200);
    expect(ms(a3!.startedAt) - ms(a2!.startedAt)).toBeGreaterThanOrEqual(300);
    expect(ms(a2!.startedAt) - ms(a1!.finishedAt)).toBeGreaterThanOrEqual(199);
    expect(ms(a3!.startedAt) - ms(a2!.finishedAt)).toBeGreaterThanOrEqual(299);

    // While retrying, the step announced when its next attempt starts: the capped backoff.
    expect(retrying.map((s) => s.attempts)).toEqual([1, 2]);
    const announcedDelays = retrying.map((s, i) => ms(s.nextAttemptAt) - ms(attemptHistory[i]!.finishedAt));
    expect(announcedDelays[0]).toBeGreaterThanOrEqual(200);
    expect(announcedDelays[0]).toBeLessThan(250);
    expect(announcedDelays[1]).toBeGreaterThanOrEqual(300);
    expect(announcedDelays[1]).toBeLessThan(350);

    // Each attempt has its own log file holding its own output.
    const rows = attemptRows(runId, 1);
    expect(rows.map((r) => r.output_path)).toEqual([1, 2, 3].map((n) => join(sandbox.dataDir, 'runs', runId, 'step-1', `attempt-${n}.log`)));
    rows.forEach((row, i) => {
      const text = readFileSync(row.output_path, 'utf8');
      expect(text).toContain(`attempt ${i + 1}`);
      expect(text).not.toContain(`attempt ${((i + 1) % 3) + 1}`);
    });
  });

  it('fails the step after its last attempt, with the last exit code', async () => {
    const { status, detail } = await runToEnd(sandbox, [shellStep(1, 'exit 5', { retryPolicy: { maxAttempts: 2, initialIntervalMs: 20 } })]);
    expect(status).toBe('failed');
    expect(stepOf(detail, 1)).toMatchObject({ status: 'failed', attempts: 2, exitCode: 5, error: 'exited with code 5' });
  });

  it('does not retry a non-retryable exit code, while other codes are retried', async () => {
    const retryPolicy = { maxAttempts: 4, initialIntervalMs: 20, nonRetryableExitCodes: [2] };
    const { status, detail } = await runToEnd(sandbox, [
      shellStep(1, 'echo x >> tries1; exit 2', { retryPolicy }),
      shellStep(2, 'echo x >> tries2; exit 3', { retryPolicy }),
    ]);
    expect(status).toBe('failed');
    expect(stepOf(detail, 1)).toMatchObject({ status: 'failed', attempts: 1, exitCode: 2 });
    expect(stepOf(detail, 2)).toMatchObject({ status: 'failed', attempts: 4, exitCode: 3 });
    expect(readFileSync(join(sandbox.work, 'tries1'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect(readFileSync(join(sandbox.work, 'tries2'), 'utf8').trim().split('\n')).toHaveLength(4);
  });

  it('fails a step that cannot start (its folder does not exist), saying why', async () => {
    const { status, detail } = await runToEnd(sandbox, [shellStep(1, 'true', { cwd: 'missing-folder' })]);
    expect(status).toBe('failed');
    expect(stepOf(detail, 1).status).toBe('failed');
    expect(stepOf(detail, 1).error).toMatch(/^workflow\[0\]\.cwd: folder ".*missing-folder" does not exist/);
  });
});

describe('timeouts', () => {
  it('kills a timed-out step with its background jobs, on every attempt', async () => {
    // Each attempt records its shell and a background job that survives the terminal's hang-up,
    // then waits far beyond the timeout.
    const command = `echo $$ > sh.$PHOTON_ATTEMPT; ${hangupImmuneJob('bg.$PHOTON_ATTEMPT')} sleep 300`;
    const { runId, status, detail } = await runToEnd(sandbox, [
      // Long enough for a loaded machine's shell to write both files before the timeout strikes.
      shellStep(1, command, { timeout: 2000, retryPolicy: { maxAttempts: 2, initialIntervalMs: 10 } }),
      shellStep(2, 'touch after', { dependencies: [1] }),
    ]);
    expect(status).toBe('failed');
    expect(stepOf(detail, 1)).toMatchObject({ status: 'timed_out', attempts: 2, error: 'timed out after 2000 ms' });
    expect(stepOf(detail, 2).status).toBe('skipped');
    const { attemptHistory } = await sandbox.engine.call('steps.get', { runId, step: 1 });
    expect(attemptHistory.map((a) => a.status)).toEqual(['timed_out', 'timed_out']);
    for (const attempt of [1, 2]) {
      const shell = readPid(join(sandbox.work, `sh.${attempt}`));
      const background = readPid(join(sandbox.work, `bg.${attempt}`));
      expect(isDead(shell)).toBe(true);
      expect(isDead(background)).toBe(true);
      expect(liveGroupMembers(shell)).toEqual([]);
    }
    expect(attemptRows(runId, 1).every((row) => row.process !== null)).toBe(true);
    expect(existsSync(join(sandbox.work, 'after'))).toBe(false);
  });

  it('kills with SIGKILL after the grace when the step ignores SIGTERM and SIGHUP', async () => {
    const command = 'trap "" TERM HUP; echo $$ > sh; sleep 300 & echo $! > bg; sleep 300';
    const started = Date.now();
    const { status, detail } = await runToEnd(sandbox, [shellStep(1, command, { timeout: 1000 })]);
    expect(status).toBe('failed');
    expect(stepOf(detail, 1).status).toBe('timed_out');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(isDead(readPid(join(sandbox.work, 'sh')))).toBe(true);
    expect(isDead(readPid(join(sandbox.work, 'bg')))).toBe(true);
  });

  it('leaves no background job behind when a step exits on its own', async () => {
    // The step ends only once its job is immune to the hang-up its exit brings.
    const { status } = await runToEnd(sandbox, [shellStep(1, `${hangupImmuneJob('bg')} while [ ! -s bg ]; do sleep 0.01; done; echo done`)]);
    expect(status).toBe('succeeded');
    expect(isDead(readPid(join(sandbox.work, 'bg')))).toBe(true);
  });
});
