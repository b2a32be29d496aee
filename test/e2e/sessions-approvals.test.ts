// Sessions and the one approvals inbox, end to end: `photon serve` with the stand-in ACP agent
// installed as Claude Code's ACP adapter (claude-agent-acp) on its PATH (the real adapter needs
// its vendor's network), two saved agents, and Chromium. Both agents ask before they act; the
// sidebar counts them, the Approvals page answers one yes and one no, and each session's page shows
// its conversation with the tool call, its status and the edit's diff.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { saveReviewerAndBuilder, useAcpHarness } from './support/acp-harness.js';
import { callServer } from './support/rpc.js';
import { ui } from './support/ui-harness.js';

const { harness, work } = useAcpHarness('sessions');

/** Opens New session from the sidebar, picks the agent, gives the folder, and sends the first message. */
async function startSession(page: Page, agent: string, message: string): Promise<string> {
  await page.getByRole('button', { name: 'New session…' }).click();
  const dialog = page.getByRole('dialog', { name: 'New session' });
  await dialog.getByLabel('Agent').selectOption({ label: agent });
  await dialog.getByLabel('Folder').fill(work);
  await dialog.getByRole('button', { name: `Start ${agent} here` }).click();
  await page.waitForURL(/#\/sessions\/[^/]+$/, ui);
  await page.getByRole('heading', { name: `Session with ${agent}`, level: 1 }).waitFor(ui);
  await page.getByRole('region', { name: `Session with ${agent}` }).locator('.session-status', { hasText: 'Ready' }).waitFor(ui);
  await page.getByLabel('Message to the agent').fill(message);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  return decodeURIComponent(page.url().split('/').at(-1)!);
}

describe('two agents asking for permission, answered from the Approvals page', () => {
  it('counts both in the sidebar, allows one and denies the other, and shows each conversation with its tool call and diff', async () => {
    await saveReviewerAndBuilder(harness);
    const { context, page } = await harness.openApp({ viewport: { width: 1280, height: 900 } });
    try {
      const writer = await startSession(page, 'Reviewer', 'edit notes.txt reviewed by the agent');
      const runner = await startSession(page, 'Builder', 'shell rm -rf build');

      // The sidebar counts both requests, whichever page is open.
      const link = page.getByRole('navigation', { name: 'Workflows and runs' }).getByRole('link', { name: /Approvals/ });
      await link.getByText('2 waiting', { exact: true }).waitFor(ui);

      // The session's own page says its request waits and leads to where it is answered.
      const sidebar = page.getByRole('navigation', { name: 'Workflows and runs' });
      await page.getByRole('region', { name: 'Session with Builder' }).locator('.session-status', { hasText: 'Waiting for your answer' }).waitFor(ui);
      await sidebar.getByRole('link', { name: /Builder/ }).getByText('Waiting for your answer').waitFor(ui);
      await sidebar.getByRole('link', { name: /Reviewer/ }).getByText('Waiting for your answer').waitFor(ui);
      const asked = page.getByRole('region', { name: 'Session with Builder' }).getByRole('region', { name: 'Permission requests' });
      await asked.getByText('Waiting for an answer', { exact: false }).waitFor(ui);
      await asked.getByRole('link', { name: 'Answer in Approvals' }).click();
      await page.waitForURL(/#\/approvals$/, ui);

      await link.click();
      await page.getByRole('heading', { name: 'Approvals', level: 1 }).waitFor(ui);
      const edit = page.getByRole('listitem', { name: 'Reviewer wants to edit notes.txt' });
      const command = page.getByRole('listitem', { name: 'Builder wants to run rm -rf build' });
      // Each shows what is in question: the edit's diff, the command line.
      await edit.getByRole('heading', { name: /notes\.txt/ }).waitFor(ui);
      expect(await edit.locator('.diff-code-insert').allTextContents()).toContain('reviewed by the agent');
      expect(await edit.locator('.diff-code-delete').allTextContents()).toContain('first draft');
      expect(await command.getByLabel('Command').textContent()).toBe('$ rm -rf build');

      await edit.getByRole('button', { name: 'Allow once' }).click();
      await command.getByRole('button', { name: 'Deny…' }).click();
      await command.getByLabel('Message to the agent (optional)').fill('Do not delete the build folder');
      await command.getByRole('button', { name: /^Deny / }).click();

      // The inbox empties, the badge goes, and the record says who answered each and how.
      await page.getByText('Nothing is waiting for an answer.', { exact: false }).waitFor(ui);
      await expect.poll(() => link.getByText(/waiting/).count(), ui).toBe(0);
      await expect.poll(() => sidebar.getByText('Waiting for your answer').count(), ui).toBe(0);
      const record = page.getByRole('region', { name: 'Answered' });
      await record.getByText('Allowed once by you').waitFor(ui);
      await record.getByText('Denied by you: “Do not delete the build folder”').waitFor(ui);

      // The allowed edit was made; the denied command was not run.
      await expect.poll(() => readFileSync(join(work, 'notes.txt'), 'utf8'), ui).toBe('reviewed by the agent\n');

      // The Reviewer's conversation: the message, the edit as a tool call that completed, its diff.
      await page.getByRole('navigation', { name: 'Workflows and runs' }).getByRole('link', { name: /Reviewer/ }).click();
      await page.waitForURL(new RegExp(`#/sessions/${encodeURIComponent(writer)}$`), ui);
      const reviewer = page.getByRole('region', { name: 'Session with Reviewer' });
      const log = reviewer.getByRole('log', { name: 'Conversation' });
      await log.getByRole('article', { name: 'You' }).getByText('edit notes.txt reviewed by the agent').waitFor(ui);
      const editCall = log.getByRole('article', { name: 'Tool call: Edit notes.txt' });
      await editCall.locator('.tool-call-status', { hasText: 'Done' }).waitFor(ui);
      await editCall.getByRole('heading', { name: /notes\.txt/ }).waitFor(ui);
      expect(await editCall.locator('.diff-code-insert').allTextContents()).toContain('reviewed by the agent');
      await log.getByRole('article', { name: 'Agent' }).getByText('Edited notes.txt.').waitFor(ui);
      await reviewer.getByRole('region', { name: 'Permission requests' }).getByText('Allowed once by you').waitFor(ui);

      // The Builder's: the command as a tool call that failed, and the agent saying it was refused.
      await page.getByRole('navigation', { name: 'Workflows and runs' }).getByRole('link', { name: /Builder/ }).click();
      await page.waitForURL(new RegExp(`#/sessions/${encodeURIComponent(runner)}$`), ui);
      const builder = page.getByRole('region', { name: 'Session with Builder' });
      const shellCall = builder.getByRole('article', { name: 'Tool call: Run rm -rf build' });
      await shellCall.locator('.tool-call-status', { hasText: 'Failed' }).waitFor(ui);
      expect(await shellCall.getByLabel('Command').textContent()).toBe('$ rm -rf build');
      await builder.getByRole('article', { name: 'Agent' }).getByText('not allowed to run rm -rf build').waitFor(ui);
      await builder.getByRole('region', { name: 'Permission requests' }).getByText('Denied by you: “Do not delete the build folder”').waitFor(ui);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('puts a run step waiting for typed input in the same inbox, and keeps the record on the step once it is typed', async () => {
    const workflow = { name: 'Deploy with a question', workflow: [{ step: 1, label: 'Ask before deploying', platform: 'shell', inputs: { command: 'printf "Deploy? "; read answer; echo "answer: $answer"' } }] };
    const { runId } = (await callServer(harness.server, 'runs.start', { workflow, baseDir: work })) as { runId: string };
    const { context, page } = await harness.openApp({ viewport: { width: 1280, height: 900 } });
    try {
      const link = page.getByRole('navigation', { name: 'Workflows and runs' }).getByRole('link', { name: /Approvals/ });
      await link.getByText('1 waiting', { exact: true }).waitFor({ timeout: 30_000 });
      await link.click();
      const waiting = page.getByRole('listitem', { name: /^Step 1 .*Ask before deploying.* waits for input in its terminal$/ });
      await waiting.getByText('It waits for your answer in its terminal').waitFor(ui);
      // It is answered in the terminal, not here: no answer buttons.
      expect(await waiting.getByRole('button', { name: 'Allow once' }).count()).toBe(0);

      await page.goto(`${harness.server.origin}/#/runs/${encodeURIComponent(runId)}`);
      const record = page.getByRole('region', { name: 'Requests of step 1' });
      await record.getByText(/waits for input in its terminal — Waiting for an answer/).waitFor(ui);
      const terminal = (await callServer(harness.server, 'terminals.forStep', { runId, step: 1 })) as { id: string };
      await callServer(harness.server, 'terminals.write', { id: terminal.id, data: 'yes\r' });
      await record.getByText(/waits for input in its terminal — Answered in its terminal/).waitFor(ui);
      await expect.poll(() => link.getByText(/waiting/).count(), ui).toBe(0);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('starts sessions from an agent’s panel, and answers two requests of one kind together', async () => {
    await callServer(harness.server, 'agents.save', { agent: { id: 'checker', name: 'Checker', tool: 'claude-code', cwd: work } });
    const { context, page } = await harness.openApp({ viewport: { width: 1280, height: 900 } });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        await page.goto(`${harness.server.origin}/#/agents`);
        await page.getByRole('region', { name: /Checker/ }).getByRole('button', { name: 'New session' }).click();
        const dialog = page.getByRole('dialog', { name: 'New session' });
        // Chosen for the agent, in its folder.
        expect(await dialog.getByLabel('Folder').inputValue()).toBe(work);
        await dialog.getByRole('button', { name: 'Start Checker here' }).click();
        await page.waitForURL(/#\/sessions\/[^/]+$/, ui);
        ids.push(decodeURIComponent(page.url().split('/').at(-1)!));
        await page.getByRole('region', { name: 'Session with Checker' }).locator('.session-status', { hasText: 'Ready' }).waitFor(ui);
        await page.getByLabel('Message to the agent').fill(`shell npm test --shard=${i + 1}`);
        await page.getByRole('button', { name: 'Send', exact: true }).click();
      }
      const link = page.getByRole('navigation', { name: 'Workflows and runs' }).getByRole('link', { name: /Approvals/ });
      await link.getByText('2 waiting', { exact: true }).waitFor(ui);
      await link.click();
      for (const shard of [1, 2]) await page.getByRole('checkbox', { name: `Select: Checker wants to run npm test --shard=${shard}` }).check();
      const batch = page.getByRole('region', { name: 'Answer the selected requests' });
      await batch.getByText('2 commands selected').waitFor(ui);
      await batch.getByRole('button', { name: 'Allow once' }).click();
      await page.getByText('Nothing is waiting for an answer.', { exact: false }).waitFor(ui);
      const answered = page.getByRole('region', { name: 'Answered' }).getByRole('listitem').filter({ hasText: 'Checker wanted to run npm test' });
      await expect.poll(() => answered.filter({ hasText: 'Allowed once by you' }).count(), ui).toBe(2);
      for (const [i, id] of ids.entries()) {
        await page.goto(`${harness.server.origin}/#/sessions/${encodeURIComponent(id)}`);
        const session = page.getByRole('region', { name: 'Session with Checker' });
        await session.getByRole('article', { name: `Tool call: Run npm test --shard=${i + 1}` }).locator('.tool-call-status', { hasText: 'Done' }).waitFor(ui);
        await session.getByRole('article', { name: 'Agent' }).getByText(`ran npm test --shard=${i + 1}`).waitFor(ui);
      }
    } finally {
      await context.close();
    }
  }, 120_000);

  it('queues a follow-up while a turn runs, stops the turn without ending the session, then sends it', async () => {
    const { context, page } = await harness.openApp({ viewport: { width: 1280, height: 900 } });
    try {
      await page.getByRole('button', { name: 'New session…' }).click();
      const dialog = page.getByRole('dialog', { name: 'New session' });
      await dialog.getByLabel('Agent').selectOption({ label: 'Claude Code' });
      await dialog.getByLabel('Folder').fill(work);
      await dialog.getByRole('button', { name: 'Start Claude Code here' }).click();
      const session = page.getByRole('region', { name: 'Session with claude-code' });
      await session.locator('.session-status', { hasText: 'Ready' }).waitFor(ui);
      // Enter makes a new line; the box says which keys send, and they do.
      const box = page.getByLabel('Message to the agent');
      expect(await box.getAttribute('placeholder')).toBe('Message the agent… (Ctrl+Enter sends)');
      await box.fill('slow');
      await box.press('Control+Enter');

      // While the agent writes, the button queues, and Stop turn is offered.
      await session.locator('.session-status', { hasText: 'Working' }).waitFor(ui);
      await session.getByText(/tick 3 /).waitFor(ui);
      expect(await box.getAttribute('placeholder')).toBe('A follow-up, sent when this turn ends… (Ctrl+Enter queues it)');
      await page.getByLabel('Message to the agent').fill('thanks, that is enough');
      await page.getByRole('button', { name: 'Queue', exact: true }).click();
      await session.getByLabel('Queued messages').getByText('thanks, that is enough').waitFor(ui);

      await session.getByRole('button', { name: 'Stop turn' }).click();
      await session.getByText('Turn stopped', { exact: true }).waitFor(ui);
      // The session lives on: the queued message goes next, and the agent answers it.
      await session.getByRole('article', { name: 'Agent' }).getByText('you said: thanks, that is enough').waitFor(ui);
      await session.locator('.session-status', { hasText: 'Ready' }).waitFor(ui);
      expect(await session.getByLabel('Queued messages').count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 120_000);
});
