/**
 * Runs with isolation for the review, merge and housekeeping tests: shell steps that edit the
 * repository in their worktrees, run to their end in a sandbox's engine.
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RunDetail } from '../../../shared/runs.js';
import { shellStep, type Sandbox, type StepSpec } from '../helpers.js';
import { makeRepo, tenLines } from './git-repo.js';

export { shellStep };

/** The sandbox's repository at work/repo: notes.txt (ten lines) and keep.txt on main. */
export function sandboxRepo(sandbox: Sandbox): string {
  return makeRepo(join(sandbox.work, 'repo'), { 'notes.txt': tenLines, 'keep.txt': 'keep\n', 'old.txt': 'old\n' });
}

export async function isolatedRun(sandbox: Sandbox, steps: StepSpec[], workspace: Record<string, unknown> = {}): Promise<RunDetail> {
  const workflow = { name: 'review', workspace: { repo: 'repo', ...workspace }, workflow: steps };
  const { runId } = await sandbox.engine.call('runs.start', { workflow, baseDir: sandbox.work });
  await sandbox.engine.waitForRun(runId);
  return sandbox.engine.call('runs.get', { runId });
}

/** Two parallel steps and a join: step 1 edits notes.txt's first line and adds new.txt, step 2 deletes old.txt. */
export async function twoStepRun(sandbox: Sandbox): Promise<RunDetail> {
  const detail = await isolatedRun(sandbox, [
    shellStep(1, `sed -i 's/^line 1$/line 1 by A/' notes.txt && printf 'new\\nfile\\n' > new.txt`),
    shellStep(2, 'rm old.txt'),
    shellStep(3, 'true', { dependencies: [1, 2] }),
  ]);
  expect(detail.status).toBe('succeeded');
  return detail;
}
