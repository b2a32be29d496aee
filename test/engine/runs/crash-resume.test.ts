import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEngineCrashTest, type EngineProcess } from '../engine-process.js';
import { holdsPid, isDead, readPid, shellStep, waitUntil, workflowOf } from '../helpers.js';

/**
 * A run whose engine dies: the engine runs in a separate process (test/fixtures/run-engine.ts),
 * killed with SIGKILL mid-run; a new engine on the same data folder recovers and resumes it.
 */

// Should a test fail midway, the processes its steps recorded are stopped.
const crash = useEngineCrashTest('crash', ['leader', 'bg', 'nohup', 'immune', 'setsid']);

function startFixture(steps: ReturnType<typeof shellStep>[]): EngineProcess {
  const workflowFile = join(crash.work, 'workflow.json');
  writeFileSync(workflowFile, JSON.stringify(workflowOf(steps, 'crash test')));
  return crash.start(workflowFile);
}

function integrityCheck(): string {
  const db = new Database(join(crash.dataDir, 'photon.db'));
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

function storedRunStatus(runId: string): string {
  const db = new Database(join(crash.dataDir, 'photon.db'));
  try {
    return (db.prepare('SELECT status FROM runs WHERE id = ?').get(runId) as { status: string }).status;
  } finally {
    db.close();
  }
}

function storedAttemptProcess(runId: string, step: number): string | null {
  const db = new Database(join(crash.dataDir, 'photon.db'), { readonly: true });
  try {
    return (db.prepare('SELECT process FROM attempts WHERE run_id = ? AND step = ? ORDER BY attempt DESC').get(runId, step) as { process: string | null } | undefined)?.process ?? null;
  } finally {
    db.close();
  }
}

const lines = (file: string) => readFileSync(join(crash.work, file), 'utf8').trim().split('\n');

describe('an engine killed mid-run', () => {
  it('leaves the run interrupted and resumable, without re-running its succeeded steps', async () => {
    // Step 2 waits (ignoring the hang-up its terminal gets when the engine dies) until the `go`
    // file exists; then, resumed, it uses the output of step 1, which must not run again.
    const waiting = 'trap "" HUP; echo $$ > leader; sleep 300 & echo $! > bg; sleep 300';
    const { process: child, runId: runIdPromise, exited } = startFixture([
      shellStep(1, 'echo ran >> counter; echo built'),
      shellStep(2, `if [ -e go ]; then echo "resumed with {{steps.1.output}}" > result; else ${waiting}; fi`, { dependencies: [1] }),
    ]);
    const runId = await runIdPromise;
    await waitUntil(() => holdsPid(join(crash.work, 'bg')) && holdsPid(join(crash.work, 'leader')), 'step 2 to start', 20_000);
    // The engine records the process right after starting it; on a loaded machine the step can
    // write its files first. The crash under test comes after that record.
    await waitUntil(() => storedAttemptProcess(runId, 2) !== null, "step 2's process to be recorded", 20_000);
    expect(lines('counter')).toEqual(['ran']);

    child.kill('SIGKILL');
    await exited;
    const leader = readPid(join(crash.work, 'leader'));
    const background = readPid(join(crash.work, 'bg'));
    // The crash left the steps' processes running and the run marked running.
    expect(isDead(leader)).toBe(false);
    expect(isDead(background)).toBe(false);
    expect(storedRunStatus(runId)).toBe('running');
    expect(integrityCheck()).toBe('ok');

    // Its temp folder, with what it left there; and the same at the place engines before 6f7c602 used.
    const runData = join(crash.dataDir, 'runs', runId);
    const temp = join(runData, 'step-2.attempt-1.tmp');
    const earlierTemp = join(runData, 'step-2', 'attempt-1.tmp');
    expect(existsSync(temp)).toBe(true);
    mkdirSync(join(earlierTemp, 'left'), { recursive: true });
    writeFileSync(join(earlierTemp, 'left', 'file'), 'x');

    const engine = await crash.recover();
    expect(engine.recoveredRuns).toEqual([runId]);
    expect(isDead(leader)).toBe(true);
    expect(isDead(background)).toBe(true);
    expect(integrityCheck()).toBe('ok');
    expect(existsSync(temp)).toBe(false);
    expect(existsSync(earlierTemp)).toBe(false);

    const interrupted = await engine.call('runs.get', { runId });
    expect(interrupted.status).toBe('interrupted');
    expect(interrupted.finishedAt).not.toBeNull();
    expect(interrupted.steps.map((s) => [s.step, s.status, s.attempts])).toEqual([
      [1, 'succeeded', 1],
      [2, 'pending', 1],
    ]);
    const { attemptHistory } = await engine.call('steps.get', { runId, step: 2 });
    expect(attemptHistory.map((a) => [a.status, a.error])).toEqual([['cancelled', 'interrupted: Photon stopped during this attempt']]);

    writeFileSync(join(crash.work, 'go'), '');
    await engine.call('runs.resume', { runId });
    expect(await engine.waitForRun(runId)).toBe('succeeded');
    const resumed = await engine.call('runs.get', { runId });
    expect(resumed.steps.map((s) => [s.step, s.status, s.attempts])).toEqual([
      [1, 'succeeded', 1],
      [2, 'succeeded', 2],
    ]);
    expect(lines('counter')).toEqual(['ran']);
    expect(lines('result')).toEqual(['resumed with built']);
    expect(integrityCheck()).toBe('ok');
  });
});

describe('an engine killed before it recorded a step process', () => {
  it('finds the process by the variables it was started with and stops its group', async () => {
    const { process: child, runId: runIdPromise, exited } = startFixture([shellStep(1, 'trap "" HUP; echo $$ > leader; sleep 300 & echo $! > bg; sleep 300')]);
    const runId = await runIdPromise;
    await waitUntil(() => holdsPid(join(crash.work, 'bg')) && holdsPid(join(crash.work, 'leader')), 'step 1 to start', 20_000);
    await waitUntil(() => storedAttemptProcess(runId, 1) !== null, "step 1's process to be recorded", 20_000);
    child.kill('SIGKILL');
    await exited;
    // What the database holds when the engine dies between starting the step and recording it.
    const db = new Database(join(crash.dataDir, 'photon.db'));
    db.prepare('UPDATE attempts SET process = NULL WHERE run_id = ?').run(runId);
    db.close();
    const leader = readPid(join(crash.work, 'leader'));
    const background = readPid(join(crash.work, 'bg'));
    expect(isDead(leader)).toBe(false);

    const engine = await crash.recover();
    expect(engine.recoveredRuns).toEqual([runId]);
    expect(isDead(leader)).toBe(true);
    expect(isDead(background)).toBe(true);
    expect(storedRunStatus(runId)).toBe('interrupted');
  });
});

describe('an engine killed while a step had left processes outside its group', () => {
  it('stops every one of them on recovery, though the recorded leader died on the hang-up', async () => {
    // The step's shell dies on the hang-up its terminal gets when the engine dies; what it started
    // lives on: a nohup job, a job ignoring SIGHUP, a job in a session of its own (setsid).
    const survivors = ['nohup', 'immune', 'setsid'];
    const jobs = [
      `nohup sh -c 'echo $$ > nohup; exec sleep 300' > /dev/null 2>&1 &`,
      `sh -c 'trap "" HUP; echo $$ > immune; exec sleep 300' &`,
      `setsid sh -c 'echo $$ > setsid; exec sleep 300' &`,
    ];
    const waits = survivors.map((file) => `while [ ! -s ${file} ]; do sleep 0.01; done`).join('; ');
    const { process: child, runId: runIdPromise, exited } = startFixture([shellStep(1, `${jobs.join(' ')} ${waits}; echo $$ > leader; sleep 300`)]);
    const runId = await runIdPromise;
    await waitUntil(() => holdsPid(join(crash.work, 'leader')), 'step 1 to start its jobs', 20_000);
    await waitUntil(() => storedAttemptProcess(runId, 1) !== null, "step 1's process to be recorded", 20_000);
    child.kill('SIGKILL');
    await exited;
    await waitUntil(() => isDead(readPid(join(crash.work, 'leader'))), 'the leader to die on the hang-up');
    const pids = survivors.map((file) => readPid(join(crash.work, file)));
    expect(pids.filter((pid) => isDead(pid))).toEqual([]);

    const engine = await crash.recover();
    expect(engine.recoveredRuns).toEqual([runId]);
    expect(survivors.filter((_, i) => !isDead(pids[i]!))).toEqual([]);
    expect(storedRunStatus(runId)).toBe('interrupted');
  });
});

describe('a second engine on the same data folder', () => {
  it('leaves a run owned by a live engine alone', async () => {
    const { process: child, runId: runIdPromise, exited } = startFixture([shellStep(1, 'echo $$ > leader; sleep 300 & echo $! > bg; sleep 300')]);
    const runId = await runIdPromise;
    await waitUntil(() => holdsPid(join(crash.work, 'bg')) && holdsPid(join(crash.work, 'leader')), 'step 1 to start', 20_000);
    const leader = readPid(join(crash.work, 'leader'));
    const background = readPid(join(crash.work, 'bg'));

    const engine = await crash.recover();
    expect(engine.recoveredRuns).toEqual([]);
    const seen = await engine.call('runs.get', { runId });
    expect(seen.status).toBe('running');
    expect(seen.steps[0]!.status).toBe('running');
    expect(isDead(leader)).toBe(false);
    expect(isDead(background)).toBe(false);
    await crash.closeEngine();
    expect(storedRunStatus(runId)).toBe('running');

    // Its own engine, closing, stops the steps and leaves the run resumable.
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(storedRunStatus(runId)).toBe('interrupted');
    expect(isDead(leader)).toBe(true);
    expect(isDead(background)).toBe(true);
    expect(integrityCheck()).toBe('ok');
  });
});
