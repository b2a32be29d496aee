import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isoMillis, photon, tempFolder, writeWorkflow } from './helpers.js';

const temp = tempFolder();
afterAll(() => temp.cleanup());

const timestamped = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z {2}/;

describe('photon run', () => {
  it('runs a diamond, prints timestamped lines when stdout is not a terminal, exit 0', async () => {
    const file = writeWorkflow(temp.dir, 'Diamond', [
      { step: 1, command: 'echo top', label: 'Top' },
      { step: 2, command: 'echo left', dependencies: [1] },
      { step: 3, command: 'echo right', dependencies: [1] },
      { step: 4, command: 'echo "got {{steps.2.output}}"', dependencies: [2, 3], label: 'Join' },
    ]);
    const result = await photon(['run', file, '--data-dir', temp.dataDir]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(timestamped);
    expect(lines[0]).toMatch(/run \w+ started: Diamond \(4 steps, concurrency 4\)/);
    expect(result.stdout).toMatch(/Z {2}step 1 "Top" running \(attempt 1\)\n/);
    expect(result.stdout).toMatch(/Z {2}step 4 "Join" succeeded \(\d+ms\)\n/);
    for (const step of [2, 3]) expect(result.stdout).toMatch(new RegExp(`Z {2}step ${step} succeeded`));
    expect(lines.at(-1)).toMatch(/run \w+ succeeded: 4 succeeded of 4 steps in /);
    // No cursor movement or colour: safe for logs.
    expect(result.stdout).not.toContain('\x1b');
  });

  it('exits 1 when a step fails; its descendants are skipped and the hints name the run', async () => {
    const file = writeWorkflow(temp.dir, 'Fails', [
      { step: 1, command: 'echo "broken build" && exit 3' },
      { step: 2, command: 'true', dependencies: [1] },
      { step: 3, command: 'true' },
    ]);
    const result = await photon(['run', file, '--data-dir', temp.dataDir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/step 1 failed \(exited with code 3; 1 attempt\)/);
    expect(result.stdout).toMatch(/step 2 skipped/);
    expect(result.stdout).toMatch(/run (\w+) failed: 1 succeeded, 1 failed, 1 skipped of 3 steps/);
    expect(result.stdout).toContain('    | broken build');
    expect(result.stdout).toMatch(/photon resume \w+ --data-dir /);
  });

  it('--json prints exactly one JSON object on stdout, progress on stderr', async () => {
    const file = writeWorkflow(temp.dir, 'Json', [
      { step: 1, command: 'printf "one\\n"' },
      { step: 2, command: 'exit 4', dependencies: [1], retryPolicy: { maxAttempts: 2, initialIntervalMs: 10 } },
      { step: 3, command: 'true', dependencies: [2] },
    ]);
    const result = await photon(['run', file, '--json', '--data-dir', temp.dataDir]);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['runId', 'status', 'steps']);
    expect(json.status).toBe('failed');
    const steps = json.steps as Record<string, unknown>[];
    // The first seven keys as they always were; what failed and what an AI tool reported after them.
    expect(steps.map((s) => Object.keys(s))).toEqual(
      Array(3).fill(['step', 'status', 'attempts', 'exitCode', 'startedAt', 'finishedAt', 'output', 'error', 'sessionId', 'costUsd', 'tokens']),
    );
    expect(steps[0]).toMatchObject({ step: 1, status: 'succeeded', attempts: 1, exitCode: 0, output: 'one' });
    expect(steps[1]).toMatchObject({ step: 2, status: 'failed', attempts: 2, exitCode: 4, error: 'exited with code 4', sessionId: null, costUsd: null, tokens: null });
    expect(steps[2]).toMatchObject({ step: 3, status: 'skipped', attempts: 0, exitCode: null, startedAt: null });
    for (const step of steps.slice(0, 2)) {
      expect(step.startedAt).toMatch(isoMillis);
      expect(step.finishedAt).toMatch(isoMillis);
    }
    expect(result.stderr).toMatch(/step 2 retrying/);
  });

  it('runs steps in the workflow file\'s folder and honours --concurrency', async () => {
    const folder = join(temp.dir, 'project');
    mkdirSync(join(folder, 'sub'), { recursive: true });
    const file = writeWorkflow(folder, 'Folders', [
      { step: 1, command: 'pwd > here.txt' },
      { step: 2, command: 'pwd > there.txt', cwd: 'sub' },
    ]);
    const result = await photon(['run', file, '--concurrency', '1', '--data-dir', temp.dataDir], { cwd: temp.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('concurrency 1)');
    expect(readFileSync(join(folder, 'here.txt'), 'utf8').trim()).toBe(folder);
    expect(readFileSync(join(folder, 'sub', 'there.txt'), 'utf8').trim()).toBe(join(folder, 'sub'));
  });

  it('takes the data folder from PHOTON_DATA_DIR', async () => {
    const dataDir = join(temp.dir, 'env-data');
    const file = writeWorkflow(temp.dir, 'Env', [{ step: 1, command: 'true' }]);
    const result = await photon(['run', file], { env: { PHOTON_DATA_DIR: dataDir } });
    expect(result.code).toBe(0);
    expect(existsSync(dataDir)).toBe(true);
    const runs = await photon(['runs', '--json'], { env: { PHOTON_DATA_DIR: dataDir } });
    expect((JSON.parse(runs.stdout) as unknown[]).length).toBe(1);
  });
});
