// Decisions on the canvas, end to end in Chromium against `photon serve`: a gate and a fan-out
// built from the palette and the inspector, run, the gate approved on its node, the fan-out's
// items counted up to the end on both canvases; a condition on its edge; a step skipped by its
// condition told from one skipped after a failure.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { connect, edge, importAndOpen, moveFirstStepLeft, node, openOneStepWorkflow } from './support/canvas-page.js';
import { callServer } from './support/rpc.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const harness = useUiHarness();
const items = Array.from({ length: 12 }, (_, i) => `item-${i + 1}`);
const command = 'sleep 0.$(( {{index}} % 3 * 3 + 2 )); echo "done {{item}}"';

type Renders = Record<string, number>;
const renders = (page: Page): Promise<Renders> => page.evaluate(() => ({ ...(window as unknown as { __photonRenders: Renders }).__photonRenders }));

async function openCounting(): Promise<{ page: Page; close(): Promise<void> }> {
  const context = await harness.newContext({ viewport: { width: 1800, height: 1000 } });
  await context.addInitScript('window.__photonRenders = {}');
  const page = await context.newPage();
  await page.goto(harness.server.url);
  await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor(ui);
  return { page, close: () => context.close() };
}

/** Drags a decision kind from the palette to a point of the canvas (fractions of its size). */
async function dropDecision(page: Page, kind: string, x: number, y: number): Promise<void> {
  const box = (await page.getByTestId('canvas').boundingBox())!;
  await page.dragAndDrop(`.palette-item[data-kind="${kind}"]`, '[data-testid="canvas"]', { targetPosition: { x: box.width * x, y: box.height * y } });
}

describe('decisions built on the canvas', () => {
  it('builds a gate and a fan-out from the palette and inspector, runs it, approves the gate on its node and counts the items to the end', async () => {
    const { page, close } = await openCounting();
    const inspector = page.getByRole('complementary', { name: 'Inspector' });
    try {
      await openOneStepWorkflow(page, harness.filesDir, 'Gate then fan-out');
      // Step 1 to the left, then the gate and the fan-out dropped from the palette's Decisions.
      await moveFirstStepLeft(page);
      await dropDecision(page, 'approval', 0.45, 0.3);
      await node(page, 2).waitFor(ui);
      await dropDecision(page, 'fan-out', 0.8, 0.6);
      await node(page, 3).waitFor(ui);
      await connect(page, 1, 2);
      await connect(page, 2, 3);
      await edge(page, 2, 3).waitFor(ui);

      // Each is drawn as its kind, with its mark.
      expect(await node(page, 2).locator('.step-node').getAttribute('data-kind')).toBe('gate');
      expect(await node(page, 3).locator('.step-node').getAttribute('data-kind')).toBe('fan-out');
      await node(page, 2).getByRole('img', { name: 'Approval gate' }).waitFor(ui);
      await node(page, 3).getByRole('img', { name: 'Fan-out' }).waitFor(ui);

      // The gate's question, in the inspector.
      await node(page, 2).click();
      await inspector.getByLabel('Question').fill('Ship {{steps.1.output}}?');

      // The fan-out: its items, how many at once, its command, and a condition drawn on its edge.
      await node(page, 3).click();
      expect(await inspector.getByLabel('Run once per item').isChecked()).toBe(true);
      await inspector.getByLabel('Items', { exact: true }).fill(items.join('\n'));
      await inspector.getByLabel('At most at once').fill('3');
      // Staggered, so the items end one by one over some seconds, each its own event on the page.
      await inspector.getByRole('combobox', { name: 'Command' }).fill(command);
      // A half-written JSON list is refused at its field and changes nothing.
      await inspector.getByLabel('Items', { exact: true }).fill('["a", ');
      await inspector.getByText(/Not a JSON list yet/).waitFor(ui);
      await inspector.getByLabel('Items', { exact: true }).fill(items.join('\n'));
      // A condition reading a step that is not before it: the engine's check, under the field.
      const when = inspector.getByLabel('Run only when');
      await when.fill('steps.9.status == "succeeded"');
      await expect.poll(() => when.getAttribute('aria-invalid'), ui).toBe('true');
      expect(await inspector.locator('.inspector-field.invalid .field-error').first().textContent()).toContain('steps.9.status: step 9 does not exist');
      await when.fill('steps.2.status == "succeeded"');
      await expect.poll(() => when.getAttribute('aria-invalid'), ui).toBe('false');
      const label = page.locator('.condition-label[data-edge="2->3"]');
      await expect.poll(() => label.textContent(), ui).toBe('if steps.2.status == "succeed…');
      expect(await label.getAttribute('title')).toBe('Runs only if steps.2.status == "succeeded"');
      // For the keyboard: Tab reaches the edge, whose name holds the whole condition.
      expect(await edge(page, 2, 3).getAttribute('aria-label')).toBe('Step 2 to step 3, which runs only if steps.2.status == "succeeded"');
      expect(await edge(page, 2, 3).getAttribute('tabindex')).toBe('0');
      expect(await page.locator('.canvas-issues').count()).toBe(0);
      const table = page.getByRole('table', { name: 'Steps' });
      expect(await table.getByRole('row', { name: /Approval 2/ }).locator('td').allTextContents()).toEqual(['2', 'Approval gate', 'Question: Ship {{steps.1.output}}?', 'step 1']);
      expect(await table.getByRole('row', { name: /Fan-out 3/ }).locator('td').nth(1).textContent()).toBe('Fan-out · Shell · 12 items · 3 at once');

      await page.getByRole('button', { name: /^Save/ }).click();
      await page.getByRole('status').filter({ hasText: /^Saved$/ }).waitFor(ui);
      const list = (await callServer(harness.server, 'workflows.list')) as { id: string; name: string }[];
      const saved = (await callServer(harness.server, 'workflows.get', { id: list.find((w) => w.name === 'Gate then fan-out')!.id })) as {
        workflow: { workflow: Record<string, unknown>[] };
      };
      expect(saved.workflow.workflow[1]).toMatchObject({ step: 2, platform: 'approval', inputs: { message: 'Ship {{steps.1.output}}?' }, dependencies: [1] });
      expect(saved.workflow.workflow[2]).toMatchObject({ step: 3, platform: 'shell', forEach: items, maxParallel: 3, when: 'steps.2.status == "succeeded"', dependencies: [2] });

      await page.getByRole('button', { name: 'Run here' }).click();
      // The gate asks on its own node, its question rendered with step 1's output.
      const gate = node(page, 2).locator('.gate-question');
      await expect.poll(() => gate.locator('.gate-question-text').textContent(), { timeout: 30_000 }).toBe('Ship start?');
      const before = await renders(page);
      await gate.getByRole('button', { name: 'Approve' }).click();

      const progress = node(page, 3).getByRole('progressbar', { name: 'Items done' });
      await expect.poll(() => progress.getAttribute('aria-valuenow'), { timeout: 60_000 }).toBe(String(items.length));
      expect(await node(page, 3).locator('.items-progress-text').textContent()).toBe(`Items: ${items.length}/${items.length}`);
      await expect.poll(() => node(page, 3).locator('.step-node').getAttribute('data-status'), ui).toBe('succeeded');
      expect(await node(page, 2).locator('.step-node').getAttribute('data-status')).toBe('succeeded');
      const after = await renders(page);
      // Each item's start and end update the fan-out's node, not the graph around it: the editor's
      // graph renders for the nodes' new sizes (the gate's question going, the bar coming), not per item.
      expect((after['editor-flow'] ?? 0) - (before['editor-flow'] ?? 0)).toBeLessThanOrEqual(8);
      expect((after['items-progress'] ?? 0) - (before['items-progress'] ?? 0)).toBeLessThanOrEqual(4 * items.length + 10);

      // The run's own page counts the same, on its canvas and the step's card.
      await page.locator('.canvas-run-banner a').click();
      await page.waitForURL(/#\/runs\//, ui);
      const runCanvas = page.getByRole('region', { name: 'Run canvas' });
      await expect.poll(() => node(runCanvas, 3).getByRole('progressbar').getAttribute('aria-valuenow'), ui).toBe(String(items.length));
      await expect.poll(() => page.locator('#run-step-3 .items-progress-text').textContent(), ui).toBe(`Items: ${items.length}/${items.length}`);
      expect(await page.locator('#run-step-2 .platform').textContent()).toBe('Approval gate');
    } finally {
      await close();
    }
  }, 240_000);

  it('tells a step skipped by its condition from one skipped after a failure, on the run canvas and the run page', async () => {
    const { context, page } = await harness.openApp({ viewport: { width: 1600, height: 1000 } });
    try {
      await importAndOpen(page, harness.filesDir, {
        name: 'Two skips',
        workflow: [
          { step: 1, label: 'Check', platform: 'shell', inputs: { command: 'echo ok' } },
          { step: 2, label: 'Only on failure', platform: 'shell', dependencies: [1], when: 'steps.1.status == "failed"', inputs: { command: 'echo alert' } },
          { step: 3, label: 'Break', platform: 'shell', dependencies: [1], inputs: { command: 'exit 4' } },
          { step: 4, label: 'After break', platform: 'shell', dependencies: [3], inputs: { command: 'echo never' } },
        ],
        metadata: { layout: { positions: { '1': { x: 0, y: 150 }, '2': { x: 320, y: 0 }, '3': { x: 320, y: 300 }, '4': { x: 640, y: 300 } } } },
      });
      await page.locator('.condition-label[data-edge="1->2"]').waitFor(ui);
      // The list of steps under the canvas (the graph for screen readers) says it too.
      const row = page.getByRole('table', { name: 'Steps' }).getByRole('row', { name: /Only on failure/ });
      expect(await row.locator('td').last().textContent()).toBe('step 1; only if steps.1.status == "failed"');
      await page.getByRole('button', { name: 'Run here' }).click();
      await expect.poll(() => node(page, 4).locator('.step-node').getAttribute('data-status'), ui).toBe('skipped');
      await page.locator('.canvas-run-banner a').click();
      await page.waitForURL(/#\/runs\//, ui);

      const runCanvas = page.getByRole('region', { name: 'Run canvas' });
      await expect.poll(() => node(runCanvas, 2).locator('.step-node').getAttribute('data-skipped'), ui).toBe('condition');
      expect(await node(runCanvas, 4).locator('.step-node').getAttribute('data-skipped')).toBe('dependency');
      expect(await node(runCanvas, 2).locator('.step-node-status').textContent()).toContain('Skipped: condition false');
      expect(await node(runCanvas, 4).locator('.step-node-status').textContent()).toContain('Skipped: after a failure');
      // Drawn differently, not only worded: a dashed frame for the condition, faded for the failure.
      const look = (step: number) => node(runCanvas, step).locator('.step-node').evaluate((el) => ({ border: getComputedStyle(el).borderTopStyle, opacity: getComputedStyle(el).opacity }));
      expect(await look(2)).toEqual({ border: 'dashed', opacity: '1' });
      expect((await look(4)).opacity).not.toBe('1');
      // The condition is on its edge there too.
      await runCanvas.locator('.condition-label[data-edge="1->2"]').waitFor(ui);

      // And its timeline, where a skipped step has no bar.
      await expect.poll(() => page.locator('.timeline-none').allTextContents(), ui).toEqual(['↷ Skipped: condition false', '↷ Skipped: after a failure']);
      expect(await page.locator('#run-step-2 .skip-reason').textContent()).toBe('condition false');
      expect(await page.locator('#run-step-4 .skip-reason').textContent()).toBe('after a failure');
      await expect.poll(() => page.getByRole('log', { name: 'Output of step 2' }).textContent(), ui).toBe('Skipped: its condition was false.');
    } finally {
      await context.close();
    }
  }, 120_000);
});
