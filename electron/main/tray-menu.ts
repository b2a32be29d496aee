import type { MethodName, WorkflowSummary } from '../../shared/api.js';

/** What a tray item does, as data: the glue maps each kind to an engine call or a window action. */
export type TrayAction =
  | { kind: 'startWorkflow'; workflowId: string }
  | { kind: 'cancelAll' }
  | { kind: 'openDashboard' }
  | { kind: 'openApprovals' }
  | { kind: 'showWindow' }
  | { kind: 'quit' };

export type TrayItem =
  | { type: 'separator' }
  | { type: 'normal'; id: string; label: string; enabled: boolean; action?: TrayAction }
  | { type: 'submenu'; id: string; label: string; enabled: boolean; items: TrayItem[] };

export interface TrayState {
  runningCount: number;
  /** Steps whose terminal waits for the user to type. */
  waitingCount: number;
  /** Permission requests waiting in the approvals inbox. */
  approvalsCount?: number;
  workflows: readonly WorkflowSummary[];
  platform: NodeJS.Platform;
}

/** The renderer's route of the dashboard, where Open Dashboard takes the window. */
export const dashboardRoute = '#/dashboard';

/** How many workflows the Start submenu offers (pinned ones first, then the most recent). */
export const trayWorkflowLimit = 10;

/**
 * The tray's menu for an engine state: what runs and what waits for the user, a Start submenu
 * (pinned workflows, then recent ones), the dashboard, stop all, show and quit.
 */
export function trayMenuModel(state: TrayState): TrayItem[] {
  const { pinned, recent } = startableWorkflows(state.workflows, trayWorkflowLimit);
  const startItem = (workflow: WorkflowSummary): TrayItem => ({
    type: 'normal',
    id: `workflow:${workflow.id}`,
    label: menuLabel(truncate(workflow.name, 48), state.platform),
    enabled: true,
    action: { kind: 'startWorkflow', workflowId: workflow.id },
  });
  const startItems: TrayItem[] = [];
  if (pinned.length) startItems.push({ type: 'normal', id: 'pinned-header', label: 'Pinned', enabled: false }, ...pinned.map(startItem));
  if (pinned.length && recent.length) startItems.push({ type: 'separator' });
  if (recent.length) startItems.push({ type: 'normal', id: 'recent-header', label: 'Recent', enabled: false }, ...recent.map(startItem));
  if (!startItems.length) startItems.push({ type: 'normal', id: 'no-workflows', label: 'No saved workflows', enabled: false });

  const approvals = state.approvalsCount ?? 0;
  return [
    { type: 'normal', id: 'running', label: runningLabel(state.runningCount), enabled: false },
    { type: 'normal', id: 'waiting', label: waitingLabel(state.waitingCount), enabled: false },
    // Only while something waits: then it is the one item worth a click, straight to the inbox.
    ...(approvals > 0 ? [{ type: 'normal', id: 'approvals', label: approvalsLabel(approvals), enabled: true, action: { kind: 'openApprovals' } } as const] : []),
    { type: 'separator' },
    { type: 'submenu', id: 'start', label: 'Start Workflow', enabled: pinned.length + recent.length > 0, items: startItems },
    { type: 'normal', id: 'cancel-all', label: 'Stop All Runs', enabled: state.runningCount > 0, action: { kind: 'cancelAll' } },
    { type: 'separator' },
    { type: 'normal', id: 'dashboard', label: 'Open Dashboard', enabled: true, action: { kind: 'openDashboard' } },
    { type: 'normal', id: 'show', label: 'Show Photon', enabled: true, action: { kind: 'showWindow' } },
    { type: 'normal', id: 'quit', label: 'Quit Photon', enabled: true, action: { kind: 'quit' } },
  ];
}

export function runningLabel(count: number): string {
  if (count === 0) return 'No runs running';
  return count === 1 ? '1 run running' : `${count} runs running`;
}

export function waitingLabel(count: number): string {
  if (count === 0) return 'No agents waiting';
  return count === 1 ? '1 agent waiting for input' : `${count} agents waiting for input`;
}

/** "3 waiting for approval": the inbox's count, as the sidebar's badge says "3 waiting". */
export function approvalsLabel(count: number): string {
  return `${count} waiting for approval`;
}

/** "Photon" when idle; otherwise what runs and what waits, for a glance at the tray. */
export function trayTooltip(runningCount: number, waitingCount: number, approvalsCount = 0): string {
  const parts = [runningCount > 0 ? runningLabel(runningCount) : '', waitingCount > 0 ? waitingLabel(waitingCount) : '', approvalsCount > 0 ? approvalsLabel(approvalsCount) : ''].filter(Boolean);
  return parts.length ? `Photon: ${parts.join(', ')}` : 'Photon';
}

/**
 * What the Start submenu offers: every pinned workflow by name (up to the limit), then the most
 * recently touched of the rest, `limit` in all.
 */
export function startableWorkflows(workflows: readonly WorkflowSummary[], limit: number): { pinned: WorkflowSummary[]; recent: WorkflowSummary[] } {
  const pinned = workflows
    .filter((w) => w.pinned)
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, limit);
  const recent = recentWorkflows(
    workflows.filter((w) => !w.pinned),
    limit - pinned.length,
  );
  return { pinned, recent };
}

/** Most recently touched first: edited or run, whichever is later; then by name for a stable order. */
export function recentWorkflows(workflows: readonly WorkflowSummary[], limit: number): WorkflowSummary[] {
  const touched = (w: WorkflowSummary) => Math.max(Date.parse(w.updatedAt) || 0, (w.lastRunAt && Date.parse(w.lastRunAt)) || 0);
  return [...workflows].sort((a, b) => touched(b) - touched(a) || a.name.localeCompare(b.name)).slice(0, Math.max(0, limit));
}

/** Methods whose success changes the tray's workflow list; run and wait counts follow events instead. */
export const trayAffectingMethods: ReadonlySet<MethodName> = new Set<MethodName>(['workflows.save', 'workflows.delete', 'workflows.pin', 'runs.start', 'runs.resume']);

// Windows and Linux menus read "&" as a mnemonic marker; "&&" shows one.
function menuLabel(label: string, platform: NodeJS.Platform): string {
  return platform === 'darwin' ? label : label.replaceAll('&', '&&');
}

function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}
