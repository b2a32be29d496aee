import type { ApprovalItem } from '../../../shared/approvals.js';
import type { RunDetail, StepState } from '../../../shared/runs.js';
import type { Engine } from '../../engine/index.js';
import { ApprovalNotes } from './approval-notes.js';
import { ChildRunNotes } from './child-run-notes.js';
import { exitCodeForSignal, exitCodes } from './exit-codes.js';
import { createProgressView, type StepBoard } from './progress/index.js';
import { printJson, toRunJson } from './run-json.js';
import { onStopSignal } from './signals.js';

/** Where a watched run lives: this process's engine, or a running one over the REST API (remote-run.ts). */
export interface RunSource {
  onStep(listener: (runId: string, step: StepState) => void): () => void;
  onApproval(listener: (item: ApprovalItem) => void): () => void;
  get(runId: string): Promise<RunDetail>;
  /** Resolves once every process of the run is dead. */
  cancel(runId: string): Promise<unknown>;
  waitForRun(runId: string): Promise<unknown>;
}

export function localRunSource(engine: Engine): RunSource {
  return {
    onStep: (listener) => engine.on('step.updated', ({ runId, step }) => listener(runId, step)),
    onApproval: (listener) => engine.on('approval.updated', listener),
    get: (runId) => engine.call('runs.get', { runId }),
    cancel: (runId) => engine.call('runs.cancel', { runId }),
    waitForRun: (runId) => engine.waitForRun(runId),
  };
}

export interface WatchRunOptions {
  source: RunSource;
  /** The run's steps as they are before `start`: all pending, or those a resume keeps. */
  board: StepBoard;
  json: boolean;
  resumed: boolean;
  /** Arguments the hints at the end repeat (` --data-dir DIR`). */
  extraArgs: string;
  /** Starts or resumes the run; resolves with its id. */
  start(): Promise<string>;
}

/**
 * Shows a run live until it ends and returns the exit code: 0 every step succeeded, 1 it did not,
 * 128 + signal after Ctrl-C (or SIGTERM/SIGHUP), once the run is cancelled and its processes dead.
 */
export async function watchRun(options: WatchRunOptions): Promise<number> {
  const { source, board } = options;
  // With --json, stdout holds only the final object; progress goes to stderr.
  const view = createProgressView(options.json ? process.stderr : process.stdout, board, options.extraArgs);
  let runId: string | undefined;
  // The first transitions can arrive before the header is printed (before `start` resolves, or
  // while a server answers the run's details); they are kept and shown after it.
  let headerShown = false;
  const early: { runId: string; step: StepState }[] = [];
  const children = new ChildRunNotes(options.extraArgs);
  const apply = (state: StepState) => {
    const change = board.update(state);
    if (change) view.stepChanged(change);
    const child = children.line(state);
    if (child) view.note(child);
  };
  // A served engine runs other runs too: early events keep their run's id and are sorted once the header is out.
  const unsubscribe = source.onStep((id, step) => {
    if (!headerShown) early.push({ runId: id, step });
    else if (id === runId) apply(step);
  });
  // A step waiting for a permission says so, with how to answer it from another terminal.
  const notes = new ApprovalNotes((step) => board.titleOf(step), options.extraArgs);
  const earlyApprovals: ApprovalItem[] = [];
  const noteApproval = (item: ApprovalItem) => {
    const line = notes.line(item);
    if (line) view.note(line);
  };
  const unsubscribeApprovals = source.onApproval((item) => {
    if (!headerShown) earlyApprovals.push(item);
    else if (item.runId === runId) noteApproval(item);
  });

  let stopSignal: NodeJS.Signals | undefined;
  let cancelling: Promise<unknown> | undefined;
  const cancel = (id: string) => {
    cancelling ??= source.cancel(id).catch((error: unknown) => view.note(`photon: could not cancel: ${String(error)}`));
  };
  const restoreSignals = onStopSignal((signal, count) => {
    if (count === 1) {
      stopSignal = signal;
      view.note(`${signal === 'SIGINT' ? 'Ctrl-C' : signal}: cancelling the run and stopping its processes…`);
      if (runId !== undefined) cancel(runId);
    } else {
      view.note('still stopping the steps\' processes; Photon exits as soon as none is left');
    }
  });

  try {
    runId = await options.start();
    const detail = await source.get(runId);
    view.started({ runId, workflowName: detail.workflowName, concurrency: detail.concurrency, resumed: options.resumed });
    headerShown = true;
    for (const event of early.splice(0)) if (event.runId === runId) apply(event.step);
    for (const item of earlyApprovals.splice(0)) if (item.runId === runId) noteApproval(item);
    if (stopSignal) cancel(runId);

    await source.waitForRun(runId);
    // runs.cancel resolves once every process of the run is dead.
    await cancelling;
    const final = await source.get(runId);
    view.finished(final, stopSignal !== undefined);
    if (options.json) printJson(toRunJson(final));
    if (stopSignal) return exitCodeForSignal(stopSignal);
    return final.status === 'succeeded' ? exitCodes.ok : exitCodes.failed;
  } finally {
    unsubscribe();
    unsubscribeApprovals();
    restoreSignals();
  }
}
