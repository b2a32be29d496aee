import type { RunParent } from '../storage/index.js';
import type { ExitInfo } from '../terminals/index.js';
import type { KillReason, ReadResult } from './attempt-ending.js';
import type { ChildRuns } from './child-runs.js';

/** The platform of a step that runs a saved workflow as a child run. */
export { subWorkflowPlatform } from '../../../shared/workflow.js';

export interface SubWorkflowAttemptOptions {
  children: ChildRuns;
  request: { parent: RunParent; baseDir: string; ref: string; inputs: Record<string, unknown> };
  /** Told the child's id as soon as it exists, so the step shows it while it runs. */
  attached: (childRunId: string) => void;
}

/**
 * One attempt of a sub-workflow step, shaped as the executor's other attempts (data, exit, kill,
 * read): no process of its own, a child run instead. It ends 0 with the child's final outputs as
 * its output, or 1 with why the child did not succeed. A cancel or a timeout cancels the child; an
 * engine stopping leaves the child interrupted, for the next attempt to re-attach to.
 */
export class SubWorkflowAttempt {
  readonly info = { pid: null };
  read: ReadResult | undefined;
  private readonly dataListeners: ((data: string) => void)[] = [];
  private readonly exitListeners: ((exit: ExitInfo) => void)[] = [];
  private childRunId: string | undefined;
  private stopping: Promise<void> | undefined;
  private exited = false;

  constructor(
    private readonly options: SubWorkflowAttemptOptions,
    private readonly stopReason: () => KillReason | undefined,
    /** Why it was stopped, when not by the run's cancel ("lost the race to step 4"): the child says so. */
    private readonly stopNote: () => string | undefined = () => undefined,
  ) {
    // Listeners are attached after the constructor returns: everything is said on the next turn.
    setImmediate(() => void this.begin());
  }

  onData(listener: (data: string) => void): void {
    this.dataListeners.push(listener);
  }

  onExit(listener: (exit: ExitInfo) => void): void {
    this.exitListeners.push(listener);
  }

  kill(_graceMs?: number): Promise<void> {
    // Not started yet: begin() sees the stop reason and starts nothing.
    if (!this.childRunId) return Promise.resolve();
    // A child that cannot be stopped (gone from the history) has nothing left to stop.
    this.stopping ??= this.options.children.stop(this.childRunId, this.stopReason(), this.stopNote()).catch(() => undefined);
    return this.stopping;
  }

  private async begin(): Promise<void> {
    if (this.stopReason()) return this.exit({ exitCode: null, signal: null });
    let attached;
    try {
      attached = await this.options.children.attach(this.options.request);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.say(`photon: ${message}\r\n`);
      // authFailure: "running it again cannot help" (no such workflow, a cycle), so the retry policy does not ask again.
      this.read = { result: { output: '', error: message, authFailure: true } };
      return this.exit({ exitCode: 1, signal: null });
    }
    this.childRunId = attached.runId;
    this.options.attached(attached.runId);
    this.say(`photon: ${attached.how} child run ${attached.runId} (workflow "${attached.workflowName}")\r\n`);
    // Stopped while the child was being started: it is stopped too.
    if (this.stopReason()) void this.kill();
    let status: string;
    let result: { output: string } | { error: string };
    try {
      status = await attached.done;
      if (this.stopping) await this.stopping;
      result = this.options.children.result(attached.runId);
    } catch (error) {
      // Whatever went wrong following the child, the attempt ends: a run never waits on it for ever.
      status = 'lost';
      result = { error: `child run ${attached.runId} could not be followed: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (this.stopReason()) {
      this.say(`photon: child run ${attached.runId} ${status}\r\n`);
      return this.exit({ exitCode: null, signal: null });
    }
    if ('output' in result) {
      this.say(`photon: child run ${attached.runId} succeeded\r\n`);
      this.read = { result: { output: result.output } };
      return this.exit({ exitCode: 0, signal: null });
    }
    this.say(`photon: ${result.error}\r\n`);
    this.read = { result: { output: '', error: result.error } };
    this.exit({ exitCode: 1, signal: null });
  }

  private say(text: string): void {
    for (const listener of this.dataListeners) listener(text);
  }

  private exit(exit: ExitInfo): void {
    if (this.exited) return;
    this.exited = true;
    for (const listener of this.exitListeners) listener(exit);
  }
}
