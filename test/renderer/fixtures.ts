import type { SavedWorkflow, SystemInfo, WorkflowSummary } from '../../shared/api.js';
import type { RunDetail, RunSummary, StepState } from '../../shared/runs.js';
import type { TerminalInfo } from '../../shared/terminals.js';

export const systemInfo: SystemInfo = {
  version: '0.1.0',
  dataDir: '/tmp/photon-test',
  platform: 'linux',
  runnablePlatforms: ['shell'],
  host: 'server',
};

export function workflowSummary(id: string, name = `Workflow ${id}`): WorkflowSummary {
  return { id, name, description: null, stepCount: 1, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', lastRunAt: null, pinned: false };
}

export function savedWorkflow(id: string, name = `Workflow ${id}`): SavedWorkflow {
  return {
    ...workflowSummary(id, name),
    workflow: {
      name,
      workflow: [{ step: 1, platform: 'shell', inputs: { command: 'true' }, dependencies: [], continueOnFailure: false }],
    },
  };
}

export function runSummary(runId: string, createdAt: string, patch: Partial<RunSummary> = {}): RunSummary {
  return {
    runId,
    workflowId: 'w1',
    workflowName: 'Workflow w1',
    status: 'running',
    concurrency: 4,
    createdAt,
    startedAt: createdAt,
    finishedAt: null,
    counts: { total: 2, pending: 1, running: 1, succeeded: 0, failed: 0, skipped: 0, cancelled: 0 },
    ...patch,
  };
}

export function stepState(step: number, patch: Partial<StepState> = {}): StepState {
  return {
    step,
    title: `Step ${step}`,
    platform: 'shell',
    dependencies: step > 1 ? [step - 1] : [],
    status: 'pending',
    attempts: 0,
    exitCode: null,
    startedAt: null,
    finishedAt: null,
    output: null,
    error: null,
    nextAttemptAt: null,
    agentId: null,
    agentNote: null,
    sessionId: null,
    costUsd: null,
    tokens: null,
    ...patch,
  };
}

export function runDetail(runId: string, createdAt: string, steps: StepState[] = [stepState(1), stepState(2)]): RunDetail {
  return {
    ...runSummary(runId, createdAt),
    workflow: { name: 'Workflow w1', workflow: [] },
    steps,
  };
}

/** A running shell terminal as terminals.list reports it. */
export function terminalInfo(id: string, patch: Partial<TerminalInfo> = {}): TerminalInfo {
  return {
    id,
    title: `bash (${id})`,
    command: null,
    cwd: '/home/u',
    pid: 1,
    status: 'running',
    exitCode: null,
    signal: null,
    cols: 80,
    rows: 24,
    createdAt: '2026-01-01T00:00:00.000Z',
    exitedAt: null,
    owner: null,
    ...patch,
  };
}
