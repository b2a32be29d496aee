/**
 * examples/full-stack-feature.json, the specification's example grown with a condition, a fan-out
 * and a gate, run as a user would run it: in a repository with workspaces, Claude Code played by its
 * stand-in (its real stream-json format), the gate answered from the approvals inbox.
 */
import { existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalItem } from '../../../shared/approvals.js';
import type { RunDetail } from '../../../shared/runs.js';
import { removeDir, repoRoot, stepOf } from '../helpers.js';
import { createStandInSandbox, type StandInSandbox } from '../agents/stand-in-engine.js';

const example = JSON.parse(readFileSync(join(repoRoot, 'examples', 'full-stack-feature.json'), 'utf8')) as unknown;

let sandbox: StandInSandbox;

beforeAll(async () => {
  sandbox = await createStandInSandbox('full-stack-example', { tools: ['claude'], env: { ANTHROPIC_API_KEY: 'sk-ant-test-example' } });
  // The steps run `npm test` and `npm run deploy` as the user's would: the real npm, on the sandbox's PATH.
  symlinkSync(realpathSync(join(dirname(process.execPath), 'npm')), join(sandbox.bin, 'npm'));
}, 60_000);

afterAll(async () => {
  await sandbox?.engine.close();
  if (sandbox) removeDir(sandbox.root);
});

/** A repository with two workspace packages whose test script passes or fails. */
function makeRepository(name: string, testsPass: boolean): string {
  const repo = join(sandbox.work, name);
  mkdirSync(join(repo, 'packages', 'api'), { recursive: true });
  mkdirSync(join(repo, 'packages', 'web'), { recursive: true });
  writeFileSync(
    join(repo, 'package.json'),
    JSON.stringify({
      name,
      private: true,
      workspaces: ['packages/api', 'packages/web'],
      scripts: { test: testsPass ? 'echo 12 tests passed' : 'echo "1 failing: api returns 500" && exit 1', deploy: 'echo deployed > deployed.txt' },
    }),
  );
  writeFileSync(join(repo, 'FEATURE.md'), 'Add a health endpoint.\n');
  return repo;
}

async function waitForGate(runId: string): Promise<ApprovalItem> {
  const deadline = Date.now() + 25_000;
  while (Date.now() < deadline) {
    const gate = (await sandbox.engine.call('approvals.list', { waitingOnly: true, runId })).find((item) => item.kind === 'gate');
    if (gate) return gate;
    const run = await sandbox.engine.call('runs.get', { runId });
    if (run.status !== 'running' && run.status !== 'queued') {
      throw new Error(`the run ended ${run.status} before its gate asked: ${run.steps.map((s) => `${s.step} ${s.status}${s.error ? ` (${s.error})` : ''}`).join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the deployment gate never reached the inbox');
}

async function runExample(repo: string, answer: 'once' | 'deny'): Promise<{ status: string; detail: RunDetail; gate: ApprovalItem }> {
  const { runId } = await sandbox.engine.call('runs.start', { workflow: example as never, baseDir: repo });
  const gate = await waitForGate(runId);
  await sandbox.engine.call('approvals.answer', { ids: [gate.id], answer });
  const status = await sandbox.engine.waitForRun(runId);
  return { status, detail: await sandbox.engine.call('runs.get', { runId }), gate };
}

describe('the full-stack feature example', () => {
  it('with passing tests: skips the fix by its condition, implements in each package, deploys once approved', async () => {
    const repo = makeRepository('passing', true);
    const { status, detail, gate } = await runExample(repo, 'once');

    expect(stepOf(detail, 1).output).toBe('{"packages":["packages/api","packages/web"]}');
    expect(stepOf(detail, 2)).toMatchObject({ status: 'succeeded', output: expect.stringContaining('12 tests passed') });
    expect(stepOf(detail, 3)).toMatchObject({ status: 'skipped', skipped: 'condition' });
    const fanOut = stepOf(detail, 4);
    expect(fanOut.status).toBe('succeeded');
    expect(fanOut.items).toMatchObject({ total: 2, succeeded: 2, failed: 0 });
    expect(JSON.parse(fanOut.output!)).toEqual([
      'Claude Code received: Implement the feature described in FEATURE.md in the package at packages/api (package 0), with its tests.',
      'Claude Code received: Implement the feature described in FEATURE.md in the package at packages/web (package 1), with its tests.',
    ]);
    // The gate's question carries what the fan-out produced, so the person sees what they approve.
    expect(gate.title).toContain('Deploy the feature? Packages changed: ["Claude Code received: Implement');
    expect(stepOf(detail, 5).output).toMatch(/^approved by person at /);
    expect(readFileSync(join(repo, 'deployed.txt'), 'utf8')).toBe('deployed\n');
    expect(status).toBe('succeeded');
    // Claude Code ran once per package and never for the fix.
    expect(sandbox.runs().filter((run) => run.cwd === repo)).toHaveLength(2);
  });

  it('with failing tests: Claude fixes them first, and a rejected deployment deploys nothing', async () => {
    const repo = makeRepository('failing', false);
    const { status, detail } = await runExample(repo, 'deny');

    expect(stepOf(detail, 2)).toMatchObject({ status: 'failed', attempts: 3 });
    expect(stepOf(detail, 3)).toMatchObject({ status: 'succeeded', output: expect.stringContaining('1 failing: api returns 500') });
    expect(stepOf(detail, 4).items).toMatchObject({ total: 2, succeeded: 2 });
    expect(stepOf(detail, 5)).toMatchObject({ status: 'failed', error: expect.stringMatching(/^rejected by person at /) });
    expect(stepOf(detail, 6)).toMatchObject({ status: 'skipped', skipped: 'dependency' });
    expect(existsSync(join(repo, 'deployed.txt'))).toBe(false);
    // The tests did fail: the run says so, though everything after them ran.
    expect(status).toBe('failed');
  });
});
