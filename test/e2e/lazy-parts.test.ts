// Parts of the page whose code loads when first shown (the diff viewer) and whose file cannot be
// loaded: Photon was rebuilt or updated since the page opened, so the old file's name is gone.
// The part says so in place; the page around it stays (it went blank).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRepo } from '../engine/workspaces/git-repo.js';
import { callServer } from './support/rpc.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const sandbox = mkdtempSync(join(tmpdir(), 'photon-lazy-e2e-'));
const harness = useUiHarness({ env: { HOME: sandbox, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

describe('a part of the page whose code cannot be loaded', () => {
  it('says so where the diff would be, and the run page stays', async () => {
    const repo = makeRepo(join(sandbox, 'project'));
    const { id: workflowId } = (await callServer(harness.server, 'workflows.save', {
      workflow: { name: 'Edits the notes', workflow: [{ step: 1, label: 'Edit', platform: 'shell', inputs: { command: 'echo more >> notes.txt' } }] },
    })) as { id: string };
    const { runId } = (await callServer(harness.server, 'runs.start', { workflowId, workspace: { isolation: 'worktree', repo } })) as { runId: string };

    const { context, page } = await harness.openApp();
    try {
      // As after a rebuild: the page still names the viewer's old file, which is no longer served.
      await page.route('**/assets/DiffViewer-*.js', (route) => route.fulfill({ status: 404, body: 'not found' }));
      await page.goto(`${harness.server.url}#/runs/${runId}`);
      await page.locator('.run-facts').getByText('Succeeded', { exact: true }).waitFor(ui);
      await page.getByRole('button', { name: 'Diff of the run' }).click();

      const diff = page.getByRole('region', { name: 'Diff of the run' });
      await diff.getByRole('alert').filter({ hasText: 'Could not show the diff viewer' }).waitFor(ui);
      await diff.getByRole('button', { name: 'Reload the page' }).waitFor(ui);
      expect(await page.getByRole('heading', { level: 1, name: 'Edits the notes' }).isVisible()).toBe(true);
      expect(await page.getByRole('region', { name: 'Changes' }).isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  }, 60_000);
});
