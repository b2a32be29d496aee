/**
 * An isolated run whose engine is killed with SIGKILL mid-run (the engine in its own process,
 * test/fixtures/run-engine.ts): resumed by a new engine, it reuses the succeeded steps' worktrees
 * and commits, and the interrupted step starts again from a clean copy of its starting point.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/index.js';
import { killRecordedProcesses, startEngineProcess, stopEngineProcess } from '../engine-process.js';
import { holdsPid, makeTempDir, removeDir, shellStep, startEngine, waitUntil, workflowOf } from '../helpers.js';
import { git, makeRepo } from './git-repo.js';

let root = '';
let dataDir = '';
let work = '';
let fixture: ChildProcess | undefined;
let engine: Engine | undefined;

beforeEach(() => {
  root = makeTempDir('ws-crash');
  dataDir = join(root, 'data');
  work = join(root, 'work');
  mkdirSync(work);
});

afterEach(async () => {
  await engine?.close();
  engine = undefined;
  stopEngineProcess(fixture);
  fixture = undefined;
  killRecordedProcesses(work, ['leader']);
  removeDir(root);
});

describe('an isolated run whose engine was killed', () => {
  it('resumes reusing the succeeded steps’ worktrees and commits; the killed step starts clean from them', async () => {
    const repo = makeRepo(join(work, 'repo'));
    const counter = join(work, 'counter');
    const waiting = `trap "" HUP; echo $$ > ${work}/leader; echo half > half.txt; sleep 300`;
    const workflowFile = join(work, 'workflow.json');
    writeFileSync(
      workflowFile,
      JSON.stringify({
        ...workflowOf([
          shellStep(1, `echo ran >> ${counter}; echo built > built.txt`),
          shellStep(2, `if [ -e ${work}/go ]; then ls; cat built.txt > used.txt; else ${waiting}; fi`, { dependencies: [1] }),
        ]),
        workspace: { repo: 'repo' },
      }),
    );
    const started = startEngineProcess(dataDir, workflowFile);
    fixture = started.process;
    const { runId: runIdPromise, exited } = started;
    const runId = await runIdPromise;
    await waitUntil(() => holdsPid(join(work, 'leader')), 'step 2 to start', 30_000);
    const stepOne = join(dataDir, 'worktrees', runId, 'step-1');
    const stepOneCommit = git(repo, 'rev-parse', `photon/${runId}-step-1`);
    fixture!.kill('SIGKILL');
    await exited;

    engine = await startEngine(dataDir);
    expect(engine.recoveredRuns).toEqual([runId]);
    writeFileSync(join(work, 'go'), '');
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
    expect(readFileSync(join(dataDir, 'worktrees', runId, 'step-2', 'half.txt'), 'utf8')).toBe('half\n');
    expect(git(repo, 'show', `photon/${runId}:used.txt`)).toBe('built');
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });
});
