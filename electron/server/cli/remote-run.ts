/**
 * A run on a running engine, watched as `photon run` watches its own: the server's event stream
 * (GET /api/v1/events/stream) carries the contract's step.updated, run.updated and approval.updated,
 * which the progress view already understands; reads and cancels are the operations endpoints.
 * The stream is opened before the run starts, so none of its first events are missed; when the
 * connection drops it comes back with Last-Event-ID, and the run's end is also polled for, so a
 * stream that goes quiet cannot leave the command waiting forever.
 */
import type { ApprovalItem } from '../../../shared/approvals.js';
import { PhotonError } from '../../../shared/errors.js';
import type { ApiEvent, Operation } from '../../../shared/rest.js';
import type { RunDetail, RunStatus, RunSummary, StepState } from '../../../shared/runs.js';
import type { Workflow } from '../../../shared/workflow.js';
import type { RemoteEngine } from './remote-engine.js';
import type { RunSource } from './watch-run.js';

const streamPath = '/api/v1/events/stream?type=step.updated,run.updated,approval.updated';
const endedStatuses = new Set<RunStatus>(['succeeded', 'failed', 'cancelled', 'interrupted']);
const pollMs = 2000;

export class RemoteRunSource implements RunSource {
  private readonly stepListeners = new Set<(runId: string, step: StepState) => void>();
  private readonly approvalListeners = new Set<(item: ApprovalItem) => void>();
  /** The newest state of each step and run the stream told, for the detail at the end. */
  private readonly steps = new Map<string, Map<number, StepState>>();
  private readonly summaries = new Map<string, RunSummary>();
  private readonly endWaiters = new Map<string, () => void>();
  private readonly controller = new AbortController();
  private lastEventId: string | undefined;
  private closed = false;

  private constructor(private readonly remote: RemoteEngine) {}

  /** Opens the event stream and resolves once the server has accepted it (so a wrong key fails here). */
  static async open(remote: RemoteEngine): Promise<RemoteRunSource> {
    const source = new RemoteRunSource(remote);
    const body = await source.connect();
    void source.follow(body);
    return source;
  }

  onStep(listener: (runId: string, step: StepState) => void): () => void {
    this.stepListeners.add(listener);
    return () => this.stepListeners.delete(listener);
  }

  onApproval(listener: (item: ApprovalItem) => void): () => void {
    this.approvalListeners.add(listener);
    return () => this.approvalListeners.delete(listener);
  }

  async get(runId: string): Promise<RunDetail> {
    const operation = await this.remote.request<Operation>('GET', `/api/v1/operations/${encodeURIComponent(runId)}`);
    return toRunDetail(operation, this.steps.get(operation.id));
  }

  async cancel(runId: string): Promise<unknown> {
    try {
      return await this.remote.request('DELETE', `/api/v1/operations/${encodeURIComponent(runId)}`);
    } catch (error) {
      // It ended on its own between the Ctrl-C and the request: nothing left to cancel.
      if (error instanceof PhotonError && error.code === 'conflict') return undefined;
      throw error;
    }
  }

  async waitForRun(runId: string): Promise<void> {
    const ended = new Promise<void>((resolve) => this.endWaiters.set(runId, resolve));
    for (;;) {
      const summary = this.summaries.get(runId);
      if (summary && endedStatuses.has(summary.status)) return;
      const status = (await this.remote.request<Operation>('GET', `/api/v1/operations/${encodeURIComponent(runId)}`)).status;
      if (endedStatuses.has(status)) return;
      await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, pollMs))]);
    }
  }

  close(): void {
    this.closed = true;
    this.controller.abort();
  }

  private async connect(): Promise<ReadableStream<Uint8Array>> {
    const response = await this.remote.fetch(streamPath, {
      headers: { ...this.remote.headers, accept: 'text/event-stream', ...(this.lastEventId ? { 'last-event-id': this.lastEventId } : {}) },
      signal: this.controller.signal,
    });
    if (response.status !== 200 || !response.body) throw await this.remote.refused(response, `GET ${streamPath}`);
    return response.body;
  }

  /** Reads the stream to its end, then reconnects from the last event seen, while the command runs. */
  private async follow(first: ReadableStream<Uint8Array>): Promise<void> {
    let body: ReadableStream<Uint8Array> | undefined = first;
    for (let failures = 0; !this.closed; ) {
      try {
        body ??= await this.connect();
        await this.read(body);
        failures = 0;
      } catch {
        failures++;
      }
      body = undefined;
      if (this.closed) return;
      // waitForRun's polling still sees the end while the stream is away; a retry now and then is enough.
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** failures)));
    }
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        this.message(block);
      }
    }
  }

  private message(block: string): void {
    let id: string | undefined;
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('id:')) id = line.slice(3).trim();
      else if (line.startsWith('data:')) data += line.slice(5).replace(/^ /, '');
    }
    if (id) this.lastEventId = id;
    if (!data) return;
    const event = JSON.parse(data) as ApiEvent;
    if (event.event === 'step.updated') {
      const { runId, step } = event.payload as { runId: string; step: StepState };
      let steps = this.steps.get(runId);
      if (!steps) this.steps.set(runId, (steps = new Map()));
      steps.set(step.step, step);
      for (const listener of this.stepListeners) listener(runId, step);
    } else if (event.event === 'run.updated') {
      const summary = event.payload as RunSummary;
      this.summaries.set(summary.runId, summary);
      if (endedStatuses.has(summary.status)) this.endWaiters.get(summary.runId)?.();
    } else if (event.event === 'approval.updated') {
      for (const listener of this.approvalListeners) listener(event.payload as ApprovalItem);
    }
  }
}

/**
 * A run as the CLI's views take it, from the operation the API shows and, where the stream told
 * them, the steps' full states (their output and what their tools reported). The definition itself
 * is not part of an operation: only its name is kept.
 */
export function toRunDetail(operation: Operation, streamed?: ReadonlyMap<number, StepState>): RunDetail {
  const outputs = new Map(operation.results.map((r) => [r.step, r.output]));
  return {
    runId: operation.id,
    workflowId: operation.workflowId,
    workflowName: operation.name,
    status: operation.status,
    concurrency: operation.concurrency,
    createdAt: operation.createdAt,
    startedAt: operation.startedAt,
    finishedAt: operation.finishedAt,
    counts: operation.counts,
    ...(operation.parent ? { parent: { runId: operation.parent.id, step: operation.parent.step } } : {}),
    ...(operation.trigger ? { trigger: operation.trigger } : {}),
    // The API does not send the definition; its steps as the operation names them are what the
    // progress board needs (a resumed run's board is built from them).
    workflow: { name: operation.name, workflow: operation.steps.map((s) => ({ step: s.step, label: s.title, platform: s.platform, inputs: {}, dependencies: [] })) } as unknown as Workflow,
    steps: operation.steps.map((s) => {
      const known = streamed?.get(s.step);
      // The stream's state is newer only while it agrees on the status; the operation read last wins otherwise.
      if (known && known.status === s.status) return known;
      const { childOperationId, ...state } = s;
      return {
        ...state,
        ...(childOperationId ? { childRunId: childOperationId } : {}),
        dependencies: known?.dependencies ?? [],
        output: outputs.get(s.step) ?? known?.output ?? null,
        nextAttemptAt: null,
        agentNote: null,
        sessionId: known?.sessionId ?? null,
        costUsd: known?.costUsd ?? null,
        tokens: known?.tokens ?? null,
      };
    }),
  };
}
