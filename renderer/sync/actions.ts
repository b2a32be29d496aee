import type { StepDetail } from '../../shared/runs.js';
import { parseWorkflowText, type ValidationIssue } from '../../shared/validate-workflow.js';
import type { RendererClient } from '../client/photon-client.js';
import { homeRoute } from '../lib/route.js';
import type { PhotonStore } from '../store/store.js';
import type { HashRouter } from './hash-router.js';
import { errorBody, reportBackgroundError, reportError } from './report-error.js';

/** What the user can ask for. Each reports its failure as a notice; none throws. */
export interface Actions {
  navigate: HashRouter['navigate'];
  guardLeaving: HashRouter['guardLeaving'];
  /** Checks the file here first (issues shown with their places), then saves it. */
  importWorkflowFile(file: { name: string; text: string }): Promise<void>;
  deleteWorkflow(id: string): Promise<void>;
  /** With `workspace`, each step in its own git worktree of that repository; true when the run started. */
  startRun(workflowId: string, workspace?: { repo: string; base?: string }): Promise<boolean>;
  cancelRun(runId: string): Promise<void>;
  /** `saved`: with the workflow as saved since the run started, instead of the run's own definition. */
  resumeRun(runId: string, definition?: 'run' | 'saved'): Promise<void>;
  /** A step's attempts with their stored tails; null when it could not be read (already reported). */
  stepDetail(runId: string, step: number): Promise<StepDetail | null>;
  reconnect(): void;
}

function issuesIn(details: unknown): ValidationIssue[] | null {
  const issues = (details as { issues?: unknown } | null | undefined)?.issues;
  return Array.isArray(issues) ? (issues as ValidationIssue[]) : null;
}

export function createActions(client: RendererClient, store: PhotonStore, router: Pick<HashRouter, 'navigate' | 'guardLeaving'>): Actions {
  const state = () => store.getState();
  const navigate = router.navigate;

  /** Runs `work` with `key` marked busy, reporting any failure under `title`. */
  const guarded = async (key: string, title: string, work: () => Promise<void>) => {
    state().setBusy(key, true);
    try {
      await work();
    } catch (error) {
      reportError(store, title, error);
    } finally {
      state().setBusy(key, false);
    }
  };

  const refreshWorkflows = async () => state().workflowsLoaded(await client.call('workflows.list'));

  return {
    navigate,
    guardLeaving: router.guardLeaving,
    reconnect: () => client.transport.reconnect(),

    importWorkflowFile: (file) =>
      guarded('import', `Could not import ${file.name}`, async () => {
        state().setImportProblem(null);
        const system = state().system ?? (await client.call('system.info'));
        state().setSystem(system);
        const checked = parseWorkflowText(file.text, { runnablePlatforms: new Set(system.runnablePlatforms) });
        if (!checked.ok) {
          state().setImportProblem({ fileName: file.name, issues: checked.issues });
          return;
        }
        try {
          // The file as written goes to the engine, which checks it again and fills in defaults itself.
          const { id } = await client.call('workflows.save', { workflow: JSON.parse(file.text) as unknown });
          await refreshWorkflows();
          navigate({ view: 'workflow', id });
        } catch (error) {
          const issues = errorBody(error).code === 'invalid' ? issuesIn((error as { details?: unknown }).details) : null;
          if (!issues) throw error;
          state().setImportProblem({ fileName: file.name, issues });
        }
      }),

    deleteWorkflow: (id) =>
      guarded(`workflow:${id}`, 'Could not delete the workflow', async () => {
        await client.call('workflows.delete', { id });
        state().workflowRemoved(id);
        const route = state().route;
        // Its unsaved edits went with it: nothing is left to ask about.
        if (route.view === 'workflow' && route.id === id) navigate(homeRoute, { force: true });
        await refreshWorkflows();
      }),

    startRun: async (workflowId, workspace) => {
      let started = false;
      await guarded(`workflow:${workflowId}`, 'Could not start the run', async () => {
        const { runId } = await client.call('runs.start', workspace ? { workflowId, workspace: { isolation: 'worktree', ...workspace } } : { workflowId });
        started = true;
        navigate({ view: 'run', id: runId });
      });
      return started;
    },

    cancelRun: (runId) =>
      guarded(`run:${runId}`, 'Could not cancel the run', async () => {
        await client.call('runs.cancel', { runId });
      }),

    resumeRun: (runId, definition = 'run') =>
      guarded(`run:${runId}`, 'Could not resume the run', async () => {
        const resumed = await client.call('runs.resume', { runId, definition });
        // Resuming resets unfinished steps without an event per step: read the run again.
        state().runLoaded(await client.call('runs.get', { runId: resumed.runId }));
        if (resumed.runId !== runId) navigate({ view: 'run', id: resumed.runId });
      }),

    async stepDetail(runId, step) {
      try {
        return await client.call('steps.get', { runId, step });
      } catch (error) {
        reportBackgroundError(store, `Could not read the output of step ${step}`, error);
        return null;
      }
    },
  };
}
