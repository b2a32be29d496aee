import { describe, expect, it } from 'vitest';
import type { ApprovalItem } from '../../shared/approvals.js';
import { freshName } from '../../renderer/canvas/new-workflow.js';
import { appCommands, type AppCommandHandlers } from '../../renderer/palette/app-commands.js';
import { createPhotonStore } from '../../renderer/store/store.js';
import { snapshot } from './dashboard-fixtures.js';
import { runSummary, terminalInfo, workflowSummary } from './fixtures.js';

const terminal = (id: string) => terminalInfo(id, { cwd: '/home/u/project' });

function recorder() {
  const calls: string[] = [];
  const handlers: AppCommandHandlers = {
    navigate: (route) => calls.push(`navigate ${JSON.stringify(route)}`),
    newWorkflow: (template) => calls.push(`new ${template.id}`),
    importWorkflow: () => calls.push('import'),
    newTerminal: () => calls.push('new terminal'),
    newSession: () => calls.push('new session'),
    showTerminal: (id) => calls.push(`terminal ${id}`),
    toggleTerminals: () => calls.push('toggle terminals'),
    toggleSidebar: () => calls.push('toggle sidebar'),
    showShortcuts: () => calls.push('shortcuts'),
    cancelAllRuns: () => calls.push('cancel all'),
    showAgent: (id) => calls.push(`agent ${id}`),
    runWorkflow: (id) => calls.push(`run ${id}`),
    cancelRun: (runId) => calls.push(`cancel ${runId}`),
  };
  return { calls, handlers };
}

describe('the palette’s commands', () => {
  it('hold every workflow, recent run, saved agent and open terminal, each going to its place', () => {
    const store = createPhotonStore();
    const state = store.getState();
    state.workflowsLoaded([workflowSummary('w1', 'Release notes'), workflowSummary('w2', 'Nightly')]);
    state.runsLoaded([runSummary('r1', '2026-01-01T10:00:00.000Z', { workflowName: 'Nightly', status: 'running' })]);
    state.agentsLoaded([{ id: 'reviewer', name: 'Reviewer', tool: 'codex', model: null, cwd: null, capabilities: ['review'], location: 'local', autonomy: 'default', env: {}, secrets: [], maxConcurrentSteps: 1, createdAt: '', updatedAt: '' }]);
    state.terminalTabOpened(terminal('t1'));
    state.metricsReceived(snapshot('2026-01-01T10:00:01.000Z', { processes: [{ terminalId: 't1', cpuPercent: 0, rssBytes: 1, processes: 2, owner: null, waitingForInput: false, foregroundProgram: 'vim' }] }));

    const { calls, handlers } = recorder();
    const commands = appCommands(store.getState(), handlers);
    const byId = new Map(commands.map((c) => [c.id, c]));
    for (const id of ['workflow:w1', 'workflow:w2', 'run:r1', 'agent:reviewer', 'terminal:t1', 'action:new-workflow', 'action:example:diamond', 'action:cancel-all', 'action:toggle-terminals']) {
      expect(byId.has(id), id).toBe(true);
    }
    expect(byId.get('terminal:t1')!.detail).toBe('running vim · /home/u/project');
    expect(byId.get('run:r1')!.title).toBe('Run of Nightly · Running');
    for (const id of ['workflow:w1', 'run:r1', 'agent:reviewer', 'terminal:t1', 'action:new-workflow', 'workflow-run:w2', 'run-cancel:r1']) byId.get(id)!.run();
    expect(calls).toEqual(['navigate {"view":"workflow","id":"w1"}', 'navigate {"view":"run","id":"r1"}', 'agent reviewer', 'terminal t1', 'new blank', 'run w2', 'cancel r1']);
  });

  it('offer to cancel runs only while one runs, and name new workflows apart', () => {
    const store = createPhotonStore();
    const { handlers } = recorder();
    expect(appCommands(store.getState(), handlers).some((c) => c.id === 'action:cancel-all')).toBe(false);
    // The open canvas's workflow with unsaved edits is run from the canvas (which saves first), not as saved.
    store.getState().workflowsLoaded([workflowSummary('w1', 'Open one'), workflowSummary('w2', 'Other')]);
    store.getState().canvasOpen('w1', { name: 'Open one', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'echo' }, dependencies: [], continueOnFailure: false }] });
    store.getState().canvasSetMeta({ name: 'Open one, edited' });
    const ids = appCommands(store.getState(), handlers).map((c) => c.id);
    expect(ids).toContain('workflow-run:w2');
    expect(ids).not.toContain('workflow-run:w1');
    expect(freshName('New workflow', ['New workflow', 'New workflow 2', 'Other'])).toBe('New workflow 3');
    expect(freshName('Diamond', ['New workflow'])).toBe('Diamond');
  });
});

describe('the palette and the approvals inbox', () => {
  it('goes to Approvals from anywhere, saying how many requests wait', () => {
    const store = createPhotonStore();
    const { calls, handlers } = recorder();
    expect(appCommands(store.getState(), handlers).find((c) => c.id === 'action:approvals')!.detail).toBe('nothing waiting');
    const waiting: Omit<ApprovalItem, 'id' | 'createdAt'> = { kind: 'permission', status: 'waiting', sessionId: 's', runId: null, step: null, agentName: null, tool: 'codex', title: 'Run ls', toolKind: 'execute', command: 'ls', diffs: [], cwd: null, answer: null, answeredBy: null, answeredAt: null, message: null };
    store.getState().approvalsLoaded([
      { ...waiting, id: 'a1', createdAt: '2026-01-01T00:00:00.000Z' },
      { ...waiting, id: 'a2', createdAt: '2026-01-01T00:00:01.000Z' },
    ]);
    const command = appCommands(store.getState(), handlers).find((c) => c.id === 'action:approvals')!;
    expect(command.detail).toBe('2 waiting for an answer');
    command.run();
    expect(calls).toEqual(['navigate {"view":"approvals"}']);
  });
});

describe('the palette and sessions', () => {
  it('opens New session, and goes to each session by its agent', () => {
    const store = createPhotonStore();
    store.getState().sessionsListed([
      { id: 's1', tool: 'claude-code', agentName: 'Reviewer', cwd: '/repo', status: 'working', queued: [], usage: {}, startedAt: 1 },
      { id: 's2', tool: 'gemini', cwd: '/other', status: 'idle', queued: [], usage: {}, startedAt: 2, runId: 'r1', stepId: '2' },
    ]);
    const { calls, handlers } = recorder();
    const commands = appCommands(store.getState(), handlers);
    const sessions = commands.filter((c) => c.group === 'Sessions');
    expect(sessions.map((c) => [c.title, c.detail])).toEqual([
      ['Session with gemini', 'Ready · step 2 of run r1'],
      ['Session with Reviewer', 'Working · /repo'],
    ]);
    sessions[1]!.run();
    commands.find((c) => c.id === 'action:new-session')!.run();
    expect(calls).toEqual(['navigate {"view":"session","id":"s1"}', 'new session']);

    // Held up by its own permission request, the working session waits for the user, as the sidebar says.
    store.getState().approvalsLoaded([
      { id: 'a1', createdAt: '2026-01-01T00:00:00.000Z', kind: 'permission', status: 'waiting', sessionId: 's1', runId: null, step: null, agentName: 'Reviewer', tool: 'claude-code', title: 'Edit notes.txt', toolKind: 'edit', command: null, diffs: [], cwd: null, answer: null, answeredBy: null, answeredAt: null, message: null },
    ]);
    expect(appCommands(store.getState(), handlers).filter((c) => c.group === 'Sessions').map((c) => c.detail)).toEqual(['Ready · step 2 of run r1', 'Waiting for your answer · /repo']);
  });
});
