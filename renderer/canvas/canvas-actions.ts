import type { RendererClient } from '../client/photon-client.js';
import type { PhotonStore } from '../store/store.js';
import type { HashRouter } from '../sync/hash-router.js';
import { reportError } from '../sync/report-error.js';
import { parseWorkflowText, formatIssues } from '../../shared/validate-workflow.js';
import type { WorkflowStep } from '../../shared/workflow.js';
import { toWorkflow } from './graph-model.js';
import type { WorkflowTemplate } from './templates/index.js';

/** What the canvas asks of the engine. Each reports its failure (a notice or a canvas message); none throws. */
export interface CanvasActions {
  /** Saves the canvas; true when it was saved. */
  save(): Promise<boolean>;
  /** Saves first when there are unsaved changes, then starts a run; returns its id. */
  run(): Promise<string | null>;
  /**
   * Saves first when there are unsaved changes, then runs only `steps` (`only`) or them and every
   * step after them (`from`), the steps before taking their outputs from `outputsFrom` (by default
   * the workflow's latest run); returns the new run's id.
   */
  runSteps(steps: number[], mode: 'only' | 'from', outputsFrom: string | null): Promise<string | null>;
  /** Loads a run's steps into the store so the canvas can show them. */
  watch(runId: string): Promise<void>;
  /** The canvas as a workflow file's text. */
  exportText(): string;
  /** Replaces the graph with a file's workflow (undoable); false with a message when the file is not a workflow. */
  importText(fileName: string, text: string): boolean;
  /** Saves the template as a new workflow and opens it; the caller has already asked about unsaved changes. */
  createFromTemplate(template: WorkflowTemplate): Promise<void>;
}

export function createCanvasActions(client: RendererClient, store: PhotonStore, navigate: HashRouter['navigate']): CanvasActions {
  const state = () => store.getState();
  const runnable = () => new Set(state().system?.runnablePlatforms ?? ['shell']);

  const refreshList = async () => state().workflowsLoaded(await client.call('workflows.list'));

  const save = async (): Promise<boolean> => {
    const { canvas } = state();
    if (canvas.issues.count > 0) {
      state().canvasMessage(`Not saved: fix the ${canvas.issues.count === 1 ? 'problem' : `${canvas.issues.count} problems`} marked on the canvas first.`, { saveRefused: true });
      return false;
    }
    try {
      const workflow = toWorkflow(canvas);
      const { id } = await client.call('workflows.save', canvas.workflowId ? { id: canvas.workflowId, workflow } : { workflow });
      const saved = await client.call('workflows.get', { id });
      // Marked saved first, so the reloaded definition is recognised as the canvas's own. The
      // toolbar's status says "Saved"; a message over the canvas would outstay the next edit.
      state().canvasSaved(id, saved.updatedAt, workflow);
      state().workflowLoaded(saved);
      if (state().canvas.message?.saveRefused) state().canvasMessage(null);
      await refreshList();
      return true;
    } catch (error) {
      reportError(store, 'Could not save the workflow', error);
      return false;
    }
  };

  const watch = async (runId: string) => {
    try {
      state().runLoaded(await client.call('runs.get', { runId }));
    } catch (error) {
      reportError(store, 'Could not read the run', error);
    }
  };

  return {
    save,
    watch,
    run: async () => {
      if (state().canvas.dirty && !(await save())) return null;
      const workflowId = state().canvas.workflowId;
      if (!workflowId) return null;
      try {
        const { runId } = await client.call('runs.start', { workflowId });
        await watch(runId);
        return runId;
      } catch (error) {
        reportError(store, 'Could not start the run', error);
        return null;
      }
    },
    runSteps: async (steps, mode, outputsFrom) => {
      if (state().canvas.dirty && !(await save())) return null;
      const workflowId = state().canvas.workflowId;
      if (!workflowId) return null;
      try {
        const selection = { steps, mode, ...(outputsFrom ? { outputsFrom } : {}) };
        const { runId } = await client.call('runs.start', { workflowId, steps: selection });
        await watch(runId);
        return runId;
      } catch (error) {
        reportError(store, mode === 'only' ? `Could not run step ${steps.join(', ')}` : `Could not run from step ${steps.join(', ')}`, error);
        return null;
      }
    },
    exportText: () => `${JSON.stringify(toWorkflow(state().canvas), null, 2)}\n`,
    importText: (fileName, text) => {
      const checked = parseWorkflowText(text, { runnablePlatforms: runnable() });
      if (!checked.ok) {
        state().canvasMessage(`${fileName} was not imported:\n${formatIssues(checked.issues)}`);
        return false;
      }
      // The parsed copy has defaults filled in and keeps unknown fields (metadata.layout among them).
      state().canvasReplace(checked.workflow as { workflow: WorkflowStep[] } & Record<string, unknown>);
      state().canvasMessage(`Imported ${fileName}. Save to keep it.`);
      return true;
    },
    createFromTemplate: async (template) => {
      try {
        const { id } = await client.call('workflows.save', { workflow: template.workflow });
        await refreshList();
        navigate({ view: 'workflow', id }, { force: true });
      } catch (error) {
        reportError(store, `Could not create "${template.title}"`, error);
      }
    },
  };
}
