/**
 * `photon run`, `runs`, `show`, `resume`, `cancel`, `approvals`, `approve` and `deny` with --server:
 * the same output and exit codes as against the local engine, through the REST API of a running
 * one (remote-engine.ts, remote-run.ts).
 */
import type { ApprovalAnswer, ApprovalAnswerResult, ApprovalItem } from '../../../shared/approvals.js';
import { isPhotonError } from '../../../shared/errors.js';
import type { Operation, OperationSummary } from '../../../shared/rest.js';
import type { RunSummary } from '../../../shared/runs.js';
import type { Workflow } from '../../../shared/workflow.js';
import { StepBoard } from './progress/index.js';
import { RemoteEngine, type RemoteTarget } from './remote-engine.js';
import { RemoteRunSource, toRunDetail } from './remote-run.js';
import { watchRun } from './watch-run.js';

/** What hints at the end repeat, so a copied command asks the same server (the key stays in the environment or flag it came from). */
export function serverArgs(target: RemoteTarget): string {
  return ` --server ${target.url}`;
}

export async function runRemote(target: RemoteTarget, options: { workflow: Workflow; baseDir: string; concurrency?: number; json: boolean; extraArgs?: string }): Promise<number> {
  const remote = new RemoteEngine(target);
  // Open before the run starts, so its first events are not missed (and a wrong key fails before anything runs).
  const source = await RemoteRunSource.open(remote);
  try {
    return await watchRun({
      source,
      board: StepBoard.forNewRun(options.workflow),
      json: options.json,
      resumed: false,
      extraArgs: options.extraArgs ?? serverArgs(target),
      start: async () =>
        (await remote.request<Operation>('POST', '/api/v1/operations', { ...options.workflow, baseDir: options.baseDir, concurrency: options.concurrency })).id,
    });
  } finally {
    source.close();
  }
}

/** The newest `limit` runs, as `runs.list` gives them, read a page of at most 200 (the API's largest) at a time. */
export async function listRemote(target: RemoteTarget, limit: number): Promise<RunSummary[]> {
  const remote = new RemoteEngine(target);
  const operations: OperationSummary[] = [];
  for (let offset: number | null = 0; offset !== null && operations.length < limit; ) {
    const page: { operations: OperationSummary[]; nextOffset: number | null } = await remote.request('GET', `/api/v1/operations?limit=${Math.min(200, limit - operations.length)}&offset=${offset}`);
    operations.push(...page.operations);
    offset = page.nextOffset;
  }
  return operations.map((o) => ({
    runId: o.id,
    workflowId: o.workflowId,
    workflowName: o.name,
    status: o.status,
    concurrency: o.concurrency,
    createdAt: o.createdAt,
    startedAt: o.startedAt,
    finishedAt: o.finishedAt,
    counts: o.counts,
  }));
}

const operationPath = (runId: string) => `/api/v1/operations/${encodeURIComponent(runId)}`;

export async function showRemote(target: RemoteTarget, runId: string) {
  return toRunDetail(await new RemoteEngine(target).request<Operation>('GET', operationPath(runId)));
}

/** Resumes a run on the server and follows it there, as `photon resume` follows a local one. */
export async function resumeRemote(target: RemoteTarget, options: { runId: string; json: boolean; extraArgs?: string }): Promise<number> {
  const remote = new RemoteEngine(target);
  const before = toRunDetail(await remote.request<Operation>('GET', operationPath(options.runId)));
  const source = await RemoteRunSource.open(remote);
  try {
    return await watchRun({
      source,
      board: StepBoard.forResume(before),
      json: options.json,
      resumed: true,
      extraArgs: options.extraArgs ?? serverArgs(target),
      start: async () => (await remote.request<Operation>('POST', `${operationPath(before.runId)}/resume`, {})).id,
    });
  } finally {
    source.close();
  }
}

/** Cancels a running run on the server; resolves with the run as it ended. */
export async function cancelRemote(target: RemoteTarget, runId: string) {
  return toRunDetail(await new RemoteEngine(target).request<Operation>('DELETE', operationPath(runId)));
}

export function listApprovalsRemote(target: RemoteTarget, all: boolean): Promise<ApprovalItem[]> {
  return new RemoteEngine(target).request<ApprovalItem[]>('GET', `/api/v1/approvals${all ? '?all=true' : ''}`);
}

/** Answers each request in turn; one the server refuses is reported in its result, as the local engine reports it. */
export async function answerRemote(target: RemoteTarget, ids: readonly string[], answer: ApprovalAnswer, message?: string): Promise<ApprovalAnswerResult[]> {
  const remote = new RemoteEngine(target);
  const results: ApprovalAnswerResult[] = [];
  for (const id of ids) {
    try {
      const item = await remote.request<ApprovalItem>('POST', `/api/v1/approvals/${encodeURIComponent(id)}/answer`, { answer, ...(message ? { message } : {}) });
      results.push({ id, ok: true, item });
    } catch (error) {
      // A refused key or an unreachable server is the whole command's failure, not one request's.
      if (!isPhotonError(error) || !['not_found', 'conflict', 'invalid'].includes(error.code)) throw error;
      results.push({ id, ok: false, reason: error.message, code: error.code });
    }
  }
  return results;
}
