import { z } from 'zod';
import { runStatuses, type RunDetail, type RunSummary, type RunTimeline, type StepDetail } from '../runs.js';
import { isolationModes } from '../workspaces.js';
import { epochMs, id, lazyMethods, noParams, returns } from './schema.js';

/** Runs of workflows and their steps: start, watch, change, cancel, resume. */
export const runMethods = lazyMethods({
  /** Starts a saved workflow (`workflowId`) or a definition given inline (`workflow`). */
  'runs.start': {
    params: () => z
      .object({
        workflowId: id.optional(),
        workflow: z.unknown().optional(),
        concurrency: z.number().int().min(1).max(64).optional(),
        /** Folder that relative step folders resolve against; the user's home when absent. */
        baseDir: z.string().min(1).max(4096).optional(),
        /**
         * Runs only some steps: `only` the steps named, or `from` them on (they and every step
         * after them). Steps before them take their outputs from `outputsFrom` (by default the
         * workflow's latest run), where they must have succeeded; the rest are skipped.
         */
        steps: z
          .object({
            steps: z.array(z.number().int().min(1)).min(1).max(10_000),
            mode: z.enum(['only', 'from']),
            outputsFrom: id.optional(),
          })
          .strict()
          .optional(),
        /**
         * Each step in its own git worktree, whatever the workflow's `workspace` says: `repo`
         * relative to `baseDir` (the workflow's own, else `baseDir` itself), `base` a branch, tag or
         * commit (the workflow's, else the repository's current branch).
         */
        workspace: z
          .object({ isolation: z.enum(isolationModes), repo: z.string().min(1).max(4096).optional(), base: z.string().min(1).max(1000).optional() })
          .strict()
          .optional(),
      })
      .strict()
      .refine((p) => (p.workflowId === undefined) !== (p.workflow === undefined), {
        message: 'give exactly one of workflowId or workflow',
      }),
    result: returns<{ runId: string }>(),
  },
  'runs.get': { params: () => z.object({ runId: id }).strict(), result: returns<RunDetail>() },
  /**
   * Runs, newest first: `status` any of those given, created in `since`..`until` (epoch ms, `until`
   * excluded), after skipping `offset` of them (pages).
   */
  'runs.list': {
    params: () => z
      .object({
        limit: z.number().int().min(1).max(1000).optional(),
        workflowId: id.optional(),
        status: z.array(z.enum(runStatuses)).min(1).max(runStatuses.length).optional(),
        since: epochMs.optional(),
        until: epochMs.optional(),
        offset: z.number().int().min(0).max(1_000_000).optional(),
      })
      .strict()
      .optional(),
    result: returns<RunSummary[]>(),
  },
  'runs.cancel': { params: () => z.object({ runId: id }).strict(), result: returns<{ cancelled: boolean }>() },
  /**
   * Changes a run's priority, deadline (an ISO 8601 date; null removes it) or metadata, kept in its
   * definition as a workflow file holds them. A running run is cancelled when its deadline passes.
   */
  'runs.update': {
    params: () => z
      .object({
        runId: id,
        priority: z.string().min(1).max(50).optional(),
        deadline: z.string().min(1).max(100).nullable().optional(),
        metadata: z.record(z.string(), z.unknown()).optional(),
      })
      .strict(),
    result: returns<RunDetail>(),
  },
  /**
   * Re-runs the steps of an ended run that did not succeed, keeping the outputs of those that did.
   * `definition: 'saved'` resumes with the workflow as saved since the run started: unfinished steps
   * run as it now defines them, and succeeded steps run again only when they or a step they depend
   * on changed. The default, `'run'`, keeps the run's own definition.
   */
  'runs.resume': {
    params: () => z.object({ runId: id, definition: z.enum(['run', 'saved']).optional() }).strict(),
    result: returns<{ runId: string }>(),
  },
  /** Stops every running run. */
  'runs.cancelAll': { params: () => noParams, result: returns<{ cancelled: number }>() },
  /** Every attempt of every step, retries included, in start order: the run's Gantt chart. */
  'runs.timeline': { params: () => z.object({ runId: id }).strict(), result: returns<RunTimeline>() },
  'steps.get': {
    params: () => z.object({ runId: id, step: z.number().int().min(1) }).strict(),
    result: returns<StepDetail>(),
  },
});
