// A run whose AI steps run as ACP sessions, end to end: `photon serve` with the stand-in ACP agent
// installed as Claude Code's ACP adapter (claude-agent-acp) on its PATH (the real adapter needs its
// vendor's network), a workflow of two session steps by two saved agents, and Chromium. Both steps
// ask before they edit; the sidebar counts them, the Approvals page allows one and denies the other,
// and the run's page shows each step's conversation with its tool call and the edit's diff, the
// allowed step's edit made and the denied one refused, also after the page is loaded again.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { saveReviewerAndBuilder, useAcpHarness } from './support/acp-harness.js';
import { callServer } from './support/rpc.js';
import { ui } from './support/ui-harness.js';

const { harness, work } = useAcpHarness('run-sessions');

/** A step's card on the run page, its conversation unfolded. */
async function stepConversation(page: Page, step: number, title: string, agent: string): Promise<{ card: Locator; session: Locator }> {
  const card = page.getByRole('region', { name: `Step ${step}: ${title}` });
  const session = card.getByRole('region', { name: `Session with ${agent}` });
  await card.getByText('Conversation', { exact: true }).waitFor(ui);
  if (!(await session.isVisible())) await card.getByText('Conversation', { exact: true }).click();
  await session.waitFor(ui);
  return { card, session };
}

describe('a run with two session steps asking for permission', () => {
  it('counts both in the sidebar, allows one and denies the other from the Approvals page, and shows each step’s conversation with its tool call and diff', async () => {
    await saveReviewerAndBuilder(harness);
    const workflow = {
      name: 'Notes and plan',
      workflow: [
        { step: 1, label: 'Review the notes', agent: 'reviewer', platform: 'claude-code', inputs: { prompt: 'edit notes.txt reviewed in the run' } },
        { step: 2, label: 'Write the plan', agent: 'builder', platform: 'claude-code', inputs: { prompt: 'edit plan.txt never written' } },
      ],
    };
    const { runId } = (await callServer(harness.server, 'runs.start', { workflow, baseDir: work })) as { runId: string };
    const { context, page } = await harness.openApp({ viewport: { width: 1280, height: 900 } });
    try {
      const link = page.getByRole('navigation', { name: 'Workflows and runs' }).getByRole('link', { name: /Approvals/ });
      await link.getByText('2 waiting', { exact: true }).waitFor({ timeout: 30_000 });

      // While they wait, each step's card shows its conversation with the edit it asks to make.
      await page.goto(`${harness.server.origin}/#/runs/${encodeURIComponent(runId)}`);
      const waiting = await stepConversation(page, 1, 'Review the notes', 'Reviewer');
      await waiting.session.getByRole('article', { name: 'Tool call: Edit notes.txt' }).locator('.tool-call-status', { hasText: 'Waiting' }).waitFor(ui);
      await waiting.card.getByRole('region', { name: 'Requests of step 1' }).getByRole('link', { name: 'answer it' }).click();

      await page.getByRole('heading', { name: 'Approvals', level: 1 }).waitFor(ui);
      const notes = page.getByRole('listitem', { name: 'Reviewer wants to edit notes.txt' });
      const plan = page.getByRole('listitem', { name: 'Builder wants to edit plan.txt' });
      await notes.getByRole('heading', { name: /notes\.txt/ }).waitFor(ui);
      expect(await notes.locator('.diff-code-insert').allTextContents()).toContain('reviewed in the run');
      await notes.getByRole('button', { name: 'Allow once' }).click();
      await plan.getByRole('button', { name: 'Deny…' }).click();
      await plan.getByLabel('Message to the agent (optional)').fill('Leave the plan alone');
      await plan.getByRole('button', { name: /^Deny / }).click();
      await page.getByText('Nothing is waiting for an answer.', { exact: false }).waitFor(ui);
      await expect.poll(() => link.getByText(/waiting/).count(), ui).toBe(0);

      // The run ends; the allowed edit was made, the denied one was not.
      await expect.poll(async () => ((await callServer(harness.server, 'runs.get', { runId })) as { status: string }).status, { timeout: 30_000 }).toBe('succeeded');
      expect(readFileSync(join(work, 'notes.txt'), 'utf8')).toBe('reviewed in the run\n');
      expect(existsSync(join(work, 'plan.txt'))).toBe(false);

      // Loaded again, the run page reads the steps' conversations from where the engine keeps them.
      await page.goto(`${harness.server.origin}/#/runs/${encodeURIComponent(runId)}`);
      await page.reload();
      const allowed = await stepConversation(page, 1, 'Review the notes', 'Reviewer');
      await page.locator('#run-step-1.step-succeeded').waitFor(ui);
      const editCall = allowed.session.getByRole('article', { name: 'Tool call: Edit notes.txt' });
      await editCall.locator('.tool-call-status', { hasText: 'Done' }).waitFor(ui);
      await editCall.getByRole('heading', { name: /notes\.txt/ }).waitFor(ui);
      expect(await editCall.locator('.diff-code-insert').allTextContents()).toContain('reviewed in the run');
      expect(await editCall.locator('.diff-code-delete').allTextContents()).toContain('first draft');
      await allowed.session.getByRole('article', { name: 'Agent' }).getByText('Edited notes.txt.').waitFor(ui);
      await allowed.card.getByRole('region', { name: 'Requests of step 1' }).getByText(/Allowed once by you/).waitFor(ui);

      // The denied step: its edit a failed tool call with the diff it proposed, the agent saying it
      // was refused, the denial's message sent to it, and the record of who denied it.
      const denied = await stepConversation(page, 2, 'Write the plan', 'Builder');
      const planCall = denied.session.getByRole('article', { name: 'Tool call: Edit plan.txt' });
      await planCall.locator('.tool-call-status', { hasText: 'Failed' }).waitFor(ui);
      await planCall.getByRole('heading', { name: /plan\.txt/ }).waitFor(ui);
      expect(await planCall.locator('.diff-code-insert').allTextContents()).toContain('never written');
      await denied.session.getByRole('article', { name: 'Agent' }).getByText('I was not allowed to edit plan.txt.').waitFor(ui);
      await denied.session.getByRole('article', { name: 'You' }).getByText('Leave the plan alone').waitFor(ui);
      await denied.card.getByRole('region', { name: 'Requests of step 2' }).getByText(/Denied by you: “Leave the plan alone”/).waitFor(ui);
    } finally {
      await context.close();
    }
  }, 180_000);
});
