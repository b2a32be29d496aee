/**
 * The ssh sessions a step with a workspace on a remote host opens, each a round trip to the host:
 * where the host's clone is, asked once per shared connection, not once per step; a clone moved
 * since fails the step as a clone never found does.
 */
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/index.js';
import type { RunDetail } from '../../../shared/runs.js';
import { makeTempDir, removeDir, shellStep, startEngine, stepOf, type StepSpec } from '../helpers.js';
import { makeRepo } from '../workspaces/git-repo.js';
import { engineOptions, hostName, remoteTestTimeoutMs } from './remote-host-fixture.js';
import { sshLog, type SshLog } from './ssh-log.js';
import { sshdAvailable, startSshd, type TestSshd } from './sshd.js';

describe.skipIf(!sshdAvailable)('ssh sessions of remote steps with workspaces', { timeout: remoteTestTimeoutMs }, () => {
  let root = '';
  let sshd: TestSshd;
  let engine: Engine;
  let log: SshLog;
  let clone = '';

  beforeEach(async () => {
    root = makeTempDir('hosts-sessions');
    const work = join(root, 'work');
    mkdirSync(work);
    const repo = makeRepo(join(work, 'repo'), { 'notes.txt': 'start\n' });
    clone = join(root, 'host-clone');
    execFileSync('git', ['clone', '--quiet', repo, clone]);
    sshd = await startSshd(join(root, 'sshd'));
    log = sshLog(root);
    engine = await startEngine(join(root, 'data'), { ...engineOptions(sshd, `Photon-test-${randomUUID()}`), env: { ...process.env, PATH: log.path } });
    await engine.call('hosts.add', { name: hostName, address: sshd.url });
    await engine.call('hosts.trust', { name: hostName, fingerprint: sshd.hostKeyFingerprint });
    await engine.call('hosts.setRepoPath', { name: hostName, repoPath: clone });
  });

  afterEach(async () => {
    await engine?.close();
    await sshd?.stop();
    removeDir(root);
  });

  async function isolatedRun(steps: StepSpec[]): Promise<RunDetail> {
    const { runId } = await engine.call('runs.start', { workflow: { name: 'sessions', workspace: { repo: 'repo' }, workflow: steps }, baseDir: join(root, 'work') });
    await engine.waitForRun(runId);
    return engine.call('runs.get', { runId });
  }

  /** The sessions of a step's worktree, in the order they ended (not the liveness checks, the metrics samples or the step's own). */
  const worktreeSessions = () => log.purposes().filter((purpose) => ['locate', 'push', 'add', 'commit', 'fetch', 'remove'].includes(purpose));

  it('finds the host’s clone once per connection: a later step’s worktree takes push, add, commit, fetch and remove', async () => {
    expect((await isolatedRun([shellStep(1, 'echo one > one.txt', { host: hostName })])).status).toBe('succeeded');
    // The shared connection is made, and the clone found over it.
    log.clear();

    const detail = await isolatedRun([shellStep(1, 'echo one > one.txt', { host: hostName }), shellStep(2, 'echo two > two.txt', { host: hostName, dependencies: [1] })]);
    expect(detail.steps.map((step) => [step.status, step.error])).toEqual([
      ['succeeded', null],
      ['succeeded', null],
    ]);
    expect(worktreeSessions()).toEqual(['push', 'add', 'commit', 'fetch', 'remove', 'push', 'add', 'commit', 'fetch', 'remove']);
  });

  it('a clone moved since it was found fails the step as a path that is no clone does', async () => {
    expect((await isolatedRun([shellStep(1, 'true', { host: hostName })])).status).toBe('succeeded');
    renameSync(clone, `${clone}-moved`);
    const moved = await isolatedRun([shellStep(1, 'true', { host: hostName })]);
    expect(stepOf(moved, 1).error).toMatch(new RegExp(`^host "${hostName}": ${clone} is not a clone of the repository \\(.*\\); clone it there \\(git clone URL ${clone}\\) or set the host's repository path to the clone$`));
  });
});
