import { join } from 'node:path';
import type { WorkflowStep } from '../../../shared/workflow.js';
import { attemptFolder, removeAttemptFolder, startAttemptFolder, startedAhead } from './attempt-folder.js';
import { removeSpares } from './spare-folders.js';
import { satisfiesDependents, type StepRuntime } from './step-runtime.js';

/**
 * The temp folders of the steps that a step just launched is the last one waiting for, made while
 * it runs. Otherwise the terminal host makes a step's folder as it starts it, on the way from one
 * step's end to the next one's start: a directory made through its thread pool, 0.1 to 0.17 ms of
 * each link of a chain (traced at load 2). Only for plain local shell steps, whose folder is made
 * by the terminal host (an AI tool's or a sandbox's is made and filled by the preparation itself).
 * A folder whose attempt never starts (its step is skipped, the run stops first) is removed when
 * the run ends with the spares its ended attempts left (spare-folders.ts), or, after a crash, by
 * recovery.
 */
export class FoldersAhead {
  private readonly made: string[] = [];
  /** Folders to make once the turn's processes are started. */
  private readonly wanted: string[] = [];
  /** The run ended: nothing more is made. */
  private closed = false;

  constructor(
    private readonly dataDir: string,
    private readonly runId: string,
    private readonly steps: ReadonlyMap<number, StepRuntime>,
    private readonly dependents: ReadonlyMap<number, number[]>,
  ) {}

  /**
   * `launched` started an attempt: each dependent that waits for it alone gets its next attempt's
   * folder, asked for with process.nextTick: launched as a step's end is heard (in a promise job),
   * that comes after the promise jobs that start the launched step's process. Asking the thread
   * pool costs the main thread about 0.05 ms, which would otherwise delay that start.
   *
   * None while `waiting` other ready steps wait for a slot: a dependent made ready then waits its
   * turn behind them, holding a folder for nothing, and the ended attempts' spares it took are
   * missing when the steps before it start, which then get new folders (spare-folders.ts). The
   * 1,000-step DAG at concurrency 2 made 94 folders (strace); made ahead only when nothing waits, 4.
   */
  launched(launched: StepRuntime, waiting: number): void {
    if (waiting > 0) return;
    for (const number of this.dependents.get(launched.def.step) ?? []) {
      const dependent = this.steps.get(number)!;
      if (dependent.status !== 'pending' || !madeByTerminal(dependent.def)) continue;
      if (!dependent.def.dependencies.every((dep) => dep === launched.def.step || satisfiesDependents(this.steps.get(dep)!))) continue;
      const folder = attemptFolder(this.dataDir, this.runId, number, dependent.attempts + 1);
      if (this.wanted.length === 0) process.nextTick(() => this.makeWanted());
      this.wanted.push(folder);
    }
  }

  private makeWanted(): void {
    for (const folder of this.wanted.splice(0)) {
      if (this.closed || startedAhead(folder)) continue;
      startAttemptFolder(folder);
      this.made.push(folder);
    }
  }

  /**
   * The run has ended: once its attempts' `closings` are done (each one's folder kept as a spare or
   * removed), removes the spares and the folders made ahead whose attempt never ran.
   */
  endOfRun(closings: Iterable<Promise<void>>): Promise<void> {
    this.closed = true;
    const unused = this.made.filter(startedAhead);
    this.made.length = 0;
    return Promise.all([...closings, ...unused.map(removeAttemptFolder)]).then(() => removeSpares(join(this.dataDir, 'runs', this.runId)));
  }
}

/** A plain shell step run here, without a sandbox: its folder is made by the terminal host unless it exists. */
function madeByTerminal(def: WorkflowStep): boolean {
  return def.platform === 'shell' && def.agent === undefined && def.forEach === undefined && def.sandbox === undefined && def.host === undefined;
}
