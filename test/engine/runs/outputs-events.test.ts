import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stripAnsi } from '../../../shared/ansi.js';
import type { RunStatus, StepStatus } from '../../../shared/runs.js';
import { isoWithMs, openDatabaseFile, runToEnd, shellStep, stepOf, useSandbox } from '../helpers.js';

const sandbox = useSandbox('outputs');

describe('output templating', () => {
  it('gives later steps the output of earlier ones without escape codes, trimmed', async () => {
    // Colours, padding, a second indented line and trailing blank lines.
    const print = String.raw`printf '\n  \033[1;32mbuild ok\033[0m\n    version 1.2  \n\n'`;
    const { status, detail } = await runToEnd(sandbox, [
      shellStep(1, print),
      shellStep(2, `printf '%s' "{{steps.1.output}}" > direct.txt`, { dependencies: [1] }),
      // An indirect ancestor, and the reference written with spaces.
      shellStep(3, `printf '[%s]' "{{ steps.1.output }}" > indirect.txt`, { dependencies: [2] }),
    ]);
    expect(status).toBe('succeeded');
    expect(stepOf(detail, 1).output).toBe('build ok\n    version 1.2');
    expect(readFileSync(join(sandbox.work, 'direct.txt'), 'utf8')).toBe('build ok\n    version 1.2');
    expect(readFileSync(join(sandbox.work, 'indirect.txt'), 'utf8')).toBe('[build ok\n    version 1.2]');
  });

  it('fills in a window title and hyperlink free output', async () => {
    const print = String.raw`printf '\033]0;me@host: ~/src\007\033]8;;https://example.com\033\\docs\033]8;;\033\\ ready\n'`;
    const { detail } = await runToEnd(sandbox, [shellStep(1, print), shellStep(2, 'echo "got {{steps.1.output}}"', { dependencies: [1] })]);
    expect(stepOf(detail, 2).output).toBe('got docs ready');
  });
});

describe('attempt output', () => {
  it('keeps the full raw output in a file under the data folder and a plain tail in the database', async () => {
    // Fast commands printing more than the pty buffers hold: their last lines arrive as the terminal closes.
    const steps = [1, 2, 3, 4].map((n) => shellStep(n, String.raw`printf '\033[31mred start\033[0m\n'; seq 1 5000`));
    const { runId, status, detail } = await runToEnd(sandbox, steps);
    expect(status).toBe('succeeded');

    const db = openDatabaseFile(sandbox.dataDir);
    const rows = db.prepare('SELECT step, output_path AS path, tail FROM attempts WHERE run_id = ? ORDER BY step').all(runId) as { step: number; path: string; tail: string }[];
    db.close();
    expect(rows.map((row) => row.step)).toEqual([1, 2, 3, 4]);

    for (const row of rows) {
      expect(row.path).toBe(join(sandbox.dataDir, 'runs', runId, `step-${row.step}`, 'attempt-1.log'));
      // Complete as soon as the run has ended: the codes, the first line and the last.
      const raw = readFileSync(row.path, 'utf8');
      expect(raw.startsWith('\u001b[31mred start\u001b[0m\r\n1\r\n2\r\n')).toBe(true);
      expect(raw.slice(-12)).toBe('4999\r\n5000\r\n');
      expect(stripAnsi(raw).split('\n')).toHaveLength(5002);
      expect(stepOf(detail, row.step).output!.endsWith('\n4999\n5000')).toBe(true);

      // The tail: the last few thousand characters, plain.
      expect(row.tail.length).toBeGreaterThan(1000);
      expect(row.tail.length).toBeLessThanOrEqual(4000);
      expect(row.tail).not.toContain('red start');
      expect(stripAnsi(raw).endsWith(row.tail)).toBe(true);
    }

    const { attemptHistory } = await sandbox.engine.call('steps.get', { runId, step: 1 });
    expect(attemptHistory[0]!.tail).toBe(rows[0]!.tail);
  });
});

describe('runs.get', () => {
  it('shows the run, its workflow and each step as the user needs them', async () => {
    const { runId, status, detail } = await runToEnd(
      sandbox,
      [
        shellStep(1, 'echo one', { label: 'Build' }),
        shellStep(2, 'exit 3', { action: 'test', dependencies: [1], continueOnFailure: true }),
        shellStep(3, 'echo three', { dependencies: [1] }),
        shellStep(4, 'echo four', { dependencies: [3, 2] }),
        shellStep(5, 'echo five', { dependencies: [9 - 4] }),
      ].slice(0, 4),
      3,
    );
    expect(status).toBe('failed');
    expect(detail).toMatchObject({
      runId,
      workflowId: null,
      workflowName: 'test workflow',
      status: 'failed',
      concurrency: 3,
      counts: { total: 4, pending: 0, running: 0, succeeded: 3, failed: 1, skipped: 0, cancelled: 0 },
    });
    for (const time of [detail.createdAt, detail.startedAt, detail.finishedAt]) expect(time).toMatch(isoWithMs);
    expect(Date.parse(detail.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(detail.startedAt!));
    // The stored definition is the parsed one: defaults filled in.
    expect(detail.workflow.workflow[0]).toMatchObject({ step: 1, label: 'Build', continueOnFailure: false, dependencies: [] });

    expect(detail.steps.map((s) => [s.step, s.title, s.platform, s.dependencies, s.status, s.attempts, s.exitCode, s.output, s.error])).toEqual([
      [1, 'Build', 'shell', [], 'succeeded', 1, 0, 'one', null],
      [2, 'test', 'shell', [1], 'failed', 1, 3, '', 'exited with code 3'],
      [3, 'Step 3', 'shell', [1], 'succeeded', 1, 0, 'three', null],
      [4, 'Step 4', 'shell', [3, 2], 'succeeded', 1, 0, 'four', null],
    ]);
    for (const step of detail.steps) {
      expect(step.startedAt).toMatch(isoWithMs);
      expect(step.finishedAt).toMatch(isoWithMs);
      expect(step.nextAttemptAt).toBeNull();
    }
    // Step 4 waited for both of its dependencies.
    const end = (n: number) => Date.parse(stepOf(detail, n).finishedAt!);
    expect(Date.parse(stepOf(detail, 4).startedAt!)).toBeGreaterThanOrEqual(Math.max(end(2), end(3)));

    // The same run by a unique prefix of its id, and in the list of recent runs.
    expect((await sandbox.engine.call('runs.get', { runId: runId.slice(0, 12) })).runId).toBe(runId);
    const list = await sandbox.engine.call('runs.list', {});
    expect(list.map((r) => r.runId)).toEqual([runId]);
    expect(list[0]).toMatchObject({ status: 'failed', counts: detail.counts });
  });

  it('links a run of a saved workflow to it', async () => {
    const { id } = await sandbox.engine.call('workflows.save', { workflow: { name: 'saved', workflow: [shellStep(1, 'echo saved')] } });
    const { runId } = await sandbox.engine.call('runs.start', { workflowId: id, baseDir: sandbox.work });
    expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');
    expect(await sandbox.engine.call('runs.get', { runId })).toMatchObject({ workflowId: id, workflowName: 'saved' });
    expect((await sandbox.engine.call('runs.list', { workflowId: id })).map((r) => r.runId)).toEqual([runId]);
    expect(await sandbox.engine.call('runs.list', { workflowId: 'another' })).toEqual([]);
    expect((await sandbox.engine.call('workflows.list', undefined))[0]!.lastRunAt).toMatch(isoWithMs);
  });

  it('refuses an unknown run id', async () => {
    await expect(sandbox.engine.call('runs.get', { runId: 'nope-nope' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('events', () => {
  it('are announced only after the database holds the change', async () => {
    // Another connection, as another process reading the file would see it.
    const db = openDatabaseFile(sandbox.dataDir);
    const stepRow = db.prepare('SELECT status, attempts, exit_code AS exitCode FROM steps WHERE run_id = ? AND step = ?');
    const runRow = db.prepare('SELECT status FROM runs WHERE id = ?');
    const mismatches: string[] = [];
    const seen = new Set<StepStatus>();
    const runStatuses: RunStatus[] = [];
    sandbox.engine.on('step.updated', ({ runId, step }) => {
      seen.add(step.status);
      const stored = stepRow.get(runId, step.step) as { status: string; attempts: number; exitCode: number | null } | undefined;
      const announced = { status: step.status, attempts: step.attempts, exitCode: step.exitCode };
      if (JSON.stringify(stored) !== JSON.stringify(announced)) mismatches.push(`step ${step.step}: announced ${JSON.stringify(announced)}, stored ${JSON.stringify(stored)}`);
    });
    sandbox.engine.on('run.updated', (run) => {
      runStatuses.push(run.status);
      const stored = runRow.get(run.runId) as { status: string } | undefined;
      if (stored?.status !== run.status) mismatches.push(`run: announced ${run.status}, stored ${stored?.status}`);
    });
    const outputs: string[] = [];
    sandbox.engine.on('step.output', ({ step, data }) => void (step === 1 && outputs.push(data)));

    const { status } = await runToEnd(sandbox, [
      shellStep(1, 'echo hello'),
      shellStep(2, 'exit 1', { dependencies: [1], retryPolicy: { maxAttempts: 2, initialIntervalMs: 10 } }),
      shellStep(3, 'true', { dependencies: [2] }),
      shellStep(4, 'true', { dependencies: [1] }),
    ]);
    db.close();
    expect(status).toBe('failed');
    expect(mismatches).toEqual([]);
    expect([...seen].sort()).toEqual(['failed', 'retrying', 'running', 'skipped', 'succeeded']);
    expect(runStatuses.at(-1)).toBe('failed');
    expect(outputs.join('')).toContain('hello');
  });
});
