/**
 * Steps in their own git worktrees, with real git in temporary repositories and the stand-in AI
 * CLIs editing files: parallel steps don't see each other, a join step starts from the merge of
 * their results, conflicts fail the join (or are handed to it), each success is one commit, and
 * the user's working tree and branches are never touched.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunDetail } from '../../../shared/runs.js';
import { stepOf } from '../helpers.js';
import { useStandInSandbox, type StandInSandbox } from '../agents/stand-in-engine.js';
import { git, makeRepo, parentsOf, photonBranches, tenLines } from './git-repo.js';

const claude = (step: number, prompt: string, extra: Record<string, unknown> = {}) => ({ step, label: `Claude ${step}`, platform: 'claude-code', inputs: { prompt }, dependencies: [] as number[], ...extra });
const shell = (step: number, command: string, extra: Record<string, unknown> = {}) => ({ step, platform: 'shell', inputs: { command }, dependencies: [] as number[], ...extra });

async function run(sandbox: StandInSandbox, steps: Record<string, unknown>[]): Promise<RunDetail> {
  const workflow = { name: 'workspaces', workspace: { repo: 'repo' }, workflow: steps };
  const { runId } = await sandbox.engine.call('runs.start', { workflow, baseDir: sandbox.work });
  await sandbox.engine.waitForRun(runId);
  return sandbox.engine.call('runs.get', { runId });
}

describe('two AI steps in parallel, editing the same file', () => {
  const sandbox = useStandInSandbox('ws-parallel', { env: { ANTHROPIC_API_KEY: 'sk-ant-test' }, tools: ['claude'] });

  it('each edit in its own worktree, the join sees both, and the user repository is as it was', async () => {
    const repo = makeRepo(join(sandbox.current.work, 'repo'));
    const userHead = git(repo, 'rev-parse', 'HEAD');
    const detail = await run(sandbox.current, [
      claude(1, 'Top [[replace:notes.txt:line 1\\n=>line 1 by A\\n]]'),
      claude(2, 'Bottom [[replace:notes.txt:line 10=>line 10 by B]]'),
      shell(3, 'cat notes.txt', { dependencies: [1, 2] }),
    ]);
    expect(detail.steps.map((s) => [s.step, s.status, s.error])).toEqual([1, 2, 3].map((s) => [s, 'succeeded', null]));
    expect(detail.status).toBe('succeeded');
    const [one, two, join3] = [stepOf(detail, 1), stepOf(detail, 2), stepOf(detail, 3)];

    // The join's folder held both edits.
    expect(join3.output).toContain('line 1 by A');
    expect(join3.output).toContain('line 10 by B');
    // Each AI step ran in its own worktree, which held only its own edit.
    const runs = sandbox.current.runs().filter((r) => r.tool === 'claude');
    const cwdOf = (prompt: string) => runs.find((r) => r.argv.some((a) => a.startsWith(prompt)))!.cwd;
    expect(cwdOf('Top')).toBe(one.workspace!.path);
    expect(cwdOf('Bottom')).toBe(two.workspace!.path);
    expect(one.workspace!.path).toBe(join(sandbox.current.dataDir, 'worktrees', detail.runId, 'step-1'));
    expect(readFileSync(join(one.workspace!.path, 'notes.txt'), 'utf8')).not.toContain('by B');
    expect(readFileSync(join(two.workspace!.path, 'notes.txt'), 'utf8')).not.toContain('by A');

    // One commit per step that changed something, with its title, agent and tool.
    expect(one.workspace).toMatchObject({ state: 'committed', branch: `photon/${detail.runId}-step-1`, baseCommit: userHead, changes: { filesChanged: 1, linesAdded: 1, linesRemoved: 1 } });
    expect(parentsOf(repo, one.workspace!.resultCommit!)).toEqual([userHead]);
    const message = git(repo, 'log', '-1', '--format=%B', `photon/${detail.runId}-step-1`);
    expect(message).toMatch(/^Claude 1\n/);
    expect(message).toContain('Agent: none');
    expect(message).toContain('Tool: Claude Code');
    // The join changed nothing: it passes its starting point (the merge of both) on.
    expect(join3.workspace).toMatchObject({ state: 'unchanged', changes: { filesChanged: 0 } });
    expect(join3.workspace!.resultCommit).toBe(join3.workspace!.baseCommit);
    expect(parentsOf(repo, join3.workspace!.baseCommit).sort()).toEqual([one.workspace!.resultCommit, two.workspace!.resultCommit].sort());

    // The run's result branch has both edits.
    expect(detail.workspace).toMatchObject({ repo, baseRef: 'main', baseCommit: userHead, branch: `photon/${detail.runId}`, error: null, changes: { filesChanged: 1, linesAdded: 2, linesRemoved: 2 } });
    expect(git(repo, 'show', `photon/${detail.runId}:notes.txt`)).toBe(tenLines.replace('line 1\n', 'line 1 by A\n').replace('line 10', 'line 10 by B').trim());
    expect(photonBranches(repo)).toEqual([`photon/${detail.runId}`, ...[1, 2, 3].map((s) => `photon/${detail.runId}-step-${s}`)]);

    // The user's checkout: same branch, same commit, same files, nothing staged.
    expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(userHead);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toBe(tenLines);
  });

  it("announces each step's worktree as it is made and ends, and the run's result branch", async () => {
    makeRepo(join(sandbox.current.work, 'repo'));
    const states: string[] = [];
    const results: (string | null)[] = [];
    const offStep = sandbox.current.engine.on('step.updated', ({ step }) => {
      const last = states.at(-1);
      const now = step.workspace ? `${step.status}/${step.workspace.state}` : `${step.status}/-`;
      if (now !== last) states.push(now);
    });
    const offRun = sandbox.current.engine.on('workspace.updated', ({ workspace }) => results.push(workspace.resultCommit));
    const detail = await run(sandbox.current, [claude(1, 'Edit [[file:a.txt=a]]')]);
    offStep();
    offRun();
    expect(states).toEqual(['running/-', 'running/active', 'succeeded/committed']);
    expect(results).toEqual([detail.workspace!.resultCommit]);
    expect(detail.workspace!.resultCommit).toBe(stepOf(detail, 1).workspace!.resultCommit);
  });

  it('gives steps running at once their own worktree, branch and disjoint blocks of 10 ports', async () => {
    makeRepo(join(sandbox.current.work, 'repo'));
    const meet = join(sandbox.current.work, 'meet');
    // Each step waits until all three are running, so their blocks are held at the same time.
    const together = `mkdir -p ${meet} && touch ${meet}/$PHOTON_BRANCH_NAME_SAFE; n=0; until [ $(ls ${meet} | wc -l) -ge 3 ] || [ $n -ge 600 ]; do sleep 0.05; n=$((n+1)); done; printf '%s %s %s' "$PHOTON_PORT_BASE" "$PHOTON_BRANCH" "$PHOTON_WORKTREE"`;
    const step = (n: number) => shell(n, together.replace('$PHOTON_BRANCH_NAME_SAFE', `step-${n}`));
    const detail = await run(sandbox.current, [step(1), step(2), step(3)]);
    expect(detail.status).toBe('succeeded');
    const bases: number[] = [];
    for (const s of detail.steps) {
      const [port, branch, worktree] = s.output!.split(' ');
      expect({ port: Number(port), branch, worktree }).toEqual({ port: s.workspace!.portBase, branch: s.workspace!.branch, worktree: s.workspace!.path });
      bases.push(Number(port));
    }
    bases.sort((a, b) => a - b);
    for (let i = 1; i < bases.length; i++) expect(bases[i]! - bases[i - 1]!).toBeGreaterThanOrEqual(10);
    expect(new Set(detail.steps.map((s) => s.workspace!.path)).size).toBe(3);
  });

  it('gives each of twelve steps starting together its worktree (git dies reading a worktree record another git is writing; Photon tries again)', async () => {
    makeRepo(join(sandbox.current.work, 'repo'));
    const steps = Array.from({ length: 12 }, (_, i) => shell(i + 1, `echo ${i + 1} > s${i + 1}.txt`));
    const { runId } = await sandbox.current.engine.call('runs.start', { workflow: { name: 'many', workspace: { repo: 'repo' }, workflow: steps }, baseDir: sandbox.current.work, concurrency: 12 });
    await sandbox.current.engine.waitForRun(runId);
    const detail = await sandbox.current.engine.call('runs.get', { runId });
    expect(detail.steps.map((s) => [s.step, s.status, s.error])).toEqual(steps.map((s) => [s.step, 'succeeded', null]));
    expect(git(join(sandbox.current.work, 'repo'), 'ls-tree', '--name-only', `photon/${runId}`).split('\n').filter((f) => f.startsWith('s')).length).toBe(12);
  });
});
