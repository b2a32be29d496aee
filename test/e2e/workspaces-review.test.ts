// Reviewing what agents did, end to end: `photon serve` with the stand-in Claude Code on its PATH
// (it writes and edits files as the real one's tools do), a real git repository in a temporary
// folder, and Chromium. Two agents run side by side in worktrees of their own; the page shows what
// each changed, their diffs and the run's, and merges the result into a branch that real git reads.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { git, makeRepo, photonBranches, tenLines } from '../engine/workspaces/git-repo.js';
import { importAndOpen, node } from './support/canvas-page.js';
import { repoRoot } from './support/photon-server.js';
import { callServer } from './support/rpc.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const sandbox = mkdtempSync(join(tmpdir(), 'photon-review-e2e-'));
const bin = join(sandbox, 'bin');
const home = join(sandbox, 'home');
for (const dir of [bin, home]) mkdirSync(dir);
symlinkSync(join(repoRoot, 'test', 'fixtures', 'tools', 'claude'), join(bin, 'claude'));

const harness = useUiHarness({
  env: {
    PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: home,
    // Stands for a stored login, so the Claude Code steps run without a key.
    PHOTON_STANDIN_LOGGED_IN: '1',
    // The repository's own config is all git reads: nothing of this machine's user.
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
  },
});

afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

const greet = 'export function greet(name: string): string {\\n  return `Hello, ${name}`;\\n}\\n';
const twoAgents = {
  name: 'Two agents edit the notes',
  workflow: [
    { step: 1, label: 'Top and greeting', platform: 'claude-code', inputs: { prompt: `Edit the top [[replace:notes.txt:line 1\\n=>line 1 by A\\n]] and add [[file:src/greet.ts=${greet}]]` } },
    { step: 2, label: 'Bottom', platform: 'claude-code', inputs: { prompt: 'Edit the bottom [[replace:notes.txt:line 10=>line 10 by B]]' } },
  ],
};

const diffRegion = (page: Page, name: string) => page.getByRole('region', { name });

describe('reviewing a run whose agents worked in worktrees', () => {
  it('shows what each step and the run changed, their diffs, and merges the result into a branch', async () => {
    const repo = makeRepo(join(sandbox, 'project'));
    git(repo, 'branch', 'release');
    const userHead = git(repo, 'rev-parse', 'HEAD');
    const { context, page } = await harness.openApp({ viewport: { width: 1280, height: 900 } });
    try {
      await importAndOpen(page, harness.filesDir, twoAgents);

      // The run dialog turns isolation on for this run: the repository and its base.
      await page.getByRole('button', { name: 'Run in worktrees…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Run in worktrees' });
      await dialog.getByLabel('Repository folder').fill(repo);
      await dialog.getByLabel('Base (branch, tag or commit)').fill('main');
      await dialog.getByRole('button', { name: 'Start run' }).click();
      await page.waitForURL(/#\/runs\/[\w-]+$/, ui);
      await page.locator('.run-facts').getByText('Succeeded', { exact: true }).waitFor({ timeout: 60_000 });
      const runId = decodeURIComponent(page.url().split('/').at(-1)!);

      // Each node says how many files its step changed, with its lines.
      await expect.poll(() => node(page, 1).locator('.step-node-code').textContent(), ui).toBe('2 files+4−1');
      await expect.poll(() => node(page, 2).locator('.step-node-code').textContent(), ui).toBe('1 file+1−1');
      // The Changes section names the branches and the run's totals.
      const changes = page.getByRole('region', { name: 'Changes' });
      await changes.getByText(`photon/${runId}`, { exact: true }).waitFor(ui);
      await changes.getByText(`photon/${runId}-step-1`, { exact: true }).waitFor(ui);
      expect(await changes.locator('.workspace-run-changes').textContent()).toBe('2 files changed, +5 −2');

      // Step 1's diff, from its node: its two files, split by default, highlighted, then unified.
      await node(page, 1).getByRole('button', { name: /^Step 1 changed 2 files/ }).click();
      const stepDiff = diffRegion(page, 'Diff of step 1: Top and greeting');
      await stepDiff.getByRole('heading', { name: /src\/greet\.ts/ }).waitFor(ui);
      await stepDiff.getByRole('heading', { name: /notes\.txt/ }).waitFor(ui);
      await expect.poll(() => stepDiff.locator('table.diff-split').count(), ui).toBe(2);
      await expect.poll(() => stepDiff.locator('.diff-code-insert').allTextContents(), ui).toContain('line 1 by A');
      // TypeScript's keywords come out as tokens: the highlighter ran.
      expect(await stepDiff.locator('.token.keyword').first().textContent()).toBe('export');
      expect(await stepDiff.textContent()).not.toContain('line 10 by B');
      await stepDiff.getByRole('button', { name: 'Unified' }).click();
      await expect.poll(() => stepDiff.locator('table.diff-unified').count(), ui).toBe(2);
      expect(await stepDiff.getByRole('button', { name: 'Unified' }).getAttribute('aria-pressed')).toBe('true');

      // The run's diff against its base holds both agents' edits of the same file.
      await changes.getByRole('button', { name: 'Diff of the run' }).click();
      const runDiff = diffRegion(page, 'Diff of the run');
      await expect.poll(() => runDiff.locator('.diff-code-insert').allTextContents(), ui).toEqual(expect.arrayContaining(['line 1 by A', 'line 10 by B']));

      // Merge: what it will do is said before it does it; then it does it, and says so.
      await changes.getByRole('button', { name: 'Merge…' }).click();
      const form = page.getByRole('form', { name: "Merge the run's result" });
      // The chooser offers the repository's branches, the run's base first chosen, never Photon's own.
      const into = form.getByLabel('Into branch');
      await expect.poll(() => into.locator('option').allTextContents(), ui).toEqual(['main', 'release']);
      expect(await into.inputValue()).toBe('main');
      await into.selectOption('release');
      await form.getByRole('radio', { name: /Fast-forward/ }).check();
      await expect.poll(() => form.locator('.review-preview').textContent(), ui).toMatch(/release/);
      expect(await form.locator('.review-preview').textContent()).not.toContain('Asking git');
      await form.getByRole('button', { name: 'Merge into release' }).click();
      const done = form.getByRole('status');
      await done.waitFor(ui);
      expect(await done.textContent()).toMatch(/^Merged into release: /);
      await expect.poll(() => changes.getByText('worktree removed').count(), ui).toBe(2);
      // The page says where the result went and no longer offers what needs its branch, also after a reload.
      const releaseHead = git(repo, 'rev-parse', 'release');
      for (const reloaded of [false, true]) {
        if (reloaded) await page.reload();
        await expect.poll(() => changes.locator('.workspace-outcome').textContent(), ui).toMatch(new RegExp(`^Merged into release at ${releaseHead.slice(0, 8)} \\(Fast-forward\\), `));
        expect(await changes.getByRole('button', { name: /^(Merge…|Open pull request…|Discard…)$/ }).count()).toBe(0);
        expect(await changes.getByRole('button', { name: 'Diff of the run' }).isEnabled()).toBe(true);
      }

      // Real git: release holds both edits and the new file; the user's main and checkout are as they were.
      expect(git(repo, 'show', 'release:notes.txt')).toBe(tenLines.replace('line 1\n', 'line 1 by A\n').replace('line 10', 'line 10 by B').trim());
      expect(git(repo, 'show', 'release:src/greet.ts')).toContain('return `Hello, ${name}`;');
      expect(git(repo, 'rev-parse', 'main')).toBe(userHead);
      expect(git(repo, 'status', '--porcelain')).toBe('');
      expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toBe(tenLines);
      expect(photonBranches(repo)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});

const setupScript = '#!/bin/sh\n# Marks the worktree as set up\necho "set up in $PHOTON_BRANCH" > .setup-ran\n';
const readsSetup = { name: 'Reads what setup made', workflow: [{ step: 1, label: 'Read the mark', platform: 'shell', inputs: { command: 'cat .setup-ran' } }] };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe("a repository's setup script", () => {
  it('is shown with its sha256 before an isolated run starts, and runs once trusted', async () => {
    const repo = makeRepo(join(sandbox, 'with-setup'), { 'notes.txt': tenLines, '.photon/setup': setupScript, '.gitignore': '.setup-ran\n' });
    const { context, page } = await harness.openApp();
    try {
      await importAndOpen(page, harness.filesDir, readsSetup);
      await page.getByRole('button', { name: 'Run in worktrees…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Run in worktrees' });
      await dialog.getByLabel('Repository folder').fill(repo);
      await dialog.getByRole('button', { name: 'Start run' }).click();

      // Not trusted yet: the script as it is, its hash, and no way to start without deciding.
      const prompt = dialog.getByRole('group', { name: 'Setup script to trust' });
      await prompt.waitFor(ui);
      expect(await prompt.getByLabel('The setup script').textContent()).toBe(setupScript);
      expect(await prompt.locator('.setup-trust-hash').textContent()).toBe(sha256(setupScript));
      expect(await dialog.getByRole('button', { name: 'Start run' }).isDisabled()).toBe(true);

      await prompt.getByRole('button', { name: 'Trust this script' }).click();
      await page.waitForURL(/#\/runs\/[\w-]+$/, ui);
      await page.locator('.run-facts').getByText('Succeeded', { exact: true }).waitFor({ timeout: 60_000 });
      await expect.poll(() => page.getByRole('log', { name: 'Output of step 1' }).textContent(), ui).toMatch(/set up in photon\/[\w-]+-step-1/);
    } finally {
      await context.close();
    }
  }, 90_000);

  it("is offered on the page of a run it stopped, and trusting it there lets the run resume", async () => {
    const repo = makeRepo(join(sandbox, 'stopped-by-setup'), { 'notes.txt': tenLines, '.photon/setup': setupScript, '.gitignore': '.setup-ran\n' });
    const { id } = (await callServer(harness.server, 'workflows.save', { workflow: readsSetup })) as { id: string };
    const { runId } = (await callServer(harness.server, 'runs.start', { workflowId: id, workspace: { isolation: 'worktree', repo } })) as { runId: string };
    const { context, page } = await harness.openApp();
    try {
      await page.goto(`${harness.server.url}#/runs/${runId}`);
      await page.locator('.run-facts').getByText('Failed', { exact: true }).waitFor({ timeout: 60_000 });
      const prompt = page.getByRole('group', { name: 'Setup script to trust' });
      await prompt.waitFor(ui);
      expect(await prompt.locator('.setup-trust-hash').textContent()).toBe(sha256(setupScript));

      await prompt.getByRole('button', { name: 'Trust this script' }).click();
      await page.getByRole('status').filter({ hasText: 'Trusted' }).getByRole('button', { name: 'Resume run' }).click();
      await page.locator('.run-facts').getByText('Succeeded', { exact: true }).waitFor({ timeout: 60_000 });
      await expect.poll(() => page.getByRole('log', { name: 'Output of step 1' }).textContent(), ui).toContain('set up in photon/');
      expect(await prompt.count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Resume run' }).count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 90_000);
});

/** Starts the two-agent workflow in worktrees of `repo` over the contract and waits for it to end. */
async function isolatedRunOf(repo: string): Promise<string> {
  const { id } = (await callServer(harness.server, 'workflows.save', { workflow: twoAgents })) as { id: string };
  const { runId } = (await callServer(harness.server, 'runs.start', { workflowId: id, workspace: { isolation: 'worktree', repo } })) as { runId: string };
  await expect.poll(async () => ((await callServer(harness.server, 'runs.get', { runId })) as { status: string }).status, { timeout: 60_000 }).toBe('succeeded');
  return runId;
}

describe("Photon's worktrees on disk", () => {
  it('are shown with their size on the home page, cleaned up keeping the branches, and a run discarded from its page', async () => {
    const repo = makeRepo(join(sandbox, 'to-clean'));
    const runId = await isolatedRunOf(repo);
    const runFolder = join(harness.dataDir, 'worktrees', runId);
    expect(existsSync(join(runFolder, 'step-1'))).toBe(true);
    const { context, page } = await harness.openApp();
    try {
      const usage = page.getByRole('region', { name: 'Worktrees' });
      await usage.getByRole('link', { name: twoAgents.name }).first().waitFor(ui);
      expect(await usage.textContent()).toMatch(/Photon’s worktrees take \d[\d.]* (B|KB|MB)/);
      const row = usage.getByRole('row').filter({ has: page.getByRole('link', { name: twoAgents.name }) }).filter({ hasText: `photon/${runId}` });
      expect(await row.getByRole('cell').nth(2).textContent()).toBe('2');

      await usage.getByRole('button', { name: /^Clean up finished runs/ }).click();
      await expect.poll(() => usage.getByRole('status').textContent(), ui).toMatch(/^Cleaned up\. Removed \d+ worktrees? and 0 branches\.$/);
      // Real files and real git: the run's worktrees are gone, its branches stay reviewable.
      expect(existsSync(join(runFolder, 'step-1'))).toBe(false);
      expect(existsSync(join(runFolder, 'step-2'))).toBe(false);
      expect(photonBranches(repo)).toEqual([`photon/${runId}`, `photon/${runId}-step-1`, `photon/${runId}-step-2`]);

      await page.goto(`${harness.server.url}#/runs/${runId}`);
      const changes = page.getByRole('region', { name: 'Changes' });
      // A pull request needs gh and a GitHub remote; this repository has no remote: refused, in words, nothing pushed.
      await changes.getByRole('button', { name: 'Open pull request…' }).click();
      const pr = page.getByRole('form', { name: 'Open a pull request' });
      expect(await pr.locator('.review-preview').textContent()).toContain(`Pushes photon/${runId} to the repository’s GitHub remote`);
      await pr.getByRole('button', { name: 'Open pull request' }).click();
      await expect.poll(() => pr.getByRole('alert').textContent(), ui).toMatch(/^Refused: .*(gh|GitHub)/);
      await pr.getByRole('button', { name: 'Cancel' }).click();

      // Discard says what goes before it goes, then removes the branches and says so.
      await changes.getByRole('button', { name: 'Discard…' }).click();
      const form = page.getByRole('form', { name: "Discard the run's changes" });
      expect(await form.locator('.review-preview').textContent()).toContain(`photon/${runId}`);
      expect(photonBranches(repo)).toHaveLength(3);
      await form.getByRole('button', { name: 'Discard the run’s changes' }).click();
      await expect.poll(() => form.getByRole('status').textContent(), ui).toBe('Discarded. Removed 0 worktrees and 3 branches.');
      expect(photonBranches(repo)).toEqual([]);
      expect(git(repo, 'status', '--porcelain')).toBe('');
    } finally {
      await context.close();
    }
  }, 120_000);
});

describe('a large diff', () => {
  it('draws a small file at once and a file of thousands of changed lines only when asked', async () => {
    const repo = makeRepo(join(sandbox, 'large'));
    const workflow = {
      name: 'Large change',
      workflow: [{ step: 1, label: 'Generate', platform: 'shell', inputs: { command: "seq 1 5000 > big.txt && sed -i 's/^line 2$/line 2 edited/' notes.txt" } }],
    };
    const { runId } = (await callServer(harness.server, 'runs.start', { workflow, workspace: { isolation: 'worktree', repo } })) as { runId: string };
    await expect.poll(async () => ((await callServer(harness.server, 'runs.get', { runId })) as { status: string }).status, { timeout: 60_000 }).toBe('succeeded');
    const { context, page } = await harness.openApp();
    try {
      await page.goto(`${harness.server.url}#/runs/${runId}`);
      await page.getByRole('region', { name: 'Changes' }).getByRole('button', { name: 'Diff of the run' }).click();
      const diff = diffRegion(page, 'Diff of the run');
      const big = diff.getByRole('region', { name: /^big\.txt/ });
      const small = diff.getByRole('region', { name: /^notes\.txt/ });
      await expect.poll(() => small.locator('.diff-code-insert').allTextContents(), ui).toEqual(['line 2 edited']);
      const show = big.getByRole('button', { name: 'Show this file’s diff (5,000 changed lines)' });
      await show.waitFor(ui);
      expect(await big.locator('table').count()).toBe(0);
      await show.click();
      await expect.poll(() => big.locator('.diff-code-insert').count(), ui).toBe(5000);
    } finally {
      await context.close();
    }
  }, 90_000);
});
