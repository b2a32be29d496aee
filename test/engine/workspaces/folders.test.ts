/**
 * A step's folder with a workspace: the folder it names (or the workflow file's own) at the same
 * place inside its worktree, never outside it.
 */
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shellStep, stepOf, useSandbox } from '../helpers.js';
import { makeRepo } from './git-repo.js';

describe("a step's folder in its worktree", () => {
  const sandbox = useSandbox('ws-folders');

  it('is where its cwd (or the workflow file) sits in the repository; a folder outside it or missing there fails the step, naming the field', async () => {
    makeRepo(join(sandbox.work, 'repo'), { 'src/app.txt': 'app\n', 'tools/run.txt': 'run\n' });
    const workflow = {
      name: 'folders',
      workspace: { repo: '..' },
      workflow: [
        shellStep(1, 'pwd', { cwd: '../src' }),
        shellStep(2, 'pwd'),
        shellStep(3, 'pwd', { cwd: sandbox.work }),
        shellStep(4, 'pwd', { cwd: 'nowhere' }),
      ],
    };
    // The workflow file's folder: repo/tools.
    const { runId } = await sandbox.engine.call('runs.start', { workflow, baseDir: join(sandbox.work, 'repo', 'tools') });
    await sandbox.engine.waitForRun(runId);
    const detail = await sandbox.engine.call('runs.get', { runId });
    const worktree = (step: number) => realpathSync(stepOf(detail, step).workspace!.path);
    expect(stepOf(detail, 1).output).toBe(join(worktree(1), 'src'));
    expect(stepOf(detail, 2).output).toBe(join(worktree(2), 'tools'));
    expect(stepOf(detail, 3)).toMatchObject({
      status: 'failed',
      error: `workflow[2].cwd: folder "${sandbox.work}" is outside the repository ${realpathSync(join(sandbox.work, 'repo'))}; with a workspace a step works inside its worktree, so name a folder inside the repository`,
    });
    expect(stepOf(detail, 4)).toMatchObject({ status: 'failed', error: expect.stringMatching(/^workflow\[3\]\.cwd: folder "tools\/nowhere" does not exist in the step's worktree/) });
  });
});
