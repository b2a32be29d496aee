import type { MethodName, WorkflowSummary } from '../../shared/api.js';

/** What a tray item does, as data: the glue maps each kind to an engine call or a window action. */
export type TrayAction =
  | { kind: 'startWorkflow'; workflowId: string }
  | { kind: 'cancelAll' }
  | { kind: 'showWindow' }
  | { kind: 'quit' };

export type TrayItem =
  | { type: 'separator' }
  | { type: 'normal'; id: string; label: string; enabled: boolean; action?: TrayAction };

export interface TrayState {
  runningCount: number;
  workflows: readonly WorkflowSummary[];
  platform: NodeJS.Platform;
}

/** How many workflows the tray offers to start. */
export const trayWorkflowLimit = 10;

/** The tray's menu for an engine state: the running count, the recent workflows, stop all, show, quit. */
export function trayMenuModel(state: TrayState): TrayItem[] {
  const recent = recentWorkflows(state.workflows, trayWorkflowLimit);
  const workflowItems: TrayItem[] = recent.length
    ? recent.map((workflow) => ({
        type: 'normal',
        id: `workflow:${workflow.id}`,
        label: menuLabel(`Start ${truncate(workflow.name, 48)}`, state.platform),
        enabled: true,
        action: { kind: 'startWorkflow', workflowId: workflow.id },
      }))
    : [{ type: 'normal', id: 'no-workflows', label: 'No saved workflows', enabled: false }];
  return [
    { type: 'normal', id: 'running', label: runningLabel(state.runningCount), enabled: false },
    { type: 'separator' },
    { type: 'normal', id: 'recent-header', label: 'Recent workflows', enabled: false },
    ...workflowItems,
    { type: 'separator' },
    { type: 'normal', id: 'cancel-all', label: 'Stop All Runs', enabled: state.runningCount > 0, action: { kind: 'cancelAll' } },
    { type: 'separator' },
    { type: 'normal', id: 'show', label: 'Show Photon', enabled: true, action: { kind: 'showWindow' } },
    { type: 'normal', id: 'quit', label: 'Quit Photon', enabled: true, action: { kind: 'quit' } },
  ];
}

export function runningLabel(count: number): string {
  if (count === 0) return 'No runs running';
  return count === 1 ? '1 run running' : `${count} runs running`;
}

export function trayTooltip(runningCount: number): string {
  return runningCount === 0 ? 'Photon' : `Photon: ${runningLabel(runningCount)}`;
}

/** Most recently touched first: edited or run, whichever is later; then by name for a stable order. */
export function recentWorkflows(workflows: readonly WorkflowSummary[], limit: number): WorkflowSummary[] {
  const touched = (w: WorkflowSummary) => Math.max(Date.parse(w.updatedAt) || 0, (w.lastRunAt && Date.parse(w.lastRunAt)) || 0);
  return [...workflows].sort((a, b) => touched(b) - touched(a) || a.name.localeCompare(b.name)).slice(0, limit);
}

/** Methods whose success changes what the tray shows (its workflow list), besides run.updated. */
export const trayAffectingMethods: ReadonlySet<MethodName> = new Set<MethodName>(['workflows.save', 'workflows.delete', 'runs.start', 'runs.resume']);

// Windows and Linux menus read "&" as a mnemonic marker; "&&" shows one.
function menuLabel(label: string, platform: NodeJS.Platform): string {
  return platform === 'darwin' ? label : label.replaceAll('&', '&&');
}

function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}
