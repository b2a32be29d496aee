import type { RendererClient } from '../client/photon-client.js';
import { homeRoute } from '../lib/route.js';
import type { PhotonStore } from '../store/store.js';
import type { HashRouter } from '../sync/hash-router.js';
import { createCanvasActions } from './canvas-actions.js';
import type { WorkflowTemplate } from './templates/index.js';

/** "New workflow", "New workflow 2", …: the first name no saved workflow has yet. */
export function freshName(name: string, taken: readonly string[]): string {
  const used = new Set(taken);
  if (!used.has(name)) return name;
  let n = 2;
  while (used.has(`${name} ${n}`)) n += 1;
  return `${name} ${n}`;
}

/**
 * Makes a new workflow from a template (blank or a bundled example), saves it and opens it on the
 * canvas. Unsaved edits of the open workflow are asked about first: the view is left through the
 * router, whose leave guard asks, before anything is created.
 */
export function createNewWorkflow(client: RendererClient, store: PhotonStore, navigate: HashRouter['navigate']) {
  const canvas = createCanvasActions(client, store, navigate);
  return async (template: WorkflowTemplate): Promise<void> => {
    if (store.getState().route.view === 'workflow' && !navigate(homeRoute)) return;
    const name = freshName(template.workflow.name, store.getState().workflows.list.map((w) => w.name));
    await canvas.createFromTemplate({ ...template, workflow: { ...template.workflow, name } });
  };
}
