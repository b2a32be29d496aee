/**
 * An isolated run whose engine is killed with SIGKILL mid-run (the engine in its own process,
 * test/fixtures/run-engine.ts): resumed by a new engine, it reuses the succeeded steps' worktrees
 * and commits, and the interrupted step starts again from a clean copy of its starting point.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEngineCrashTest } from '../engine-process.js';
import { holdsPid, shellStep, waitUntil, workflowOf } from '../helpers.js';
import { git, makeRepo } from './git-repo.js';

// Should a test fail midway, the processes its steps recorded are stopped.
const crash = useEngineCrashTest('ws-crash', ['leader']);

describe('an isolated run whose engine was killed', () => {
  it('resumes reusing the succeeded steps’ worktrees and commits; the killed step starts clean from them', async () => {
    const repo = makeRepo(join(crash.work, 'repo'));
    const counter = join(crash.work, 'counter');
    const waiting = `trap "" HUP; echo $$ > ${crash.work}/leader; echo half > half.txt; sleep 300`;
    const workflowFile = join(crash.work, 'workflow.json');
    writeFileSync(
      workflowFile,
      JSON.stringify({
        ...workflowOf([
          shellStep(1, `echo ran >> ${counter}; echo built > built.txt`),
          shellStep(2, `if [ -e ${crash.work}/go ]; then ls; cat built.txt > used.txt; else ${waiting}; fi`, { dependencies: [1] }),
        ]),
        workspace: { repo: 'repo' },
      }),
    );
    const { process: child, runId: runIdPromise, exited } = crash.start(workflowFile);
    const runId = await runIdPromise;
    await waitUntil(() => holdsPid(join(crash.work, 'leader')), 'step 2 to start', 30_000);
    const stepOne = join(crash.dataDir, 'worktrees', runId, 'step-1');
    const stepOneCommit = git(repo, 'rev-parse', `photon/${runId}-step-1`);
    child.kill('SIGKILL');
    await exited;

    const engine = await crash.recover();
    expect(engine.recoveredRuns).toEqual([runId]);
    writeFileSync(join(crash.work, 'go'), '');
    await engine.call('runs.resume', { runId });
    expect(await engine.waitForRun(runId)).toBe('succeeded');
    const resumed = await engine.call('runs.get', { runId });
    const [one, two] = resumed.steps;

    // Step 1 did not run again: same worktree, same commit.
    expect(readFileSync(counter, 'utf8')).toBe('ran\n');
    expect(one).toMatchObject({ attempts: 1, workspace: { attempt: 1, path: stepOne, state: 'committed', resultCommit: stepOneCommit } });
    expect(git(stepOne, 'rev-parse', 'HEAD')).toBe(stepOneCommit);
    // Step 2 started again from step 1's commit, in a clean worktree of its own; the killed attempt's is kept.
    expect(two).toMatchObject({ status: 'succeeded', attempts: 2, workspace: { attempt: 2, baseCommit: stepOneCommit, state: 'committed' } });
    expect(two!.output!.split(/\s+/)).not.toContain('half.txt');
    expect(readFileSync(join(crash.dataDir, 'worktrees', runId, 'step-2', 'half.txt'), 'utf8')).toBe('half\n');
    expect(git(repo, 'show', `photon/${runId}:used.txt`)).toBe('built');
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });
});
