import type { ApprovalItem } from '../../../shared/approvals.js';
import type { ExitInfo } from '../terminals/index.js';
import type { KillReason, ReadResult } from './attempt-ending.js';
import type { RunsRepository } from '../storage/index.js';

/** The platform of a workflow's human gate: no process, a question in the approvals inbox. */
export { gatePlatform } from '../../../shared/validate-conditions.js';

/** The part of the approvals inbox a gate uses (see ApprovalsService). */
export interface GateInbox {
  gate(request: { runId: string; step: number; title: string; cwd: string | null }): { id: string; answered: Promise<ApprovalItem | undefined> };
  endGate(id: string, status: 'cancelled' | 'expired', reason: string): void;
  gateAnswer(runId: string, step: number, since: string): ApprovalItem | undefined;
  /** Closes what of the run still waits in the inbox's file, with why (a run settled after its writes were lost). */
  closeRun(runId: string, reason: string): void;
}

export interface GateAttemptOptions {
  inbox: GateInbox;
  runId: string;
  step: number;
  /** `inputs.message`, its templates filled in. */
  message: string;
  cwd: string | null;
  /**
   * The start of this step's attempt that an engine crash or shutdown cut short, if any: an answer
   * given since then was written before the engine stopped, and is applied instead of asking again.
   */
  answeredSince: string | null;
}

/**
 * One attempt of a gate step, shaped as the executor's other attempts (data, exit, kill, read): it
 * ends 0 with "approved by … at …" as its output, or 1 with "rejected by … at …: message" as its
 * error (not retried: a person's no is not asked again). A step timeout expires the question in the
 * inbox; a cancel withdraws it.
 */
export class GateAttempt {
  readonly info = { pid: null };
  read: ReadResult | undefined;
  private readonly dataListeners: ((data: string) => void)[] = [];
  private readonly exitListeners: ((exit: ExitInfo) => void)[] = [];
  private openId: string | undefined;
  private exited = false;
  /**
   * A run waiting only for a person has no process or socket to keep its host alive: without this,
   * `photon run` would exit mid-run while the question waits.
   */
  private keepAlive: NodeJS.Timeout | undefined = setInterval(() => undefined, 1 << 30);

  constructor(
    private readonly options: GateAttemptOptions,
    private readonly stopReason: () => KillReason | undefined,
    /** Why it was stopped, when not by the run's cancel ("lost the race to step 4"). */
    private readonly stopNote: () => string | undefined = () => undefined,
  ) {
    const earlier = options.answeredSince ? options.inbox.gateAnswer(options.runId, options.step, options.answeredSince) : undefined;
    // Listeners are attached after the constructor returns: everything is said on the next turn.
    setImmediate(() => {
      if (earlier) {
        this.say(`photon: answered before Photon stopped: ${describe(earlier)}\r\n`);
        return this.finish(earlier);
      }
      const { id, answered } = options.inbox.gate({ runId: options.runId, step: options.step, title: options.message, cwd: options.cwd });
      this.openId = id;
      this.say(`photon: waiting for approval ${id}: ${options.message}\r\nphoton: approve with: photon approve ${id}   reject with: photon deny ${id}\r\n`);
      void answered.then((item) => {
        this.openId = undefined;
        if (item) this.finish(item);
      });
    });
  }

  onData(listener: (data: string) => void): void {
    this.dataListeners.push(listener);
  }

  onExit(listener: (exit: ExitInfo) => void): void {
    this.exitListeners.push(listener);
  }

  kill(_graceMs?: number): Promise<void> {
    const reason = this.stopReason();
    const id = this.openId;
    this.openId = undefined;
    if (id) {
      this.options.inbox.endGate(
        id,
        reason === 'timeout' ? 'expired' : 'cancelled',
        reason === 'timeout' ? "not answered within the step's timeout" : reason === 'interrupt' ? 'Photon stopped before it was answered' : cancelWords(this.stopNote()),
      );
    }
    this.exit({ exitCode: null, signal: null });
    return Promise.resolve();
  }

  private finish(item: ApprovalItem): void {
    const approved = item.status === 'allowed';
    this.say(`photon: ${describe(item)}\r\n`);
    this.read = approved
      ? { result: { output: `approved by ${item.answeredBy} at ${item.answeredAt}` } }
      : // authFailure: "running it again cannot help", so the retry policy does not ask again.
        { result: { output: '', error: describe(item), authFailure: true } };
    this.exit({ exitCode: approved ? 0 : 1, signal: null });
  }

  private say(text: string): void {
    for (const listener of this.dataListeners) listener(text);
  }

  private exit(exit: ExitInfo): void {
    if (this.exited) return;
    this.exited = true;
    clearInterval(this.keepAlive);
    this.keepAlive = undefined;
    for (const listener of this.exitListeners) listener(exit);
  }
}

function describe(item: ApprovalItem): string {
  if (item.status === 'allowed') return `approved by ${item.answeredBy} at ${item.answeredAt}`;
  return `rejected by ${item.answeredBy} at ${item.answeredAt}${item.message ? `: ${item.message}` : ''}`;
}

/**
 * A gate attempt's options. The attempt before it, if it ended without a result (the engine was
 * stopped or killed while the gate waited), is where an answer written before the stop is looked for.
 */
export function gateOptions(inbox: GateInbox, repo: Pick<RunsRepository, 'getAttempts'>, runId: string, step: number, attempt: number, inputs: Record<string, unknown>): GateAttemptOptions {
  const previous = attempt > 1 ? repo.getAttempts(runId, step).find((a) => a.attempt === attempt - 1) : undefined;
  const cutShort = previous && previous.status !== 'succeeded' && previous.status !== 'failed' && previous.status !== 'timed_out';
  const message = typeof inputs.message === 'string' ? inputs.message : '';
  return { inbox, runId, step, message, cwd: null, answeredSince: cutShort ? previous.startedAt : null };
}

/** Why a waiting question was withdrawn: the run's cancel, or the step's own (a race it lost). */
function cancelWords(note: string | undefined): string {
  return note ? `the step ${note} before it was answered` : 'the run was cancelled before it was answered';
}
