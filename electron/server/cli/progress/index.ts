import { PlainProgress } from './plain-progress.js';
import type { ProgressView } from './progress-view.js';
import type { StepBoard } from './step-board.js';
import { TtyProgress } from './tty-progress.js';

export { StepBoard } from './step-board.js';
export type { ProgressView, RunHeader } from './progress-view.js';

/** A redrawn bar when `out` is a terminal (and TERM is not dumb), timestamped lines otherwise. */
export function createProgressView(out: NodeJS.WriteStream, board: StepBoard, extraArgs: string): ProgressView {
  const interactive = out.isTTY === true && process.env.TERM !== 'dumb';
  return interactive ? new TtyProgress(out, board, extraArgs) : new PlainProgress(out, board, extraArgs);
}
