// A workflow drawn and saved on the canvas (in Chromium, against `photon serve`) and exported to
// a file runs unchanged with the real command line: `node bin/photon.js run FILE`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDiamond, clickEmptyCanvas, node, openOneStepWorkflow } from '../../e2e/support/canvas-page.js';
import { ui, useUiHarness } from '../../e2e/support/ui-harness.js';
import { savedDownload } from '../../e2e/support/chromium.js';
import { photon, tempFolder } from './helpers.js';

const harness = useUiHarness();

describe('a workflow saved on the canvas', () => {
  it('runs with photon run as exported, layout and all', async () => {
    const { context, page } = await harness.openApp({ viewport: { width: 1800, height: 1000 }, acceptDownloads: true });
    const temp = tempFolder();
    try {
      await openOneStepWorkflow(page, harness.filesDir, 'Drawn on the canvas');
      await buildDiamond(page);
      // The join uses both branches' output, picked from the inspector's completion.
      await node(page, 4).click();
      const command = page.getByRole('complementary', { name: 'Inspector' }).getByRole('combobox', { name: 'Command' });
      await command.fill('echo "joined ');
      await command.pressSequentially('{{steps.2');
      await command.press('Enter');
      await command.pressSequentially(' and ');
      await command.pressSequentially('{{steps.3');
      await command.press('Enter');
      await command.pressSequentially('"');
      await expect.poll(() => command.inputValue(), ui).toBe('echo "joined {{steps.2.output}} and {{steps.3.output}}"');
      await clickEmptyCanvas(page);
      await page.keyboard.press('Control+s');
      await page.getByText('Saved', { exact: true }).waitFor(ui);

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export', exact: true }).click()]);
      const file = await savedDownload(download);
      const exported = JSON.parse(readFileSync(file, 'utf8')) as { name: string; metadata: { layout: { positions: Record<string, unknown> } } };
      expect(exported.name).toBe('Drawn on the canvas');
      expect(Object.keys(exported.metadata.layout.positions)).toEqual(['1', '2', '3', '4']);

      const result = await photon(['run', file, '--json', '--data-dir', temp.dataDir]);
      expect(result.code).toBe(0);
      const run = JSON.parse(result.stdout) as { status: string; steps: { step: number; status: string; output: string }[] };
      expect(run.status).toBe('succeeded');
      expect(run.steps.map((s) => [s.step, s.status])).toEqual([
        [1, 'succeeded'],
        [2, 'succeeded'],
        [3, 'succeeded'],
        [4, 'succeeded'],
      ]);
      expect(run.steps.find((s) => s.step === 4)?.output).toBe('joined step 2 and step 3');
    } finally {
      await context.close();
      temp.cleanup();
    }
  }, 90_000);
});
