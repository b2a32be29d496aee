/**
 * Bad input to a run with isolation: each gets a message naming the field or the fix, nothing is
 * written for a run refused before it starts, and a step that cannot get its worktree leaves no
 * half-made worktree, folder or branch behind.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/index.js';
import type { RunDetail } from '../../../shared/runs.js';
import { makeTempDir, removeDir, shellStep, startEngine, stepOf, useSandbox, type Sandbox } from '../helpers.js';
import { git, makeRepo, photonBranches } from './git-repo.js';

const workflowIn = (workspace: Record<string, unknown>, steps = [shellStep(1, 'echo hi > hi.txt')]) => ({ name: 'bad input', workspace, workflow: steps });

async function start(sandbox: Sandbox, workflow: unknown): Promise<string> {
  return (await sandbox.engine.call('runs.start', { workflow, baseDir: sandbox.work })).runId;
}

async function runToEnd(sandbox: Sandbox, workflow: unknown): Promise<RunDetail> {
  const runId = await start(sandbox, workflow);
  await sandbox.engine.waitForRun(runId);
  return sandbox.engine.call('runs.get', { runId });
}

describe('a workspace refused before the run starts', () => {
  const sandbox = useSandbox('ws-bad-input');

  it.each([
    // A relative path's hint names where it starts (the run's baseDir); an absolute path gets none.
    ['a folder that does not exist', () => ({ repo: 'nowhere' }), /^workspace\.repo: folder "(.*)\/nowhere" does not exist; fix the path \(a relative path starts from \1\)$/],
    ['an absolute folder that does not exist', () => ({ repo: '/no/such/repo' }), /^workspace\.repo: folder "\/no\/such\/repo" does not exist; fix the path$/],
    ['a folder outside any repository', () => (mkdirSync(join(sandbox.work, 'plain')), { repo: 'plain' }), /^workspace\.repo: ".*\/plain" is not inside a git repository; run `git init` there/],
    ['a base that does not exist', () => (makeRepo(join(sandbox.work, 'repo')), { repo: 'repo', base: 'no-such-branch' }), /^workspace\.base: "no-such-branch" is not a branch, tag or commit in .*; `git branch -a`/],
    [
      'a detached HEAD and no base',
      () => {
        const repo = makeRepo(join(sandbox.work, 'repo'));
        git(repo, 'checkout', '--quiet', '--detach');
        return { repo: 'repo' };
      },
      /^workspace\.base: .* has a detached HEAD \(at [0-9a-f]{12}\) and no base was named; name a branch, tag or commit in workspace\.base \(or --base\)/,
    ],
    ['a repository without a commit', () => (git(join(sandbox.work), 'init', '--quiet', 'empty'), { repo: 'empty' }), /^workspace\.repo: .*\/empty has no commit yet; commit something first/],
  ])('%s: named with the fix, and no run is written', async (_name, make, message) => {
    const workspace = make();
    await expect(start(sandbox, workflowIn(workspace))).rejects.toThrow(message);
    expect(await sandbox.engine.call('runs.list', undefined)).toEqual([]);
  });

  it('a base named as a tag or a commit works, and a workflow without isolation ignores the repository', async () => {
    const repo = makeRepo(join(sandbox.work, 'repo'));
    git(repo, 'tag', 'v1');
    const first = git(repo, 'rev-parse', 'HEAD');
    writeFileSync(join(repo, 'later.txt'), 'later\n');
    git(repo, 'add', 'later.txt');
    git(repo, 'commit', '--quiet', '-m', 'later');
    for (const base of ['v1', first.slice(0, 10)]) {
      const detail = await runToEnd(sandbox, workflowIn({ repo: 'repo', base }, [shellStep(1, 'ls')]));
      expect(detail.workspace).toMatchObject({ baseRef: base, baseCommit: first });
      expect(stepOf(detail, 1).output).not.toContain('later.txt');
    }
    const plain = await runToEnd(sandbox, workflowIn({ repo: 'repo', isolation: 'none' }, [shellStep(1, 'pwd')]));
    expect(plain.workspace).toBeUndefined();
    expect(stepOf(plain, 1).output).toBe(sandbox.work);
  });

  it('says what works in a repository with submodules or Git LFS', async () => {
    makeRepo(join(sandbox.work, 'repo'), {
      '.gitmodules': '[submodule "lib"]\n\tpath = lib\n\turl = ../lib\n',
      '.gitattributes': '*.bin filter=lfs diff=lfs merge=lfs -text\n',
      'a.txt': 'a\n',
    });
    const detail = await runToEnd(sandbox, workflowIn({ repo: 'repo' }));
    expect(detail.status).toBe('succeeded');
    expect(detail.workspace!.notes).toEqual([
      expect.stringMatching(/^this repository has submodules: each worktree gets the submodule folders empty .* `git submodule update --init`/),
      expect.stringMatching(/^this repository uses Git LFS but git-lfs is not installed: worktrees hold the LFS pointer files/),
    ]);
  });
});

describe('a step that cannot get its worktree', () => {
  const sandbox = useSandbox('ws-bad-step');

  it('fails naming a branch of its name the user made meanwhile, and leaves that branch where it was', async () => {
    const repo = makeRepo(join(sandbox.work, 'repo'));
    const go = join(sandbox.work, 'go');
    const runId = await start(sandbox, workflowIn({ repo: 'repo' }, [shellStep(1, `until [ -e ${go} ]; do sleep 0.05; done`), shellStep(2, 'echo two', { dependencies: [1] })]));
    git(repo, 'branch', `photon/${runId}-step-2`);
    const userCommit = git(repo, 'rev-parse', `photon/${runId}-step-2`);
    writeFileSync(go, '');
    await sandbox.engine.waitForRun(runId);
    const detail = await sandbox.engine.call('runs.get', { runId });
    expect(stepOf(detail, 2)).toMatchObject({ status: 'failed', error: expect.stringMatching(/^branch photon\/\S+-step-2 already exists in .* and Photon did not make it for this run; rename or delete that branch/) });
    expect(git(repo, 'rev-parse', `photon/${runId}-step-2`)).toBe(userCommit);
    expect(existsSync(join(sandbox.dataDir, 'worktrees', runId, 'step-2'))).toBe(false);
  });

  it('fails naming a git lock its own tool left, and leaves the user repository’s lock alone', async () => {
    const repo = makeRepo(join(sandbox.work, 'repo'));
    // The user's own git is busy: Photon needs neither their index nor their checkout.
    writeFileSync(join(repo, '.git', 'index.lock'), '');
    const detail = await runToEnd(sandbox, workflowIn({ repo: 'repo' }, [shellStep(1, 'echo x > x.txt; touch "$(git rev-parse --git-path index.lock)"')]));
    expect(stepOf(detail, 1)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^its changes could not be committed in .*: another git process is using the repository \(.*index\.lock exists\); wait for it to finish, or delete that file/),
      workspace: { state: 'kept', resultCommit: null },
    });
    expect(existsSync(join(repo, '.git', 'index.lock'))).toBe(true);
  });
});

describe('without git', () => {
  let root = '';
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    removeDir(root);
  });

  it('a run with isolation is refused, saying to install git', async () => {
    root = makeTempDir('ws-no-git');
    const work = join(root, 'work');
    makeRepo(join(work, 'repo'));
    const emptyBin = join(root, 'bin');
    mkdirSync(emptyBin);
    engine = await startEngine(join(root, 'data'), { env: { PATH: emptyBin, HOME: root } });
    await expect(engine.call('runs.start', { workflow: workflowIn({ repo: 'repo' }), baseDir: work })).rejects.toThrow(/^git is not installed or not on PATH; install git/);
    expect(await engine.call('runs.list', undefined)).toEqual([]);
  });
});

/** Mounting a small tmpfs needs root (CI runs as root); elsewhere this case cannot be made. */
const canMount = process.getuid?.() === 0;

describe('a disk that fills while a worktree is checked out', () => {
  let root = '';
  let engine: Engine | undefined;
  let mounted = '';
  afterEach(async () => {
    await engine?.close();
    if (mounted) execFileSync('umount', [mounted]);
    mounted = '';
    removeDir(root);
  });

  it.skipIf(!canMount)('fails the step saying the disk is full, with no worktree, folder or branch left for it', async () => {
    root = makeTempDir('ws-disk-full');
    const work = join(root, 'work');
    const repo = makeRepo(join(work, 'repo'), { 'small.txt': 'small\n', 'big.txt': 'x'.repeat(3 * 1024 * 1024) });
    const dataDir = join(root, 'data');
    mounted = join(dataDir, 'worktrees');
    mkdirSync(mounted, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mounted]);
    engine = await startEngine(dataDir);
    const { runId } = await engine.call('runs.start', { workflow: workflowIn({ repo: 'repo' }), baseDir: work });
    await engine.waitForRun(runId);
    const detail = await engine.call('runs.get', { runId });
    expect(stepOf(detail, 1)).toMatchObject({ status: 'failed', error: expect.stringMatching(/^the disk holding .*\/worktrees\/\S+ is full \(\d+ MB free\), so the step's worktree could not be checked out; free some space/) });
    expect(stepOf(detail, 1).workspace).toBeUndefined();
    expect(photonBranches(repo)).toEqual([]);
    expect(readdirSync(join(mounted, runId))).toEqual([]);
    expect(git(repo, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
  });
});


describe('a selection of steps with a workspace', () => {
  const sandbox = useSandbox('ws-selection');

  it('is refused when a step to run would need code lent from an earlier run; running from that step works', async () => {
    makeRepo(join(sandbox.work, 'repo'));
    const workflow = workflowIn({ repo: 'repo' }, [shellStep(1, 'echo made > made.txt'), shellStep(2, 'cat made.txt', { dependencies: [1] })]);
    const first = await runToEnd(sandbox, workflow);
    expect(first.status).toBe('succeeded');
    const only = (mode: 'only' | 'from', step: number) => sandbox.engine.call('runs.start', { workflow, baseDir: sandbox.work, steps: { steps: [step], mode, outputsFrom: first.runId } });
    await expect(only('only', 2)).rejects.toThrow(
      /^step 2 depends on step 1, whose code would come from an earlier run: with a workspace, each step starts from its dependencies' commits in the same run, so run from step 1/,
    );
    expect(await sandbox.engine.call('runs.list', undefined)).toHaveLength(1);
    const { runId } = await only('from', 1);
    await sandbox.engine.waitForRun(runId);
    expect(stepOf(await sandbox.engine.call('runs.get', { runId }), 2)).toMatchObject({ status: 'succeeded', output: 'made' });
  });
});
