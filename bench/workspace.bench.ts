/**
 * `npx tsx bench/workspace.bench.ts [--files N] [--commits N] [--reps N]`: creating a step's
 * workspace (issue 15) in a repository of 10,000 files and 200 commits, beside a plain
 * `git worktree add -b` of the same commit in the same run, alternating which goes first. The
 * Photon figure is the whole of `RunWorkspaces.prepare` for a step with no dependencies: the
 * start point, the branch and worktree, a port block and the database row; measured with the
 * pool of worktrees made ahead of time (the default; refilled between measurements) and without
 * it. Prints the medians and their ratios (goal: within 1.2x of plain git and under 1 s) and
 * writes them to bench/results.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createEventBus } from '../electron/engine/events/index.js';
import { openStorage } from '../electron/engine/storage/index.js';
import { WorkspaceService } from '../electron/engine/workspaces/index.js';
import type { WorkflowStep } from '../shared/workflow.js';
import { median } from './lib/measure.js';

const { values } = parseArgs({ options: { files: { type: 'string', default: '10000' }, commits: { type: 'string', default: '200' }, reps: { type: 'string', default: '10' } } });
const fileCount = Number(values.files);
const commitCount = Number(values.commits);
const reps = Number(values.reps);

const root = mkdtempSync(join(tmpdir(), 'photon-bench-workspace-'));
const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' } as Record<string, string>;
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).trim();

function makeRepository(repo: string): void {
  mkdirSync(repo);
  git(repo, 'init', '--quiet', '--initial-branch=main');
  git(repo, 'config', 'user.name', 'Bench');
  git(repo, 'config', 'user.email', 'bench@example.com');
  const perFolder = 100;
  for (let i = 0; i < fileCount; i++) {
    const folder = join(repo, `src/m${Math.floor(i / perFolder)}`);
    if (i % perFolder === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `f${i}.ts`), `export const value${i} = ${i};\n// ${'x'.repeat(200)}\n`);
  }
  git(repo, 'add', '--all');
  git(repo, 'commit', '--quiet', '-m', 'commit 1');
  // Each later commit edits 50 files across the tree.
  for (let c = 2; c <= commitCount; c++) {
    for (let k = 0; k < 50; k++) {
      const i = (c * 97 + k * 199) % fileCount;
      writeFileSync(join(repo, `src/m${Math.floor(i / perFolder)}`, `f${i}.ts`), `export const value${i} = ${i + c};\n// commit ${c}\n`);
    }
    git(repo, 'commit', '--quiet', '-am', `commit ${c}`);
  }
}

const repo = join(root, 'repo');
const dataDir = join(root, 'data');
let started = performance.now();
makeRepository(repo);
console.log(`repository: ${fileCount} files, ${commitCount} commits, made in ${((performance.now() - started) / 1000).toFixed(1)} s`);
const base = git(repo, 'rev-parse', 'HEAD');

const storage = openStorage(dataDir);
const pooled = new WorkspaceService({ repo: storage.workspaces, events: createEventBus(), dataDir, env });
const onDemand = new WorkspaceService({ repo: storage.workspaces, events: createEventBus(), dataDir, env, poolSize: 0 });
const step: WorkflowStep = { step: 1, platform: 'shell', inputs: { command: 'true' }, dependencies: [], continueOnFailure: false };
const resolved = await pooled.resolve({ config: { repo: '.', isolation: 'worktree' }, baseDir: repo });
let runs = 0;

async function photonWorkspace(workspaces: WorkspaceService): Promise<number> {
  const runId = `bench${runs++}`;
  const now = new Date().toISOString();
  storage.runs.createRun({ id: runId, workflowId: null, workflowName: 'bench', definition: JSON.stringify({ name: 'bench', workflow: [step] }), status: 'running', concurrency: 1, baseDir: repo, owner: null, createdAt: now, startedAt: now, steps: [1] });
  storage.runs.insertAttempt({ runId, step: 1, attempt: 1, startedAt: now, outputPath: '/dev/null', process: null });
  workspaces.record(runId, resolved!);
  const run = workspaces.forRun(runId, 'bench', { name: 'bench', workflow: [step] });
  const t0 = performance.now();
  await run.prepare(step, 1);
  const ms = performance.now() - t0;
  await run.finish(step, 1, false, { agentId: null, platform: 'shell' });
  // Made ahead of time means before the next step asks, not while anything is measured.
  await workspaces.poolSettled();
  return ms;
}

function plainWorktree(rep: number): number {
  const t0 = performance.now();
  execFileSync('git', ['worktree', 'add', '--quiet', '-b', `plain/${rep}`, join(root, 'plain', String(rep)), base], { cwd: repo, env, stdio: 'ignore' });
  return performance.now() - t0;
}

// One of each first, untimed: the first checkout warms the page cache, and fills the pool.
plainWorktree(-1);
await photonWorkspace(pooled);
await photonWorkspace(onDemand);

const plain: number[] = [];
const photon: number[] = [];
const photonOnDemand: number[] = [];
for (let rep = 0; rep < reps; rep++) {
  // Each goes first in turn, so a slower moment of the machine falls on each alike.
  const order = [() => (plain.push(plainWorktree(rep)), Promise.resolve()), async () => void photon.push(await photonWorkspace(pooled)), async () => void photonOnDemand.push(await photonWorkspace(onDemand))];
  for (let i = 0; i < order.length; i++) await order[(i + rep) % order.length]!();
}
await Promise.all([pooled.close(), onDemand.close()]);
storage.close();

const result = {
  files: fileCount,
  commits: commitCount,
  reps,
  plainMedianMs: Math.round(median(plain)),
  photonMedianMs: Math.round(median(photon)),
  ratio: Number((median(photon) / median(plain)).toFixed(2)),
  onDemandMedianMs: Math.round(median(photonOnDemand)),
  onDemandRatio: Number((median(photonOnDemand) / median(plain)).toFixed(2)),
  plainMs: plain.map(Math.round),
  photonMs: photon.map(Math.round),
  onDemandMs: photonOnDemand.map(Math.round),
};
console.log(`plain git worktree add:                 median ${result.plainMedianMs} ms`);
console.log(`Photon step workspace (pool, default):  median ${result.photonMedianMs} ms (${result.ratio}x plain)`);
console.log(`Photon step workspace (no pool):        median ${result.onDemandMedianMs} ms (${result.onDemandRatio}x plain)`);
const resultsDir = join(import.meta.dirname, 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, `workspace-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), `${JSON.stringify(result, null, 2)}\n`);
started = performance.now();
rmSync(root, { recursive: true, force: true });
