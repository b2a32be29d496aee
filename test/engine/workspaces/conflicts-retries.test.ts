/**
 * When the code on the edges disagrees or a step fails: a conflict between dependencies' results
 * fails the join before it starts, naming the files (or is handed to it with onConflict "agent");
 * a failed attempt commits nothing and keeps its changes; a retry starts from a clean copy.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunDetail } from '../../../shared/runs.js';
import { stepOf } from '../helpers.js';
import { useStandInSandbox, type StandInSandbox } from '../agents/stand-in-engine.js';
import { git, makeRepo, parentsOf, photonBranches } from './git-repo.js';

const claude = (step: number, prompt: string, extra: Record<string, unknown> = {}) => ({ step, platform: 'claude-code', inputs: { prompt }, dependencies: [] as number[], ...extra });
const shell = (step: number, command: string, extra: Record<string, unknown> = {}) => ({ step, platform: 'shell', inputs: { command }, dependencies: [] as number[], ...extra });

async function run(sandbox: StandInSandbox, steps: Record<string, unknown>[]): Promise<RunDetail> {
  const workflow = { name: 'workspaces', workspace: { repo: 'repo', isolation: 'worktree', base: 'main' }, workflow: steps };
  const { runId } = await sandbox.engine.call('runs.start', { workflow, baseDir: sandbox.work });
  await sandbox.engine.waitForRun(runId);
  return sandbox.engine.call('runs.get', { runId });
}

/** Two steps that rewrite the same line differently. */
const rivals = [claude(1, 'Mine [[replace:notes.txt:line 5=>line 5 by A]]'), claude(2, 'Yours [[replace:notes.txt:line 5=>line 5 by B]]')];

describe('results that conflict', () => {
  const sandbox = useStandInSandbox('ws-conflicts', { env: { ANTHROPIC_API_KEY: 'sk-ant-test' }, tools: ['claude'] });

  it('fail the step that joins them before it starts, naming the files, with no worktree or branch made for it', async () => {
    const repo = makeRepo(join(sandbox.current.work, 'repo'));
    const detail = await run(sandbox.current, [...rivals, shell(3, 'echo joined', { dependencies: [1, 2] })]);
    expect(detail.steps.map((s) => [s.step, s.status])).toEqual([[1, 'succeeded'], [2, 'succeeded'], [3, 'failed']]);
    expect(detail.status).toBe('failed');
    const join3 = stepOf(detail, 3);
    expect(join3.status).toBe('failed');
    expect(join3.error).toMatch(/^step 3 cannot start: the results of step 1 and step 2 conflict in notes\.txt; .*"onConflict": "agent"/);
    expect(join3.workspace).toBeUndefined();
    expect(existsSync(join(sandbox.current.dataDir, 'worktrees', detail.runId, 'step-3'))).toBe(false);
    expect(photonBranches(repo)).toEqual([`photon/${detail.runId}-step-1`, `photon/${detail.runId}-step-2`]);
    // A failed run has no result branch.
    expect(detail.workspace).toMatchObject({ resultCommit: null });
  });

  it('fail the join once, without the retries its policy allows, since each attempt would merge the same results', async () => {
    makeRepo(join(sandbox.current.work, 'repo'));
    const retryPolicy = { maxAttempts: 3, initialIntervalMs: 10 };
    const detail = await run(sandbox.current, [...rivals, shell(3, 'echo joined', { dependencies: [1, 2], retryPolicy })]);
    const join3 = stepOf(detail, 3);
    expect(join3).toMatchObject({ status: 'failed', attempts: 1 });
    expect(join3.error).toMatch(/^step 3 cannot start: the results of step 1 and step 2 conflict in notes\.txt; /);
    const attempts = (await sandbox.current.engine.call('runs.timeline', { runId: detail.runId })).attempts.filter((a) => a.step === 3);
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([[1, 'failed']]);
  });

  it('with onConflict "agent", start the step in the conflicted worktree, its prompt naming the files, and commit its resolution as the merge', async () => {
    const repo = makeRepo(join(sandbox.current.work, 'repo'));
    const detail = await run(sandbox.current, [...rivals, claude(3, 'Join [[file:notes.txt=resolved\\n]]', { dependencies: [1, 2], onConflict: 'agent' })]);
    // Each step's error, not only the run's status, is what a failure here needs to show.
    expect(detail.steps.map((s) => [s.step, s.status, s.error])).toEqual([1, 2, 3].map((s) => [s, 'succeeded', null]));
    expect(detail.status).toBe('succeeded');
    const [one, two, join3] = [stepOf(detail, 1), stepOf(detail, 2), stepOf(detail, 3)];
    expect(join3.output).toMatch(/^Claude Code received: Photon merged the results of the steps this one depends on into this folder, and they conflict in: notes\.txt\. .*\n\nJoin /s);
    expect(join3.workspace).toMatchObject({ state: 'committed', conflicts: ['notes.txt'] });
    // One merge commit holding both results and the resolution.
    expect(parentsOf(repo, join3.workspace!.resultCommit!).sort()).toEqual([one.workspace!.resultCommit, two.workspace!.resultCommit].sort());
    expect(git(repo, 'show', `${detail.workspace!.branch}:notes.txt`)).toBe('resolved');
  });

  it('with onConflict "agent", fail the step that leaves conflict markers, committing nothing', async () => {
    const repo = makeRepo(join(sandbox.current.work, 'repo'));
    const detail = await run(sandbox.current, [...rivals, claude(3, 'Join without resolving', { dependencies: [1, 2], onConflict: 'agent' })]);
    const join3 = stepOf(detail, 3);
    expect(join3.status).toBe('failed');
    expect(join3.error).toMatch(/left conflict markers in notes\.txt/);
    expect(join3.workspace).toMatchObject({ state: 'kept', resultCommit: null });
    expect(git(repo, 'rev-parse', `photon/${detail.runId}-step-3`)).toBe(join3.workspace!.baseCommit);
  });
});

describe('a failed attempt', () => {
  const sandbox = useStandInSandbox('ws-failures', { env: { ANTHROPIC_API_KEY: 'sk-ant-test' }, tools: ['claude'] });

  it('commits nothing and keeps its changes in its worktree for inspection', async () => {
    const repo = makeRepo(join(sandbox.current.work, 'repo'));
    const base = git(repo, 'rev-parse', 'HEAD');
    const detail = await run(sandbox.current, [claude(1, 'Try [[file:draft.txt=half done]] [[replace:notes.txt:line 2=>line 2 edited]] [[standin:error]]')]);
    const step = stepOf(detail, 1);
    expect(step.status).toBe('failed');
    expect(step.workspace).toMatchObject({ state: 'kept', resultCommit: null, baseCommit: base });
    expect(git(repo, 'rev-parse', `photon/${detail.runId}-step-1`)).toBe(base);
    expect(git(step.workspace!.path, 'status', '--porcelain').split('\n').map((line) => line.trim()).sort()).toEqual(['?? draft.txt', 'M notes.txt']);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('is retried from a clean copy of the starting point, in a worktree of its own, and the earlier one is kept', async () => {
    makeRepo(join(sandbox.current.work, 'repo'));
    const counter = join(sandbox.current.work, 'attempts');
    // Fails the first time after leaving a file; finds that file again only if the retry reuses the dirty folder.
    const command = `c=$(cat ${counter} 2>/dev/null || echo 0); echo $((c+1)) > ${counter}; if [ -e leftover.txt ]; then echo dirty; exit 3; fi; echo "attempt $((c+1))" > leftover.txt; [ $c -ge 1 ]`;
    const detail = await run(sandbox.current, [shell(1, command, { retryPolicy: { maxAttempts: 2, initialIntervalMs: 10 } })]);
    const step = stepOf(detail, 1);
    expect(step).toMatchObject({ status: 'succeeded', attempts: 2 });
    const first = join(sandbox.current.dataDir, 'worktrees', detail.runId, 'step-1');
    expect(step.workspace).toMatchObject({ attempt: 2, state: 'committed', path: `${first}-attempt-2`, changes: { filesChanged: 1, linesAdded: 1, linesRemoved: 0 } });
    expect(readFileSync(join(first, 'leftover.txt'), 'utf8')).toBe('attempt 1\n');
    expect(git(step.workspace!.path, 'show', 'HEAD:leftover.txt')).toBe('attempt 2');
    expect(parentsOf(step.workspace!.path, 'HEAD')).toEqual([step.workspace!.baseCommit]);
  });
});
