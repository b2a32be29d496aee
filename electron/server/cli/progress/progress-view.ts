import type { RunDetail } from '../../../../shared/runs.js';
import type { StepChange } from './step-board.js';

export interface RunHeader {
  runId: string;
  workflowName: string;
  concurrency: number;
  resumed: boolean;
}

/** Live progress of one run, on a terminal or as plain lines. */
export interface ProgressView {
  started(header: RunHeader): void;
  stepChanged(change: StepChange): void;
  /** A message from the CLI itself (cancelling, waiting for processes). */
  note(message: string): void;
  finished(detail: RunDetail, interrupted: boolean): void;
}
