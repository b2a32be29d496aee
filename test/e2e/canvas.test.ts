// The workflow canvas end to end: `photon serve` with a temporary data folder, driven in Debian's
// Chromium the way a user drives it: drag from the palette, connect handles, save, run, undo.
import { existsSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { buildDiamond, clickEmptyCanvas, connect, diamondEdges, drawnGraph, edge, edgeMoves, importAndOpen, movingEdges, node, openOneStepWorkflow as openOneStep } from './support/canvas-page.js';
import { shownTerminalText, terminalLines, typeInTerminal } from './support/terminal-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';
import { savedDownload } from './support/chromium.js';

// `read -p` is bash's: steps run in $SHELL, which the server inherits.
if (existsSync('/bin/bash')) process.env.SHELL = '/bin/bash';

const harness = useUiHarness();
const openApp = () => harness.openApp({ viewport: { width: 1800, height: 1000 }, acceptDownloads: true });
const openOneStepWorkflow = (page: Page, name: string) => openOneStep(page, harness.filesDir, name);

describe('the workflow canvas', () => {
  it('builds a diamond from the palette, refuses a cycle, saves it and shows it again after a reload', async () => {
    const { context, page } = await openApp();
    try {
      await openOneStepWorkflow(page, 'Diamond');
      // The palette offers the step kinds the engine runs: the shell and the AI tools.
      for (const platform of ['shell', 'claude-code', 'codex', 'aider']) {
        await expect.poll(() => page.locator(`.palette-item[data-platform="${platform}"]`).isEnabled(), ui).toBe(true);
      }

      await buildDiamond(page);
      expect((await drawnGraph(page)).nodes).toEqual(['1', '2', '3', '4']);

      // 4 → 1 would close a cycle: refused, with the reason on screen, and no edge drawn.
      await connect(page, 4, 1);
      await page.getByRole('alert').filter({ hasText: 'would close a cycle' }).waitFor(ui);
      expect(await page.getByRole('alert').filter({ hasText: 'would close a cycle' }).textContent()).toContain('1 → 2 → 4 → 1');
      // Joining the same two steps again is refused too.
      await connect(page, 1, 2);
      await page.getByRole('alert').filter({ hasText: 'Step 2 already depends on step 1.' }).waitFor(ui);
      expect((await drawnGraph(page)).edges).toEqual(diamondEdges);

      await page.getByText('Unsaved changes').waitFor(ui);
      await clickEmptyCanvas(page);
      await page.keyboard.press('Control+s');
      await page.getByText('Saved', { exact: true }).waitFor(ui);

      await page.reload();
      await node(page, 4).waitFor(ui);
      await expect.poll(async () => drawnGraph(page), ui).toEqual({ nodes: ['1', '2', '3', '4'], edges: diamondEdges });
      // The list view shows the same dependencies.
      expect(await page.getByRole('row', { name: /Shell 4/ }).textContent()).toContain('step 2, step 3');
    } finally {
      await context.close();
    }
  }, 90_000);

  it('runs the workflow and shows every node turn succeeded', async () => {
    const { context, page } = await openApp();
    try {
      await openOneStepWorkflow(page, 'Watched diamond');
      await buildDiamond(page);
      // A double click starts one run.
      await page.getByRole('button', { name: 'Run here' }).dblclick();
      for (const step of [1, 2, 3, 4]) {
        await expect.poll(() => node(page, step).locator('.step-node').getAttribute('data-status'), ui).toBe('succeeded');
        // Status in words and a symbol, not colour alone.
        await node(page, step).getByText('Succeeded').waitFor(ui);
      }
      // The sidebar: the workflow and its one run.
      expect(await page.getByRole('link', { name: /^Watched diamond / }).count()).toBe(2);
      await node(page, 4).getByRole('button', { name: 'Output' }).click();
      await expect.poll(() => page.getByRole('region', { name: 'Output of step 4' }).textContent(), ui).toContain('step 4');
    } finally {
      await context.close();
    }
  }, 90_000);

  it('undoes and redoes a delete', async () => {
    const { context, page } = await openApp();
    try {
      await openOneStepWorkflow(page, 'Undo diamond');
      await buildDiamond(page);
      await node(page, 2).click();
      await page.keyboard.press('Delete');
      await expect.poll(async () => drawnGraph(page), ui).toEqual({ nodes: ['1', '3', '4'], edges: ['1->3', '3->4'] });
      await page.keyboard.press('Control+z');
      await expect.poll(async () => drawnGraph(page), ui).toEqual({ nodes: ['1', '2', '3', '4'], edges: diamondEdges });
      await page.keyboard.press('Control+Shift+z');
      await expect.poll(async () => drawnGraph(page), ui).toEqual({ nodes: ['1', '3', '4'], edges: ['1->3', '3->4'] });

      // The context menu deletes an edge.
      await edge(page, 3, 4).click({ button: 'right', force: true });
      await page.getByRole('menuitem', { name: /Delete dependency/ }).click();
      await expect.poll(async () => (await drawnGraph(page)).edges, ui).toEqual(['1->3']);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('imports an exported file and gets the same graph', async () => {
    const { context, page } = await openApp();
    try {
      await openOneStepWorkflow(page, 'Exported diamond');
      await buildDiamond(page);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export', exact: true }).click()]);
      const path = await savedDownload(download);
      const exported = JSON.parse(readFileSync(path, 'utf8')) as { workflow: { step: number; dependencies: number[] }[]; metadata: { layout: { positions: object } } };
      expect(exported.workflow.map((s) => [s.step, s.dependencies])).toEqual([[1, []], [2, [1]], [3, [1]], [4, [2, 3]]]);
      expect(Object.keys(exported.metadata.layout.positions)).toEqual(['1', '2', '3', '4']);

      // Into another workflow's canvas: the same steps, edges and places. The diamond was only
      // exported, never saved: leaving it is confirmed.
      page.once('dialog', (dialog) => void dialog.accept());
      await openOneStepWorkflow(page, 'Import target');
      await page.getByLabel('Import into the canvas').setInputFiles(path);
      await expect.poll(async () => drawnGraph(page), ui).toEqual({ nodes: ['1', '2', '3', '4'], edges: diamondEdges });
      await page.getByRole('button', { name: 'Undo', exact: true }).waitFor(ui);
      // Each node where the file put it (positions are stored rounded to whole pixels).
      const places = await page.evaluate(() =>
        Object.fromEntries(
          [...document.querySelectorAll<HTMLElement>('.react-flow__node')].map((n) => {
            const [x, y] = [...n.style.transform.matchAll(/-?[\d.]+/g)].map((m) => Math.round(Number(m[0])));
            return [n.getAttribute('data-id'), { x, y }];
          }),
        ),
      );
      expect(places).toEqual(exported.metadata.layout.positions);
    } finally {
      await context.close();
    }
  }, 90_000);
});

/** Step 2 waits for an answer typed into its terminal. */
const askWorkflow = {
  name: 'Ask on the canvas',
  workflow: [
    { step: 1, label: 'Prepare', platform: 'shell', inputs: { command: 'echo ready' } },
    { step: 2, label: 'Ask a name', platform: 'shell', dependencies: [1], inputs: { command: 'read -p "name? " n; echo "hi $n"' } },
  ],
};

/** A release that half fails: step 2 fails twice (it may retry once), so 4 is skipped. Placed by the canvas. */
const halfReleaseWorkflow = {
  name: 'Half a release',
  workflow: [
    { step: 1, label: 'Build', platform: 'shell', inputs: { command: 'echo built' } },
    { step: 2, label: 'Flaky tests', platform: 'shell', dependencies: [1], inputs: { command: 'echo "2 tests failed"; exit 3' }, retryPolicy: { maxAttempts: 2, initialIntervalMs: 10 } },
    { step: 3, label: 'Lint', platform: 'shell', dependencies: [1], inputs: { command: 'echo lint ok' } },
    { step: 4, label: 'Ship', platform: 'shell', dependencies: [2, 3], inputs: { command: 'echo shipped' } },
  ],
  metadata: { layout: { positions: { '1': { x: 0, y: 120 }, '2': { x: 320, y: 0 }, '3': { x: 320, y: 240 }, '4': { x: 640, y: 120 } } } },
};

const statusOf = (page: Page, step: number) => node(page, step).locator('.step-node').getAttribute('data-status');

/** Each drawn node's place in flow coordinates, from its transform. */
function nodePlaces(page: Page): Promise<Record<string, { x: number; y: number }>> {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll<HTMLElement>('.react-flow__node')].map((n) => {
        const [x, y] = [...n.style.transform.matchAll(/-?[\d.]+/g)].map((m) => Math.round(Number(m[0])));
        return [n.getAttribute('data-id'), { x, y }];
      }),
    ),
  );
}

describe('runs on the canvas', () => {
  it('opens a running step’s terminal from its node on the workflow canvas and answers it there', async () => {
    const { context, page } = await openApp();
    try {
      await importAndOpen(page, harness.filesDir, askWorkflow);
      await page.getByRole('button', { name: 'Run here' }).click();
      await expect.poll(() => statusOf(page, 2), ui).toBe('running');
      await expect.poll(() => edgeMoves(page, 1, 2), ui).toBe(true);

      await node(page, 2).getByRole('button', { name: 'Terminal' }).click();
      const tab = page.getByRole('tab', { selected: true });
      await expect.poll(() => tab.textContent(), ui).toMatch(/Step 2 · attempt 1.*running/);
      await expect.poll(() => shownTerminalText(page), ui).toContain('name? ');
      await typeInTerminal(page, 'Grace\n');

      await expect.poll(() => statusOf(page, 2), ui).toBe('succeeded');
      await expect.poll(async () => terminalLines(await shownTerminalText(page)), ui).toContain('hi Grace');
      await expect.poll(() => edgeMoves(page, 1, 2), ui).toBe(false);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('shows a running step’s output from its node on the workflow canvas, what it printed so far and as it prints', async () => {
    const { context, page } = await openApp();
    try {
      const ticker = { step: 1, label: 'Ticker', platform: 'shell', inputs: { command: "echo 'tick 1'; read -r _; echo 'tick 2'; read -r _" } };
      await importAndOpen(page, harness.filesDir, { name: 'Ticking', workflow: [ticker] });
      await page.getByRole('button', { name: 'Run here' }).click();
      await expect.poll(() => statusOf(page, 1), ui).toBe('running');

      // Opened after the step printed its first line: that line is there.
      await node(page, 1).getByRole('button', { name: 'Terminal' }).click();
      await expect.poll(() => shownTerminalText(page), ui).toContain('tick 1');
      await node(page, 1).getByRole('button', { name: 'Show output of step 1' }).click();
      const output = page.getByRole('region', { name: 'Output of step 1' }).getByRole('log');
      await expect.poll(() => output.textContent(), ui).toContain('tick 1');

      // And what it prints while the panel is open comes in.
      await typeInTerminal(page, '\n');
      await expect.poll(() => output.textContent(), ui).toContain('tick 2');
      expect(await statusOf(page, 1)).toBe('running');
      await typeInTerminal(page, '\n');
      await expect.poll(() => statusOf(page, 1), ui).toBe('succeeded');
    } finally {
      await context.close();
    }
  }, 90_000);

  it('draws a live run on its own page: the edge into the running step moves and the node opens its terminal', async () => {
    const { context, page } = await openApp();
    try {
      await importAndOpen(page, harness.filesDir, { ...askWorkflow, name: 'Ask on the run page' });
      await page.getByRole('button', { name: 'Run workflow' }).click();
      await page.waitForURL(/#\/runs\/[\w-]+$/, ui);
      const runCanvas = page.getByRole('region', { name: 'Run canvas' });
      await node(runCanvas, 2).waitFor(ui);
      expect(await drawnGraph(page)).toEqual({ nodes: ['1', '2'], edges: ['1->2'] });
      await expect.poll(() => statusOf(page, 2), ui).toBe('running');
      await expect.poll(() => edgeMoves(runCanvas, 1, 2), ui).toBe(true);
      await node(runCanvas, 1).getByText('1 attempt').waitFor(ui);

      await node(runCanvas, 2).getByRole('button', { name: 'Terminal' }).click();
      await expect.poll(() => page.getByRole('tab', { selected: true }).textContent(), ui).toMatch(/Step 2 · attempt 1.*running/);
      await expect.poll(() => shownTerminalText(page), ui).toContain('name? ');
      await typeInTerminal(page, 'Ada\n');

      await expect.poll(() => statusOf(page, 2), ui).toBe('succeeded');
      await node(runCanvas, 2).getByText('Succeeded').waitFor(ui);
      await expect.poll(() => edgeMoves(runCanvas, 1, 2), ui).toBe(false);
      // The step cards stay below the canvas, with the same answer in the output.
      await expect.poll(() => page.getByRole('log', { name: 'Output of step 2' }).textContent(), ui).toContain('hi Ada');
    } finally {
      await context.close();
    }
  }, 90_000);

  it('opens a past run as the run left it: final states, attempts, places; read-only; a node opens its output', async () => {
    const { context, page } = await openApp();
    try {
      await importAndOpen(page, harness.filesDir, halfReleaseWorkflow);
      await page.getByRole('button', { name: 'Run workflow' }).click();
      await page.waitForURL(/#\/runs\/[\w-]+$/, ui);
      const runAddress = page.url();

      // A problem in an unsaved draft (an empty command) is the draft's: the run's canvas must not show it.
      await page.goBack();
      await node(page, 2).click();
      await page.getByRole('combobox', { name: 'Command' }).fill('');
      await node(page, 2).getByRole('img', { name: '1 problem' }).waitFor(ui);
      page.once('dialog', (dialog) => void dialog.accept());
      await page.goForward();
      await expect.poll(() => page.url(), ui).toBe(runAddress);
      await page.locator('.run-facts').getByText('Failed', { exact: true }).waitFor(ui);
      const runCanvas = page.getByRole('region', { name: 'Run canvas' });
      await expect.poll(() => statusOf(page, 2), ui).toBe('failed');
      // The draft is still open in this page, problem and all; the run's canvas is not the draft.
      expect(await runCanvas.getByRole('img', { name: /problem/ }).count()).toBe(0);

      // Opened again from storage: the run as it was left.
      await page.reload();
      await node(runCanvas, 4).waitFor(ui);
      expect(await drawnGraph(page)).toEqual({ nodes: ['1', '2', '3', '4'], edges: diamondEdges });
      expect(await nodePlaces(page)).toEqual(halfReleaseWorkflow.metadata.layout.positions);
      // The minimap shows only while part of the graph is out of view: the whole diamond is in view on opening.
      await expect.poll(() => runCanvas.getByRole('img', { name: 'Minimap' }).count(), ui).toBe(0);
      for (let i = 0; i < 4; i++) await runCanvas.getByRole('button', { name: 'Zoom In' }).click();
      await expect.poll(() => runCanvas.locator('.react-flow__minimap-node').count(), ui).toBe(4);
      await runCanvas.getByRole('button', { name: 'Fit View' }).click();
      await expect.poll(() => runCanvas.getByRole('img', { name: 'Minimap' }).count(), ui).toBe(0);
      const expected = { 1: 'succeeded', 2: 'failed', 3: 'succeeded', 4: 'skipped' } as const;
      for (const [step, status] of Object.entries(expected)) await expect.poll(() => statusOf(page, Number(step)), ui).toBe(status);
      await node(runCanvas, 2).locator('.step-node-status').getByText('Failed').waitFor(ui);
      // Why it failed, on the node: its exit code and the last line it printed.
      await node(runCanvas, 2).locator('.step-node-failure').getByText('2 tests failed').waitFor(ui);
      await node(runCanvas, 2).getByText('2 attempts').waitFor(ui);
      await node(runCanvas, 1).getByText('1 attempt').waitFor(ui);
      await node(runCanvas, 4).getByText('Skipped').waitFor(ui);
      // A finished step's duration is a figure, not the dash of one that never ran.
      expect(await node(runCanvas, 1).locator('.duration').textContent()).not.toBe('—');
      expect(await node(runCanvas, 4).locator('.duration').textContent()).toBe('—');

      // Read-only: no palette or inspector, no handle to pull a connection from, no animation.
      expect(await page.getByRole('region', { name: 'Step palette' }).count()).toBe(0);
      expect(await page.getByRole('complementary', { name: 'Inspector' }).count()).toBe(0);
      expect(await runCanvas.locator('.react-flow__handle.connectable').count()).toBe(0);
      expect(await movingEdges(runCanvas)).toBe(0);
      // Dragging a node does not move it.
      const box = (await node(runCanvas, 3).boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + 12);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 + 120, box.y + 80, { steps: 6 });
      await page.mouse.up();
      expect((await nodePlaces(page))['3']).toEqual(halfReleaseWorkflow.metadata.layout.positions['3']);

      // A click on the node brings its output into view, focused.
      await node(runCanvas, 2).locator('.step-node-title').click();
      const output = page.getByRole('log', { name: 'Output of step 2' });
      await expect.poll(() => output.evaluate((element) => element === document.activeElement), ui).toBe(true);
      await expect.poll(() => output.textContent(), ui).toContain('2 tests failed');
      expect(await output.isVisible()).toBe(true);

      // And its Terminal button opens the last attempt's terminal.
      await node(runCanvas, 2).getByRole('button', { name: 'Terminal' }).click();
      await expect.poll(() => page.getByRole('tab', { selected: true }).textContent(), ui).toMatch(/Step 2 · attempt 2.*exit 3/);
      await expect.poll(async () => terminalLines(await shownTerminalText(page)), ui).toContain('2 tests failed');
    } finally {
      await context.close();
    }
  }, 90_000);
});
