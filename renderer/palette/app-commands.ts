import { blankTemplate, examples, type WorkflowTemplate } from '../canvas/templates/index.js';
import { formatWhen } from '../lib/format.js';
import type { Route } from '../lib/route.js';
import { statusLabel } from '../lib/status.js';
import { waitingApprovals } from '../store/approvals-slice.js';
import { shownSessionStatus } from '../sessions/session-words.js';
import type { PhotonState } from '../store/store.js';
import { foregroundPrograms, tabTitle, terminalState } from '../terminals/tab-labels.js';
import type { PaletteCommand } from './command-registry.js';
import { shortcutFor } from './shortcuts.js';

/** What the app-wide commands do; the palette wires them to the router, the engine and the store. */
export interface AppCommandHandlers {
  navigate(route: Route): void;
  /** A new workflow from a bundled example, or a blank one of one step. */
  newWorkflow(template: WorkflowTemplate): void;
  importWorkflow(): void;
  newTerminal(): void;
  /** The New session dialog: an agent over ACP in a folder. */
  newSession(): void;
  showTerminal(id: string): void;
  toggleTerminals(): void;
  toggleSidebar(): void;
  showShortcuts(): void;
  cancelAllRuns(): void;
  showAgent(id: string): void;
  runWorkflow(id: string): void;
  cancelRun(runId: string): void;
}

/** How many recent runs the palette lists (the sidebar keeps more; typing finds among these). */
export const paletteRunLimit = 30;

/**
 * The commands that are always there: the app's actions, then every workflow, recent run, saved
 * agent and open terminal as a place to go. Built from the state when the palette opens.
 */
export function appCommands(state: PhotonState, on: AppCommandHandlers): PaletteCommand[] {
  const commands: PaletteCommand[] = [
    { id: 'action:new-workflow', group: 'Actions', title: 'New workflow', keywords: ['create', 'blank'], run: () => on.newWorkflow(blankTemplate) },
    ...examples.map((example): PaletteCommand => ({
      id: `action:example:${example.id}`,
      group: 'Actions',
      title: `New workflow from the example “${example.title}”`,
      keywords: ['template', 'sample', 'create'],
      run: () => on.newWorkflow(example),
    })),
    { id: 'action:import', group: 'Actions', title: 'Import a workflow file…', keywords: ['open', 'json', 'load'], run: on.importWorkflow },
    { id: 'action:new-terminal', group: 'Actions', title: 'New terminal…', keywords: ['shell', 'console'], run: on.newTerminal },
    { id: 'action:new-session', group: 'Actions', title: 'New session…', detail: 'an agent over ACP, as a conversation', keywords: ['acp', 'agent', 'chat', 'conversation'], run: on.newSession },
    { id: 'action:home', group: 'Actions', title: 'Go to Home', run: () => on.navigate({ view: 'home' }) },
    { id: 'action:dashboard', group: 'Actions', title: 'Go to Dashboard', keywords: ['metrics', 'charts', 'cost'], run: () => on.navigate({ view: 'dashboard' }) },
    { id: 'action:agents', group: 'Actions', title: 'Go to Agents', keywords: ['tools', 'secrets', 'keys'], run: () => on.navigate({ view: 'agents' }) },
    {
      id: 'action:approvals',
      group: 'Actions',
      title: 'Go to Approvals',
      detail: waitingDetail(waitingApprovals(state.approvals.byId).length),
      keywords: ['permission', 'allow', 'deny', 'inbox', 'waiting'],
      run: () => on.navigate({ view: 'approvals' }),
    },
    {
      id: 'action:toggle-sidebar',
      group: 'Actions',
      title: state.sidebarCollapsed ? 'Show the sidebar' : 'Hide the sidebar',
      keywords: ['collapse', 'fold', 'room', 'full window'],
      shortcut: shortcutFor('Fold or unfold the sidebar'),
      run: on.toggleSidebar,
    },
    { id: 'action:shortcuts', group: 'Actions', title: 'Show keyboard shortcuts', keywords: ['keys', 'help'], shortcut: '?', run: on.showShortcuts },
  ];
  if (state.terminals.tabs.length > 0) {
    commands.push({ id: 'action:toggle-terminals', group: 'Actions', title: state.terminals.dockOpen ? 'Hide the terminals' : 'Show the terminals', run: on.toggleTerminals });
  }
  if (state.runs.list.some((run) => run.status === 'running')) {
    commands.push({ id: 'action:cancel-all', group: 'Actions', title: 'Cancel every running run…', keywords: ['stop', 'abort'], run: on.cancelAllRuns });
  }

  for (const workflow of state.workflows.list) {
    commands.push({
      id: `workflow:${workflow.id}`,
      group: 'Workflows',
      title: workflow.name,
      detail: `${workflow.stepCount} ${workflow.stepCount === 1 ? 'step' : 'steps'}${workflow.pinned ? ' · pinned' : ''}`,
      keywords: [workflow.id, workflow.description ?? ''],
      run: () => on.navigate({ view: 'workflow', id: workflow.id }),
    });
    // The open canvas with unsaved edits runs from its own command, which saves them first.
    if (state.canvas.workflowId === workflow.id && state.canvas.dirty) continue;
    commands.push({
      id: `workflow-run:${workflow.id}`,
      group: 'Workflows',
      title: `Run ${workflow.name}`,
      detail: 'the saved version',
      keywords: ['start', 'execute'],
      run: () => on.runWorkflow(workflow.id),
    });
  }
  for (const run of state.runs.list.slice(0, paletteRunLimit)) {
    commands.push({
      id: `run:${run.runId}`,
      group: 'Runs',
      title: `Run of ${run.workflowName} · ${statusLabel(run.status)}`,
      detail: `${formatWhen(run.createdAt)} · ${run.counts.succeeded} of ${run.counts.total} succeeded · ${run.runId}`,
      keywords: [run.runId, run.status],
      run: () => on.navigate({ view: 'run', id: run.runId }),
    });
    if (run.status === 'running') {
      commands.push({ id: `run-cancel:${run.runId}`, group: 'Runs', title: `Cancel the run of ${run.workflowName}`, detail: run.runId, keywords: ['stop', 'abort'], run: () => on.cancelRun(run.runId) });
    }
  }
  // A session held up by one of its own requests waits for the user, as the sidebar and its page say.
  const asking = waitingApprovals(state.approvals.byId).flatMap((item) => (item.sessionId ? [item.sessionId] : []));
  for (const { info } of Object.values(state.sessions).sort((a, b) => b.info.startedAt - a.info.startedAt)) {
    commands.push({
      id: `session:${info.id}`,
      group: 'Sessions',
      title: `Session with ${info.agentName ?? info.tool}`,
      detail: `${shownSessionStatus(info.status, asking.filter((id) => id === info.id).length)} · ${info.runId ? `step ${info.stepId ?? '?'} of run ${info.runId}` : info.cwd}`,
      keywords: [info.id, info.tool, info.cwd],
      run: () => on.navigate({ view: 'session', id: info.id }),
    });
  }
  for (const agent of state.agents.list) {
    commands.push({
      id: `agent:${agent.id}`,
      group: 'Agents',
      title: agent.name,
      detail: `${agent.tool}${agent.model ? ` · ${agent.model}` : ''} · ${agent.id}`,
      keywords: [agent.id, agent.tool, ...agent.capabilities],
      run: () => on.showAgent(agent.id),
    });
  }
  const programs = foregroundPrograms(state.metrics.snapshot);
  for (const id of state.terminals.tabs) {
    const info = state.terminals.info[id];
    const program = info?.status === 'running' ? programs[id] : undefined;
    commands.push({
      id: `terminal:${id}`,
      group: 'Terminals',
      title: tabTitle(info),
      detail: `${program ? `running ${program}` : terminalState(info)}${info ? ` · ${info.cwd}` : ''}`,
      keywords: [info?.command ?? '', program ?? '', 'terminal'],
      run: () => on.showTerminal(id),
    });
  }
  return commands;
}

function waitingDetail(count: number): string {
  return count === 0 ? 'nothing waiting' : `${count} waiting for an answer`;
}
