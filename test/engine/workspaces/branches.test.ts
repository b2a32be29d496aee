/**
 * The merge target chooser's list, with real git: the repository's own branches, never Photon's
 * photon/ ones (which merge refuses), and the branch the user has checked out.
 */
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers.js';
import { git } from './git-repo.js';
import { isolatedRun, sandboxRepo, shellStep } from './ws-run.js';

describe('workspaces.branches', () => {
  const sandbox = useSandbox('ws-branches');

  it("lists the repository's branches a run's result can be merged into, and the one checked out", async () => {
    const repo = sandboxRepo(sandbox);
    git(repo, 'branch', 'release');
    git(repo, 'branch', 'feature/login');
    const detail = await isolatedRun(sandbox, [shellStep(1, 'echo more >> notes.txt')]);
    expect(detail.status).toBe('succeeded');
    // The run made photon/<run> and photon/<run>-step-1; neither is offered.
    expect(git(repo, 'branch', '--list', 'photon/*')).not.toBe('');

    expect(await sandbox.engine.call('workspaces.branches', { runId: detail.runId })).toEqual({ repo, branches: ['feature/login', 'main', 'release'], current: 'main' });

    // A detached HEAD has no current branch; the list stays.
    git(repo, 'checkout', '--quiet', '--detach');
    expect(await sandbox.engine.call('workspaces.branches', { runId: detail.runId.slice(0, 8) })).toEqual({ repo, branches: ['feature/login', 'main', 'release'], current: null });
  });

  it('says a run without isolation has nothing to merge', async () => {
    const { runId } = await sandbox.engine.call('runs.start', { workflow: { name: 'plain', workflow: [shellStep(1, 'true')] }, baseDir: sandbox.work });
    await sandbox.engine.waitForRun(runId);
    await expect(sandbox.engine.call('workspaces.branches', { runId })).rejects.toThrow(`run ${runId} has no workspace: it ran without isolation, so it has nothing to merge`);
  });
});
