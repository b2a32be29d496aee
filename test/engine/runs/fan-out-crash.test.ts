import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEngineCrashTest } from '../engine-process.js';
import { holdsPid, isDead, readPid, shellStep, startEngine, waitUntil, workflowOf } from '../helpers.js';

/**
 * A fan-out whose engine dies mid-way: the engine runs in a separate process, killed with SIGKILL
 * while two items wait; a new engine on the same data folder recovers the run and resumes it.
 */

const crash = useEngineCrashTest('fan-out-crash', ['leader-2', 'leader-3', 'leader-4']);

function stored<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(crash.dataDir, 'photon.db'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

describe('an engine killed in the middle of a fan-out', () => {
  it('is resumed without running its succeeded items again', async () => {
    // Items 0-2 succeed at once; items 3 and up wait (ignoring the hang-up of their terminal
    // when the engine dies) until the `go` file exists. Each run of an item is counted.
    const command = 'echo ran-{{index}} >> counter; if [ {{index}} -ge 3 ] && [ ! -e go ]; then trap "" HUP; echo $$ > leader-{{index}}; sleep 300; fi; echo out-{{item}}';
    const file = join(crash.work, 'workflow.json');
    writeFileSync(file, JSON.stringify(workflowOf([shellStep(1, command, { forEach: ['a', 'b', 'c', 'd', 'e', 'f'], maxParallel: 2 })], 'fan-out crash')));
    const { process: child, runId: runIdPromise, exited } = crash.start(file);
    const runId = await runIdPromise;
    await waitUntil(() => holdsPid(join(crash.work, 'leader-3')) && holdsPid(join(crash.work, 'leader-4')), 'items 3 and 4 to wait', 30_000);
    // The crash under test comes after the engine recorded both waiting processes.
    const recorded = () => stored<{ n: number }>(`SELECT COUNT(*) AS n FROM attempts WHERE run_id = ? AND item IN (3, 4) AND process IS NOT NULL`, runId)[0]!.n;
    await waitUntil(() => recorded() === 2, "items 3 and 4's processes to be recorded", 20_000);

    child.kill('SIGKILL');
    await exited;
    const leaders = [3, 4].map((i) => readPid(join(crash.work, `leader-${i}`)));
    expect(leaders.filter((pid) => isDead(pid))).toEqual([]);

    const engine = await crash.recover();
    expect(engine.recoveredRuns).toEqual([runId]);
    expect(leaders.filter((pid) => !isDead(pid))).toEqual([]);
    const interrupted = await engine.call('runs.get', { runId });
    expect(interrupted.status).toBe('interrupted');
    expect(interrupted.steps[0]).toMatchObject({ status: 'pending', items: { total: 6, succeeded: 3, pending: 3, running: 0 } });

    writeFileSync(join(crash.work, 'go'), '');
    await engine.call('runs.resume', { runId });
    expect(await engine.waitForRun(runId)).toBe('succeeded');
    const step = (await engine.call('runs.get', { runId })).steps[0]!;
    expect(step).toMatchObject({ status: 'succeeded', items: { total: 6, succeeded: 6 } });
    expect(JSON.parse(step.output!)).toEqual(['out-a', 'out-b', 'out-c', 'out-d', 'out-e', 'out-f']);
    // Items 0-2 ran once; 3 and 4 twice (cut by the crash, then resumed); 5 once, after the resume.
    const runs = readFileSync(join(crash.work, 'counter'), 'utf8').trim().split('\n').sort();
    expect(runs).toEqual(['ran-0', 'ran-1', 'ran-2', 'ran-3', 'ran-3', 'ran-4', 'ran-4', 'ran-5']);
    const { itemHistory } = await engine.call('steps.get', { runId, step: 1 });
    expect(itemHistory!.map((item) => item.attempts)).toEqual([1, 1, 1, 2, 2, 1]);
  });
});

describe('an engine closed in the middle of a fan-out', () => {
  it('stops the running items, leaves the run resumable, and the resume runs only the items left', async () => {
    const command = 'echo ran-{{index}} >> counter; if [ {{index}} -ge 2 ] && [ ! -e go ]; then echo $$ > leader-{{index}}; sleep 300; fi; echo out-{{item}}';
    const first = await startEngine(crash.dataDir);
    const { runId } = await first.call('runs.start', { baseDir: crash.work, workflow: workflowOf([shellStep(1, command, { forEach: ['a', 'b', 'c', 'd'], maxParallel: 2 })]) });
    await waitUntil(() => holdsPid(join(crash.work, 'leader-2')) && holdsPid(join(crash.work, 'leader-3')), 'items 2 and 3 to wait', 30_000);
    const leaders = [2, 3].map((i) => readPid(join(crash.work, `leader-${i}`)));
    await first.close();
    expect(leaders.filter((pid) => !isDead(pid))).toEqual([]);

    const engine = await crash.recover();
    expect(engine.recoveredRuns).toEqual([]);
    const interrupted = await engine.call('runs.get', { runId });
    expect(interrupted.status).toBe('interrupted');
    expect(interrupted.steps[0]).toMatchObject({ status: 'pending', items: { total: 4, succeeded: 2, pending: 2, running: 0 } });
    writeFileSync(join(crash.work, 'go'), '');
    await engine.call('runs.resume', { runId });
    expect(await engine.waitForRun(runId)).toBe('succeeded');
    expect(JSON.parse((await engine.call('runs.get', { runId })).steps[0]!.output!)).toEqual(['out-a', 'out-b', 'out-c', 'out-d']);
    expect(readFileSync(join(crash.work, 'counter'), 'utf8').trim().split('\n').sort()).toEqual(['ran-0', 'ran-1', 'ran-2', 'ran-2', 'ran-3', 'ran-3']);
  });
});
