import { z } from 'zod';
import type { Workflow } from '../workflow.js';
import { id, lazyMethods, noParams, returns } from './schema.js';

/** Saved workflows: list, read, save, check. */
export const workflowMethods = lazyMethods({
  /** Saved workflows, most recently updated first. */
  'workflows.list': { params: () => noParams, result: returns<WorkflowSummary[]>() },
  'workflows.get': { params: () => z.object({ id }).strict(), result: returns<SavedWorkflow>() },
  /** Creates (no id) or replaces (with id) a workflow; an invalid definition is refused with its issues. */
  'workflows.save': {
    params: () => z.object({ id: id.optional(), workflow: z.unknown() }).strict(),
    result: returns<{ id: string }>(),
  },
  'workflows.delete': { params: () => z.object({ id }).strict(), result: returns<{ deleted: boolean }>() },
  /** Pinned workflows are offered first in the tray and the sidebar. */
  'workflows.pin': { params: () => z.object({ id, pinned: z.boolean() }).strict(), result: returns<{ pinned: boolean }>() },
  /** Checks a definition without saving it; the same checks the engine makes before a run. */
  'workflows.validate': {
    params: () => z.object({ workflow: z.unknown() }).strict(),
    result: returns<{ ok: boolean; issues: { path: string; message: string }[] }>(),
  },
});

export interface WorkflowSummary {
  id: string;
  name: string;
  description: string | null;
  stepCount: number;
  createdAt: string;
  updatedAt: string;
  lastRunAt: string | null;
  pinned: boolean;
}

export interface SavedWorkflow extends WorkflowSummary {
  workflow: Workflow;
}
