import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { stepOf, useSandbox } from '../helpers.js';
import { isolatedRun, sandboxRepo, shellStep } from './ws-run.js';

const sandbox = useSandbox('ws-typed');

describe('typed outputs and gates in a run with worktrees', () => {
  it('keeps, uncommitted, the changes of a step whose output is not its declared JSON', async () => {
    sandboxRepo(sandbox);
    const detail = await isolatedRun(sandbox, [shellStep(1, `echo changed > notes.txt; echo 'not json'`, { output: 'json' })]);
    expect(stepOf(detail, 1).status).toBe('failed');
    expect(stepOf(detail, 1).error).toMatch(/^the output is not JSON/);
    expect(stepOf(detail, 1).workspace).toMatchObject({ state: 'kept', resultCommit: null });
  });

  it('passes the result of the step before an approved gate on to the step after it', async () => {
    const repo = sandboxRepo(sandbox);
    const { runId } = await sandbox.engine.call('runs.start', {
      baseDir: sandbox.work,
      workflow: {
        name: 'gated worktrees',
        workspace: { repo: 'repo' },
        workflow: [
          shellStep(1, 'echo built > built.txt'),
          { step: 2, platform: 'approval', inputs: { message: 'Go on?' }, dependencies: [1] },
          shellStep(3, 'test -f built.txt && echo shipped > shipped.txt', { dependencies: [2] }),
        ],
      },
    });
    let id: string | undefined;
    const deadline = Date.now() + 30_000;
    while (!id && Date.now() < deadline) {
      id = (await sandbox.engine.call('approvals.list', { waitingOnly: true, runId })).find((i) => i.kind === 'gate')?.id;
      if (!id) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await sandbox.engine.call('approvals.answer', { ids: [id!], answer: 'once' });
    expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');
    const detail = await sandbox.engine.call('runs.get', { runId });
    expect(stepOf(detail, 2).workspace).toMatchObject({ state: 'unchanged' });
    const branch = detail.workspace!.branch;
    const files = execFileSync('git', ['ls-tree', '--name-only', branch], { cwd: repo, encoding: 'utf8' }).split('\n');
    expect(files).toEqual(expect.arrayContaining(['built.txt', 'shipped.txt']));
  });
});
