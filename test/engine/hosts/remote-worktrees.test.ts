/**
 * Steps of a run with workspaces on a remote host, against the real sshd: the step's worktree is
 * made in the host's clone of the repository from its starting point (a local step's result, which
 * only this machine had), its commit is fetched back onto the step's branch here over ssh, review
 * and merge happen here, and nothing of the step stays on the host, whether it succeeded, failed
 * or was cancelled.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../../shared/runs.js';
import { startEngineProcess } from '../engine-process.js';
import { shellStep, stepOf, waitUntil, workflowOf, type StepSpec } from '../helpers.js';
import { git, makeRepo, photonBranches } from '../workspaces/git-repo.js';
import { hostName, remoteProcesses, remoteTestTimeoutMs, useRemoteHost } from './remote-host-fixture.js';
import { sshdAvailable } from './sshd.js';

describe.skipIf(!sshdAvailable)('steps with workspaces on a remote host', { timeout: remoteTestTimeoutMs }, () => {
  const sandbox = useRemoteHost('hosts-worktrees');
  let repo = '';
  let clone = '';

  beforeEach(async () => {
    repo = makeRepo(join(sandbox.work, 'repo'), { 'notes.txt': 'start\n' });
    // The host's clone, made before the run: it knows nothing of what the run's local steps commit.
    clone = join(sandbox.root, 'host-clone');
    execFileSync('git', ['clone', '--quiet', repo, clone]);
    await sandbox.engine.call('hosts.setRepoPath', { name: hostName, repoPath: clone });
  });

  async function isolatedRun(steps: StepSpec[]): Promise<RunDetail> {
    const { runId } = await sandbox.engine.call('runs.start', { workflow: { name: 'mixed', workspace: { repo: 'repo' }, workflow: steps }, baseDir: sandbox.work });
    await sandbox.engine.waitForRun(runId);
    return sandbox.engine.call('runs.get', { runId });
  }

  /** What a run may leave in the host's clone: nothing but the clone's own working tree and branch. */
  function expectCloneUntouched(): void {
    expect(git(clone, 'worktree', 'list', '--porcelain').match(/^worktree .*/gm)).toEqual([`worktree ${clone}`]);
    expect(git(clone, 'for-each-ref', '--format=%(refname)')).toBe('refs/heads/main\nrefs/remotes/origin/HEAD\nrefs/remotes/origin/main');
    const worktrees = join(clone, '.git', 'photon-worktrees');
    expect(existsSync(worktrees) ? readdirSync(worktrees) : []).toEqual([]);
    expect(git(clone, 'status', '--porcelain')).toBe('');
  }

  it('runs a remote step in a worktree of the host’s clone and brings its commit back for review and merge here', async () => {
    const detail = await isolatedRun([
      shellStep(1, 'echo made-here > local.txt'),
      // Starts from step 1's result, which exists only here until Photon sends it.
      shellStep(2, 'cat local.txt > remote.txt && echo "made on the host in $PWD on $(git symbolic-ref --short HEAD)" >> remote.txt', { dependencies: [1], host: hostName }),
      shellStep(3, 'cat remote.txt > back.txt', { dependencies: [2] }),
    ]);
    expect(detail.steps.map((step) => [step.step, step.status, step.error])).toEqual([
      [1, 'succeeded', null],
      [2, 'succeeded', null],
      [3, 'succeeded', null],
    ]);
    expect(detail.status).toBe('succeeded');
    const runId = detail.runId;
    const remote = stepOf(detail, 2).workspace!;
    expect(remote).toMatchObject({ state: 'committed', branch: `photon/${runId}-step-2`, changes: { filesChanged: 1, linesAdded: 2, linesRemoved: 0 } });
    const worktreeThere = `${join(clone, '.git', 'photon-worktrees', runId)}/step-2`;
    expect(remote.path).toBe(`${hostName}:${worktreeThere}`);

    // The step's branch here holds the host's commit, on top of step 1's.
    const stepCommit = git(repo, 'rev-parse', `photon/${runId}-step-2`);
    expect(stepCommit).toBe(remote.resultCommit);
    expect(git(repo, 'rev-parse', `${stepCommit}^`)).toBe(stepOf(detail, 1).workspace!.resultCommit);
    expect(git(repo, 'log', '-1', '--format=%an <%ae>%n%B', stepCommit)).toContain(`Test User <user@example.com>\n`);
    expect(git(repo, 'log', '-1', '--format=%B', stepCommit)).toContain('Photon-Step: 2');
    const madeThere = `made-here\nmade on the host in ${worktreeThere} on photon/${runId}-step-2\n`;
    expect(git(repo, 'show', `${stepCommit}:remote.txt`)).toBe(madeThere.trimEnd());

    // The run's result has all three steps' files; step 3 saw the remote step's file here.
    const result = detail.workspace!.resultCommit!;
    expect(git(repo, 'show', `${result}:back.txt`)).toBe(madeThere.trimEnd());
    expect(git(repo, 'ls-tree', '--name-only', result).split('\n').sort()).toEqual(['back.txt', 'local.txt', 'notes.txt', 'remote.txt']);

    // Review and merge as for a local run.
    const diff = await sandbox.engine.call('workspaces.diff', { runId, step: 2, stat: true });
    expect(diff.files.map((file) => [file.path, file.status])).toEqual([['remote.txt', 'added']]);
    const merged = await sandbox.engine.call('workspaces.merge', { runId, strategy: 'ff' });
    expect(merged.after).toBe(result);
    expect(git(repo, 'rev-parse', 'main')).toBe(result);
    expect(photonBranches(repo)).toEqual([]);

    expectCloneUntouched();
  });

  it('leaves nothing on the host when a remote step fails, is retried, or is cancelled', async () => {
    const failed = await isolatedRun([shellStep(1, 'echo half-done > partial.txt && git add partial.txt && exit 3', { host: hostName, retryPolicy: { maxAttempts: 2, initialIntervalMs: 10 } })]);
    expect(failed.status).toBe('failed');
    expect(stepOf(failed, 1)).toMatchObject({ status: 'failed', attempts: 2, exitCode: 3 });
    expect(stepOf(failed, 1).workspace).toMatchObject({ attempt: 2, state: 'removed', resultCommit: null });
    expectCloneUntouched();
    // Here the step's branch stays where it started, as for a failed local step.
    expect(git(repo, 'rev-parse', `photon/${failed.runId}-step-1`)).toBe(git(repo, 'rev-parse', 'main'));

    // Only this run's step prints from here on.
    let shown = '';
    sandbox.engine.on('step.output', ({ data }) => void (shown += data));
    const { runId } = await sandbox.engine.call('runs.start', {
      workflow: { name: 'cancelled', workspace: { repo: 'repo' }, workflow: [shellStep(1, 'echo begun > begun.txt; echo begun; sleep 600', { host: hostName })] },
      baseDir: sandbox.work,
    });
    await waitUntil(() => shown.includes('begun'), 'the remote step to start', 60_000);
    expect(readdirSync(join(clone, '.git', 'photon-worktrees', runId))).toEqual(['step-1']);
    await sandbox.engine.call('runs.cancel', { runId });
    expect(await sandbox.engine.waitForRun(runId)).toBe('cancelled');
    const cancelled = await sandbox.engine.call('runs.get', { runId });
    expect(stepOf(cancelled, 1).workspace).toMatchObject({ state: 'removed', resultCommit: null });
    expect(remoteProcesses(sandbox.sshd)).toEqual([]);
    expectCloneUntouched();
  });

  it('removes what an engine that died left in the host’s clone when the run resumes, and the step starts clean', async () => {
    // The engine process reads the test's ssh config from its environment, as a user's would.
    process.env.PHOTON_SSH_CONFIG = sandbox.sshd.clientConfig;
    try {
      await sandbox.engine.close();
      const go = join(sandbox.work, 'go');
      const started = join(sandbox.work, 'started');
      const command = `if [ -e ${go} ]; then files=$(ls); echo "$files" > listed.txt; else echo half > half.txt; touch ${started}; sleep 300; fi`;
      const file = join(sandbox.work, 'remote.json');
      writeFileSync(file, JSON.stringify({ ...workflowOf([shellStep(1, command, { host: hostName })]), workspace: { repo: 'repo' } }));
      const crashing = startEngineProcess(sandbox.dataDir, file);
      const runId = await crashing.runId;
      await waitUntil(() => existsSync(started), 'the remote step to start', 60_000);
      expect(readdirSync(join(clone, '.git', 'photon-worktrees', runId))).toEqual(['step-1']);
      crashing.process.kill('SIGKILL');
      await crashing.exited;

      const engine = await sandbox.restartEngine();
      writeFileSync(go, '');
      await engine.call('runs.resume', { runId });
      expect(await engine.waitForRun(runId)).toBe('succeeded');
      const detail = await engine.call('runs.get', { runId });
      expect(stepOf(detail, 1)).toMatchObject({ attempts: 2, workspace: { attempt: 2, state: 'committed' } });
      // The second attempt started from a clean copy: the killed one's half.txt is nowhere.
      const result = detail.workspace!.resultCommit!;
      expect(git(repo, 'show', `${result}:listed.txt`).split('\n')).toEqual(['notes.txt']);
      expectCloneUntouched();
      await waitUntil(() => remoteProcesses(sandbox.sshd).length === 0, 'the killed attempt’s leftovers to be stopped', 30_000);
    } finally {
      delete process.env.PHOTON_SSH_CONFIG;
    }
  });

  it('runs the trusted setup script in the worktree on the host, and a failing one fails the step leaving nothing there', async () => {
    const setup = 'echo "set up on $PHOTON_BRANCH in $(basename "$PWD")" > .setup-done';
    const workflow = { name: 'with setup', workspace: { repo: 'repo', setup }, workflow: [shellStep(1, 'cat .setup-done', { host: hostName })] };
    const { sha256 } = (await sandbox.engine.call('workspaces.setupScript', { workflow, baseDir: sandbox.work }))!;
    await sandbox.engine.call('workspaces.trustSetup', { workflow, baseDir: sandbox.work, sha256 });
    const { runId } = await sandbox.engine.call('runs.start', { workflow, baseDir: sandbox.work });
    expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');
    expect((await sandbox.engine.call('steps.get', { runId, step: 1 })).output).toBe(`set up on photon/${runId}-step-1 in step-1`);
    expectCloneUntouched();

    const failing = { ...workflow, workspace: { repo: 'repo', setup: 'echo cannot install; exit 4' } };
    const trusted = (await sandbox.engine.call('workspaces.setupScript', { workflow: failing, baseDir: sandbox.work }))!;
    await sandbox.engine.call('workspaces.trustSetup', { workflow: failing, baseDir: sandbox.work, sha256: trusted.sha256 });
    const { runId: failed } = await sandbox.engine.call('runs.start', { workflow: failing, baseDir: sandbox.work });
    expect(await sandbox.engine.waitForRun(failed)).toBe('failed');
    const step = await sandbox.engine.call('steps.get', { runId: failed, step: 1 });
    expect(step.error).toMatch(new RegExp(`^the setup script workspace.setup of the workflow failed \\(exit 4\\) on host "${hostName}" in \\S+/step-1: cannot install\\. Fix the script`));
    expectCloneUntouched();
  });

  it('refuses a remote step with a workspace where the host has no clone set, or the path is no clone, naming the fix', async () => {
    await sandbox.engine.call('hosts.setRepoPath', { name: hostName, repoPath: null });
    const unset = await isolatedRun([shellStep(1, 'true', { host: hostName })]);
    expect(stepOf(unset, 1).error).toBe(
      `step 1: host "${hostName}" has no clone of the repository set, so a step with a workspace cannot get its worktree there; clone the repository on the host, then: photon hosts set ${hostName} --repo-path PATH (or Settings → Remote hosts)`,
    );

    await sandbox.engine.call('hosts.setRepoPath', { name: hostName, repoPath: sandbox.work });
    const notClone = await isolatedRun([shellStep(1, 'true', { host: hostName })]);
    expect(stepOf(notClone, 1).error).toMatch(
      new RegExp(`^host "${hostName}": ${sandbox.work} is not a clone of the repository \\(fatal: not a git repository.*\\); clone it there \\(git clone URL ${sandbox.work}\\) or set the host's repository path to the clone$`),
    );
    // The step's branch made here for it is gone again.
    expect(photonBranches(repo)).toEqual([]);
  });
});
