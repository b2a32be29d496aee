/**
 * What a host kept of a remote step's worktree because it stopped answering at the moment Photon
 * removed it, against the real sshd: the host's `git` is wrapped so that, once the test arms it,
 * the removal's `git worktree remove` waits there while the test drops every connection (after the
 * step's result was fetched back, or after a failed attempt). The leftover worktree and branch go
 * when the host's connection is made again, or when an engine starts; the user's own worktrees
 * in that clone, and one Photon's database knows nothing of, stay.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../../shared/runs.js';
import { shellStep, stepOf, waitUntil, type StepSpec } from '../helpers.js';
import { git, makeRepo } from '../workspaces/git-repo.js';
import { hostName, remoteTestTimeoutMs, useRemoteHost } from './remote-host-fixture.js';
import { sshdAvailable } from './sshd.js';

/** The host's PATH starts here: its `git`, and the files through which the test and it agree. */
const hostBin = mkdtempSync(join(tmpdir(), 'photon-host-git-'));
const realGit = sshdAvailable ? execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim() : '/usr/bin/git';
writeFileSync(
  join(hostBin, 'git'),
  [
    '#!/bin/sh',
    `if [ "$1" = worktree ] && [ "$2" = remove ] && mv '${hostBin}/armed' '${hostBin}/reached' 2>/dev/null; then`,
    '  i=0',
    `  while [ ! -e '${hostBin}/dropped' ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done`,
    // The removal's script ends with the connection, as on a host that went away.
    '  kill -KILL $PPID',
    '  exit 1',
    'fi',
    `exec '${realGit}' "$@"`,
    '',
  ].join('\n'),
  { mode: 0o755 },
);
afterAll(() => rmSync(hostBin, { recursive: true, force: true }));

describe.skipIf(!sshdAvailable)('Photon’s worktrees a host kept when it stopped answering', { timeout: remoteTestTimeoutMs }, () => {
  const sandbox = useRemoteHost('hosts-leftovers', { hostEnv: { PATH: `${hostBin}:${process.env.PATH ?? '/usr/bin:/bin'}` } });
  let repo = '';
  let clone = '';
  let userWorktree = '';
  let otherPhoton = '';

  beforeEach(async () => {
    for (const flag of ['armed', 'reached', 'dropped']) rmSync(join(hostBin, flag), { force: true });
    repo = makeRepo(join(sandbox.work, 'repo'), { 'notes.txt': 'start\n' });
    clone = join(sandbox.root, 'host-clone');
    execFileSync('git', ['clone', '--quiet', repo, clone]);
    // The user's own worktree, on a branch under Photon's prefix, and one another Photon made in its folder.
    userWorktree = join(sandbox.root, 'user-worktree');
    git(clone, 'worktree', 'add', '--quiet', '-b', 'photon/mine', userWorktree);
    writeFileSync(join(userWorktree, 'draft.txt'), 'the user’s work\n');
    otherPhoton = join(clone, '.git', 'photon-worktrees', 'not-this-photons-run', 'step-1');
    mkdirSync(join(otherPhoton, '..'), { recursive: true });
    git(clone, 'worktree', 'add', '--quiet', '-b', 'photon/not-this-photons-run-step-1', otherPhoton);
    await sandbox.engine.call('hosts.setRepoPath', { name: hostName, repoPath: clone });
  });

  /** Runs the steps with the host going away while Photon removes the step's worktree there. */
  async function runLosingTheHost(steps: StepSpec[]): Promise<RunDetail> {
    writeFileSync(join(hostBin, 'armed'), '');
    const { runId } = await sandbox.engine.call('runs.start', { workflow: { name: 'lost', workspace: { repo: 'repo' }, workflow: steps }, baseDir: sandbox.work });
    await waitUntil(() => existsSync(join(hostBin, 'reached')), 'Photon to remove the step’s worktree on the host', 60_000);
    sandbox.sshd.dropConnections();
    writeFileSync(join(hostBin, 'dropped'), '');
    await sandbox.engine.waitForRun(runId);
    return sandbox.engine.call('runs.get', { runId });
  }

  function worktreesThere(): string[] {
    return (git(clone, 'worktree', 'list', '--porcelain').match(/^worktree .*/gm) ?? []).map((line) => line.slice('worktree '.length)).sort();
  }

  function branchesThere(): string[] {
    return git(clone, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/').split('\n').sort();
  }

  /** Only the user's and the other Photon's things are left besides the clone's own. */
  function expectOnlyOthersLeft(): void {
    expect(worktreesThere()).toEqual([clone, otherPhoton, userWorktree].sort());
    expect(branchesThere()).toEqual(['main', 'photon/mine', 'photon/not-this-photons-run-step-1']);
    expect(readdirSync(join(clone, '.git', 'photon-worktrees'))).toEqual(['not-this-photons-run']);
    expect(git(userWorktree, 'status', '--porcelain')).toBe('?? draft.txt');
  }

  it('removes a succeeded step’s worktree and branch the host kept once its connection is made again', async () => {
    const detail = await runLosingTheHost([shellStep(1, 'echo made-there > there.txt', { host: hostName })]);
    const runId = detail.runId;
    // The result was fetched before the host went: the step and the run succeed.
    expect(detail.status).toBe('succeeded');
    const workspace = stepOf(detail, 1).workspace!;
    expect(workspace.state).toBe('committed');
    expect(git(repo, 'show', `${workspace.resultCommit}:there.txt`)).toBe('made-there');
    const kept = join(clone, '.git', 'photon-worktrees', runId, 'step-1');
    expect(worktreesThere()).toContain(kept);
    expect(branchesThere()).toContain(`photon/${runId}-step-1`);

    // The host answers again: the next connection to it (here the user's health check) clears it.
    const [host] = await sandbox.engine.call('hosts.list', { check: true });
    expect(host!.status).toBe('connected');
    await waitUntil(() => !existsSync(kept) && !branchesThere().includes(`photon/${runId}-step-1`), 'the kept worktree and branch to leave the host', 60_000);
    expectOnlyOthersLeft();
    const after = await sandbox.engine.call('runs.get', { runId });
    expect(stepOf(after, 1).workspace).toMatchObject({ state: 'committed', resultCommit: workspace.resultCommit });
  });

  it('removes a failed step’s worktree the host kept when the next engine starts, and says so', async () => {
    const detail = await runLosingTheHost([shellStep(1, 'echo half > half.txt && exit 3', { host: hostName })]);
    const runId = detail.runId;
    expect(detail.status).toBe('failed');
    expect(stepOf(detail, 1).workspace).toMatchObject({ state: 'kept', resultCommit: null });
    const kept = join(clone, '.git', 'photon-worktrees', runId, 'step-1');
    expect(existsSync(join(kept, 'half.txt'))).toBe(true);

    await sandbox.engine.close();
    const engine = await sandbox.restartEngine({ cleanClonesAtStart: true });
    await waitUntil(() => !existsSync(kept) && !branchesThere().includes(`photon/${runId}-step-1`), 'the kept worktree and branch to leave the host', 60_000);
    expectOnlyOthersLeft();
    // Recorded once the host said it is gone, a moment after.
    const deadline = Date.now() + 30_000;
    let state = stepOf(await engine.call('runs.get', { runId }), 1).workspace?.state;
    while (state !== 'removed' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      state = stepOf(await engine.call('runs.get', { runId }), 1).workspace?.state;
    }
    expect(state).toBe('removed');
  });
});
