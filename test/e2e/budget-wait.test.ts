// A budget reached mid-run, end to end: `photon serve` with the Claude Code stand-in as its only AI
// tool, and Chromium. The run page says the next step waits for the user's OK and links to
// Approvals, where the question offers Approve and Reject only; approved, the run goes on. The
// Settings page shows and saves the cap on AI agents running at once.
import { describe, expect, it } from 'vitest';
import { callServer } from './support/rpc.js';
import { promptStep as prompt, standInClaudeHome } from './support/stand-in-claude.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const { work, env } = standInClaudeHome('budget-e2e', 1);
const harness = useUiHarness({ env });

describe('a budget reached mid-run, in the app', () => {
  it('the run page says the step waits for your OK; approved in Approvals, the run goes on', async () => {
    const workflow = { name: 'Budgeted', budget: { costUsd: 0.01 }, workflow: [prompt(1, 'Plan'), prompt(2, 'Build', [1])] };
    const { runId } = (await callServer(harness.server, 'runs.start', { workflow, baseDir: work })) as { runId: string };
    const { context, page } = await harness.openApp({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(`${page.url().split('#')[0]}#/runs/${runId}`);
      const waiting = page.getByRole('status').filter({ hasText: 'Waiting for your OK: a budget is reached.' });
      await waiting.waitFor({ timeout: 30_000 });
      await waiting.getByRole('link', { name: 'Approvals' }).click();
      const question = page.getByRole('listitem', { name: /Budget: The run's budget is reached: \$0\.0123 of \$0\.0100 spent/ });
      await question.waitFor(ui);
      expect(await question.getByRole('button').allTextContents()).toEqual(['Approve', 'Reject…']);
      await question.getByRole('button', { name: 'Approve' }).click();
      await expect.poll(async () => ((await callServer(harness.server, 'runs.get', { runId })) as { status: string }).status, { timeout: 30_000 }).toBe('succeeded');
    } finally {
      await context.close();
    }
  }, 120_000);

  it('Settings shows the cap on AI agents at once and saves a new one', async () => {
    const { context, page } = await harness.openApp();
    try {
      await page.goto(`${page.url().split('#')[0]}#/settings`);
      const section = page.getByRole('region', { name: 'AI agents at once' });
      await section.getByText(/of \d+ \(the default: this machine's \d+ CPU cores\)/).waitFor(ui);
      await section.getByRole('spinbutton', { name: 'Maximum' }).fill('3');
      await section.getByRole('button', { name: 'Save' }).click();
      await section.getByText('0 running now, of 3 (saved here)').waitFor(ui);
      expect(await callServer(harness.server, 'agents.cap', undefined)).toMatchObject({ maxAgents: 3, source: 'saved' });
    } finally {
      await context.close();
    }
  }, 120_000);
});
