// Steps that wait on a run's canvas, end to end: `photon serve` with the Claude Code stand-in as its
// only AI tool, and Chromium. A ready step held by the cap on AI agents at once, or by a budget,
// says so on its node with a link to where that is decided, and stops saying it once it runs.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { node } from './support/canvas-page.js';
import { callServer } from './support/rpc.js';
import { promptStep as prompt, standInClaudeHome } from './support/stand-in-claude.js';
import { ui, useUiHarness } from './support/ui-harness.js';

// Slow enough streaming that a held step is seen waiting while the other one runs.
const { work, env } = standInClaudeHome('canvas-waiting-e2e', 300);
const harness = useUiHarness({ env });

async function openRun(page: Page, runId: string) {
  await page.goto(`${page.url().split('#')[0]}#/runs/${runId}`);
  const canvas = page.getByRole('region', { name: 'Run canvas' });
  await node(canvas, 1).waitFor(ui);
  return canvas;
}

describe('a waiting step on the run canvas', () => {
  it('says it waits for an agent slot, links to the cap, and runs when one frees', async () => {
    await callServer(harness.server, 'agents.setCap', { maxAgents: 1 });
    const { context, page } = await harness.openApp({ viewport: { width: 1400, height: 1000 } });
    try {
      const workflow = { name: 'Two at once', workflow: [prompt(1, 'Left'), prompt(2, 'Right')] };
      const { runId } = (await callServer(harness.server, 'runs.start', { workflow, baseDir: work })) as { runId: string };
      const canvas = await openRun(page, runId);
      const note = canvas.locator('.waiting-note[data-waiting="agent-cap"]');
      await note.waitFor({ timeout: 30_000 });
      expect(await note.textContent()).toContain('Waiting for a free agent slot');
      expect(await note.getByRole('link', { name: 'The cap, in Settings' }).getAttribute('href')).toBe('#/settings');
      await expect.poll(async () => ((await callServer(harness.server, 'runs.get', { runId })) as { status: string }).status, { timeout: 60_000 }).toBe('succeeded');
      await note.waitFor({ ...ui, state: 'detached' });
    } finally {
      await context.close();
      await callServer(harness.server, 'agents.setCap', { maxAgents: null });
    }
  }, 120_000);

  it('says it waits for your OK on a budget, and its link leads to the question in Approvals', async () => {
    const { context, page } = await harness.openApp({ viewport: { width: 1400, height: 1000 } });
    try {
      const workflow = { name: 'Budgeted canvas', budget: { costUsd: 0.01 }, workflow: [prompt(1, 'Plan'), prompt(2, 'Build', [1])] };
      const { runId } = (await callServer(harness.server, 'runs.start', { workflow, baseDir: work })) as { runId: string };
      const canvas = await openRun(page, runId);
      const note = node(canvas, 2).locator('.waiting-note[data-waiting="budget"]');
      await note.waitFor({ timeout: 30_000 });
      expect(await note.textContent()).toContain('Waiting for your OK: a budget is reached.');
      await note.getByRole('link', { name: 'Answer in Approvals' }).click();
      await page.getByRole('listitem', { name: /Budget: The run's budget is reached/ }).getByRole('button', { name: 'Approve' }).click();
      await expect.poll(async () => ((await callServer(harness.server, 'runs.get', { runId })) as { status: string }).status, { timeout: 30_000 }).toBe('succeeded');
    } finally {
      await context.close();
    }
  }, 120_000);
});
