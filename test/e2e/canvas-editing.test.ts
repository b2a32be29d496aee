// Editing on the canvas end to end, in Chromium against `photon serve` on a temporary data folder:
// selection with the box and Shift, copy, paste and duplicate with keys, the inspector with its
// completion and the engine's checks, templates, and the question before unsaved changes are lost.
import type { Dialog, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { templates } from '../../renderer/canvas/templates/index.js';
import { clickEmptyCanvas, diamondEdges, diamondWorkflow, drawnGraph, importAndOpen, node, openOneStepWorkflow, selectedSteps } from './support/canvas-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';
import { writeWorkflowFile } from './support/workflows.js';

const harness = useUiHarness();
const openApp = () => harness.openApp({ viewport: { width: 1800, height: 1000 } });

/** The diamond placed so that 2 and 4 share the top row (a box can take both) with 1 and 3 below it. Step 4 uses step 2's output. */
const diamond = (name: string) =>
  diamondWorkflow(name, { '1': { x: 0, y: 200 }, '2': { x: 320, y: 0 }, '3': { x: 320, y: 360 }, '4': { x: 640, y: 0 } }, 'echo "report on {{steps.2.output}}"');
const inspectorOf = (page: Page) => page.getByRole('complementary', { name: 'Inspector' });

/** Holds Shift and drags a box from one corner to the other (screen coordinates). */
async function boxSelect(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.keyboard.down('Shift');
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
}

/** Answers the next dialog, returning it once it was answered. */
function answerNextDialog(page: Page, accept: boolean): Promise<Dialog> {
  return new Promise((resolve) => {
    page.once('dialog', (dialog) => {
      void (accept ? dialog.accept() : dialog.dismiss()).then(() => resolve(dialog));
    });
  });
}

describe('editing on the canvas', () => {
  it('copies, pastes and duplicates with keys: new numbers, the edges inside the selection come along', async () => {
    const { context, page } = await openApp();
    try {
      await importAndOpen(page, harness.filesDir, diamond('Copy diamond'));

      // A box around the top row takes steps 2 and 4, nothing else.
      const two = (await node(page, 2).boundingBox())!;
      const four = (await node(page, 4).boundingBox())!;
      await boxSelect(page, { x: two.x - 30, y: two.y - 30 }, { x: four.x + four.width + 30, y: four.y + four.height + 30 });
      await expect.poll(() => selectedSteps(page), ui).toEqual(['2', '4']);
      // Shift-click adds to the selection and takes away again.
      await node(page, 1).click({ modifiers: ['Shift'] });
      await expect.poll(() => selectedSteps(page), ui).toEqual(['1', '2', '4']);
      await node(page, 1).click({ modifiers: ['Shift'] });
      await expect.poll(() => selectedSteps(page), ui).toEqual(['2', '4']);

      await page.keyboard.press('Control+c');
      await page.keyboard.press('Control+v');
      // 2 and 4 come back as 5 and 6: 4's dependency on 2 comes along as 5 → 6, the one on 3 (not copied) does not.
      await expect.poll(async () => drawnGraph(page), ui).toEqual({ nodes: ['1', '2', '3', '4', '5', '6'], edges: [...diamondEdges, '5->6'] });
      await expect.poll(() => selectedSteps(page), ui).toEqual(['5', '6']);
      await inspectorOf(page).getByText('2 steps selected.').waitFor(ui);

      await page.keyboard.press('Control+d');
      await expect.poll(async () => drawnGraph(page), ui).toEqual({
        nodes: ['1', '2', '3', '4', '5', '6', '7', '8'],
        edges: [...diamondEdges, '5->6', '7->8'],
      });
      await expect.poll(() => selectedSteps(page), ui).toEqual(['7', '8']);

      // The copy of step 4 uses its own copy of step 2's output.
      await clickEmptyCanvas(page);
      await node(page, 8).click();
      await expect.poll(() => inspectorOf(page).getByRole('combobox', { name: 'Command' }).inputValue(), ui).toBe('echo "report on {{steps.7.output}}"');
      expect(await node(page, 8).locator('.step-node-title').textContent()).toBe('Report');

      // One undo takes the whole duplicate away.
      await page.keyboard.press('Control+z');
      await expect.poll(async () => (await drawnGraph(page)).nodes, ui).toEqual(['1', '2', '3', '4', '5', '6']);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('edits a step in the inspector: label and command, completion of ancestors only, the engine’s checks on the field and the node', async () => {
    const { context, page } = await openApp();
    try {
      await importAndOpen(page, harness.filesDir, diamond('Inspected diamond'));
      const inspector = inspectorOf(page);

      await node(page, 4).click();
      await inspector.getByRole('form', { name: 'Step 4' }).waitFor(ui);
      await inspector.getByLabel('Label').fill('Ship the report');
      await expect.poll(() => node(page, 4).locator('.step-node-title').textContent(), ui).toBe('Ship the report');

      // Step 4 may use the output of 1, 2 and 3, all of which run before it.
      const command = inspector.getByRole('combobox', { name: 'Command' });
      await command.fill('echo ');
      await command.pressSequentially('{{');
      const choices = inspector.getByRole('listbox', { name: 'Outputs of earlier steps' });
      await expect.poll(() => choices.getByRole('option').allTextContents(), ui).toEqual(['{{steps.1.output}} Fetch', '{{steps.2.output}} Parse', '{{steps.3.output}} Count']);
      await command.pressSequentially('steps.3');
      await expect.poll(() => choices.getByRole('option').allTextContents(), ui).toEqual(['{{steps.3.output}} Count']);
      await command.press('Enter');
      await expect.poll(() => command.inputValue(), ui).toBe('echo {{steps.3.output}}');
      await expect.poll(() => choices.count(), ui).toBe(0);

      // Step 2 runs after 1 only: 3 and 4 are not offered.
      await node(page, 2).click();
      await inspector.getByRole('form', { name: 'Step 2' }).waitFor(ui);
      await command.fill('echo ');
      await command.pressSequentially('{{');
      await expect.poll(() => choices.getByRole('option').allTextContents(), ui).toEqual(['{{steps.1.output}} Fetch']);
      await command.press('Escape');

      // Typed by hand anyway, the engine's check says why on the field, and the node is marked.
      await command.fill('echo {{steps.3.output}}');
      const fieldMessage = inspector.getByRole('alert');
      await expect.poll(() => fieldMessage.textContent(), ui).toContain('a step can only use the output of steps it depends on');
      expect(await command.getAttribute('aria-invalid')).toBe('true');
      expect(await command.getAttribute('aria-describedby')).toBe(await fieldMessage.getAttribute('id'));
      await node(page, 2).getByRole('img', { name: '1 problem' }).waitFor(ui);
      await page.getByRole('toolbar', { name: 'Canvas' }).getByText('1 problem').waitFor(ui);
      expect(await node(page, 3).getByRole('img', { name: /problem/ }).count()).toBe(0);

      // Saving waits for the fix.
      await clickEmptyCanvas(page);
      await page.keyboard.press('Control+s');
      await page.getByRole('alert').filter({ hasText: 'Not saved: fix the problem marked on the canvas first.' }).waitFor(ui);

      // An empty command is the engine's other complaint; fixing it clears the marks.
      await node(page, 2).click();
      await command.fill('');
      await expect.poll(() => inspector.getByRole('alert').textContent(), ui).toContain('a shell step needs a non-empty "command" string');
      await command.fill('echo parsed again');
      await expect.poll(() => node(page, 2).getByRole('img', { name: /problem/ }).count(), ui).toBe(0);
      expect(await inspector.getByRole('alert').count()).toBe(0);
      await clickEmptyCanvas(page);
      await page.keyboard.press('Control+s');
      await page.getByText('Saved', { exact: true }).waitFor(ui);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('starts a new workflow from each template, valid as it is, and runs the full-stack one', async () => {
    const { context, page } = await openApp();
    try {
      await openOneStepWorkflow(page, harness.filesDir, 'Before the templates');
      const picker = page.getByRole('combobox', { name: 'New workflow from a template' });
      expect(await picker.locator('option').allTextContents()).toEqual(['New from template…', ...templates.map((t) => t.title)]);

      for (const template of templates) {
        await picker.selectOption(template.id);
        await page.getByRole('heading', { level: 1, name: template.workflow.name }).waitFor(ui);
        const steps = template.workflow.workflow;
        const expected = {
          nodes: steps.map((s) => String(s.step)).sort(),
          edges: steps.flatMap((s) => (s.dependencies ?? []).map((d) => `${d}->${s.step}`)).sort(),
        };
        await expect.poll(async () => drawnGraph(page), ui).toEqual(expected);
        // Saved as it is, with nothing for the user to fix first.
        await page.getByRole('status').filter({ hasText: /^Saved$/ }).waitFor(ui);
        expect(await page.locator('.canvas-issues').count()).toBe(0);
        expect(await page.locator('.step-node-problem').count()).toBe(0);
      }

      await picker.selectOption('full-stack-feature');
      await page.getByRole('heading', { level: 1, name: 'Full-stack feature, shell only' }).waitFor(ui);
      await node(page, 4).waitFor(ui);
      await page.getByRole('button', { name: 'Run here' }).click();
      for (const step of [1, 2, 3, 4]) {
        await expect.poll(() => node(page, step).locator('.step-node').getAttribute('data-status'), ui).toBe('succeeded');
      }
      await node(page, 2).getByRole('button', { name: 'Output' }).click();
      await expect.poll(() => page.getByRole('region', { name: 'Output of step 2' }).textContent(), ui).toContain('backend built against: API design: GET /items, POST /items');
    } finally {
      await context.close();
    }
  }, 120_000);

  it('asks before unsaved changes are left: a link, Back, an import, a template, closing the page', async () => {
    const { context, page } = await openApp();
    try {
      await openOneStepWorkflow(page, harness.filesDir, 'Unsaved draft');
      const here = page.url();
      await page.getByRole('region', { name: 'Step palette' }).getByRole('button', { name: /Shell/ }).click();
      await node(page, 2).waitFor(ui);
      await page.getByText('Unsaved changes').waitFor(ui);

      // A link elsewhere: "stay" keeps the page and the draft.
      let asked = answerNextDialog(page, false);
      await page.locator('a.brand').click();
      expect((await asked).message()).toBe('This workflow has unsaved changes. Leave without saving?');
      // The link changed the address before the question; it is put back.
      await expect.poll(() => page.url(), ui).toBe(here);
      expect((await drawnGraph(page)).nodes).toEqual(['1', '2']);

      // Back: asked, and the address stays.
      asked = answerNextDialog(page, false);
      await page.goBack();
      expect((await asked).message()).toBe('This workflow has unsaved changes. Leave without saving?');
      await expect.poll(() => page.url(), ui).toBe(here);
      expect((await drawnGraph(page)).nodes).toEqual(['1', '2']);

      // A workflow imported from the sidebar is saved, but opening it waits for the answer: staying
      // keeps the draft, and the import is in the list.
      asked = answerNextDialog(page, false);
      await page.getByLabel('Import a workflow file').setInputFiles(writeWorkflowFile(harness.filesDir, 'side-import.json', { name: 'Side import', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'true' } }] }));
      expect((await asked).message()).toBe('This workflow has unsaved changes. Leave without saving?');
      await page.getByRole('link', { name: /Side import/ }).waitFor(ui);
      expect(page.url()).toBe(here);
      expect((await drawnGraph(page)).nodes).toEqual(['1', '2']);

      // A template would replace the draft: asked too.
      asked = answerNextDialog(page, false);
      await page.getByRole('combobox', { name: 'New workflow from a template' }).selectOption('build-test-lint');
      expect((await asked).message()).toBe('This workflow has unsaved changes. Leave without saving?');
      await page.waitForTimeout(300);
      expect(page.url()).toBe(here);
      await page.getByRole('heading', { level: 1, name: 'Unsaved draft' }).waitFor(ui);

      // Closing or reloading the page: the browser's own question.
      asked = answerNextDialog(page, false);
      await page.close({ runBeforeUnload: true });
      expect((await asked).type()).toBe('beforeunload');
      expect(page.isClosed()).toBe(false);
      expect((await drawnGraph(page)).nodes).toEqual(['1', '2']);

      // "Leave" leaves.
      asked = answerNextDialog(page, true);
      await page.locator('a.brand').click();
      await asked;
      await page.getByRole('heading', { level: 1, name: 'Photon' }).waitFor(ui);

      // Left without saving: the draft is gone, the saved version opens. Once saved, nothing is asked.
      await page.getByRole('link', { name: /Unsaved draft/ }).click();
      await node(page, 1).waitFor(ui);
      expect((await drawnGraph(page)).nodes).toEqual(['1']);
      await page.getByRole('region', { name: 'Step palette' }).getByRole('button', { name: /Shell/ }).click();
      await node(page, 2).waitFor(ui);
      await clickEmptyCanvas(page);
      await page.keyboard.press('Control+s');
      await page.getByText('Saved', { exact: true }).waitFor(ui);
      let dialogs = 0;
      page.on('dialog', (dialog) => {
        dialogs++;
        void dialog.dismiss();
      });
      await page.locator('a.brand').click();
      await page.getByRole('heading', { level: 1, name: 'Photon' }).waitFor(ui);
      expect(dialogs).toBe(0);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('"Run workflow" runs what the canvas shows: unsaved edits are saved first, without a question', async () => {
    const { context, page } = await openApp();
    try {
      await openOneStepWorkflow(page, harness.filesDir, 'Edited then run');
      await page.getByRole('region', { name: 'Step palette' }).getByRole('button', { name: /Shell/ }).click();
      await node(page, 2).waitFor(ui);
      await page.getByText('Unsaved changes').waitFor(ui);
      let dialogs = 0;
      page.on('dialog', (dialog) => {
        dialogs++;
        void dialog.dismiss();
      });

      // A double click, even: one save, one run.
      await page.getByRole('button', { name: 'Run workflow' }).dblclick();
      await page.waitForURL(/#\/runs\//, ui);
      await expect.poll(() => page.locator('.react-flow__node').count(), ui).toBe(2);
      expect(dialogs).toBe(0);
      await page.waitForTimeout(500);
      expect(await page.getByRole('link', { name: /^Edited then run / }).count()).toBe(2);

      // The saved workflow has both steps too.
      await page.getByRole('link', { name: 'Edited then run 2 steps' }).click();
      await node(page, 2).waitFor(ui);
      await page.getByText('Saved', { exact: true }).waitFor(ui);
    } finally {
      await context.close();
    }
  }, 90_000);
});
