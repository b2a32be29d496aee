// A workflow's approval gate in the one approvals inbox, end to end: `photon serve` and Chromium.
// The run waits at the gate; the sidebar counts it, the Approvals page shows its message with
// Approve and Reject only, and Approve lets the steps after it run.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useAcpHarness } from './support/acp-harness.js';
import { callServer } from './support/rpc.js';
import { ui } from './support/ui-harness.js';

const { harness, work } = useAcpHarness('gate');

describe('an approval gate answered from the Approvals page', () => {
  it('shows the waiting gate with its message, offers Approve and Reject only, and approved, the run goes on', async () => {
    const workflow = {
      name: 'Gated deploy',
      workflow: [
        { step: 1, platform: 'shell', inputs: { command: 'echo v3' } },
        { step: 2, label: 'Release gate', platform: 'approval', inputs: { message: 'Deploy {{steps.1.output}}?' }, dependencies: [1] },
        { step: 3, platform: 'shell', inputs: { command: 'touch deployed' }, dependencies: [2] },
      ],
    };
    const { runId } = (await callServer(harness.server, 'runs.start', { workflow, baseDir: work })) as { runId: string };
    const { context, page } = await harness.openApp({ viewport: { width: 1280, height: 900 } });
    try {
      const link = page.getByRole('navigation', { name: 'Workflows and runs' }).getByRole('link', { name: /Approvals/ });
      await link.getByText('1 waiting', { exact: true }).waitFor({ timeout: 30_000 });
      await link.click();
      const gate = page.getByRole('listitem', { name: /Approval gate: Deploy v3\?/ });
      await gate.waitFor(ui);
      expect(await gate.getByRole('button').allTextContents()).toEqual(['Approve', 'Reject…']);
      // It says which workflow's run waits, not only the run's id.
      expect(await gate.getByRole('link', { name: `step 2 of Gated deploy (run ${runId})` }).count()).toBe(1);

      // Reject… opens a box for why; Escape and Back both leave it, the keyboard back on Reject….
      const reject = gate.getByRole('button', { name: 'Reject…' });
      const rejectHasFocus = () => reject.evaluate((button) => button === document.activeElement);
      for (const leave of ['Escape', 'Back'] as const) {
        await reject.focus();
        await page.keyboard.press('Enter');
        const why = gate.getByLabel('Why (optional, kept with the run)');
        await expect.poll(() => why.evaluate((box) => box === document.activeElement), ui).toBe(true);
        if (leave === 'Escape') await page.keyboard.press('Escape');
        else await gate.getByRole('button', { name: 'Back' }).click();
        await expect.poll(rejectHasFocus, ui).toBe(true);
        expect(await why.count()).toBe(0);
      }

      await gate.getByRole('button', { name: 'Approve' }).click();
      await page.getByText('Nothing is waiting for an answer.', { exact: false }).waitFor(ui);
      await expect.poll(async () => ((await callServer(harness.server, 'runs.get', { runId })) as { status: string }).status, { timeout: 30_000 }).toBe('succeeded');
      expect(existsSync(join(work, 'deployed'))).toBe(true);
    } finally {
      await context.close();
    }
  }, 120_000);
});
