import type { RunDetail } from '../../../../shared/runs.js';
import { plural } from '../format.js';
import { CoalescedLines } from './coalesced-lines.js';
import type { ProgressView, RunHeader } from './progress-view.js';
import type { StepBoard, StepChange } from './step-board.js';
import { stepName, transitionText } from './step-text.js';
import { runElapsedMs, summaryLines } from './summary.js';

/** One timestamped line per step transition, for logs, pipes and CI; transitions are written a few at a time (coalesced-lines.ts). */
export class PlainProgress implements ProgressView {
  private startedAt = Date.now();
  private resumed = false;
  private readonly transitions: CoalescedLines;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly board: StepBoard,
    private readonly extraArgs: string,
  ) {
    this.transitions = new CoalescedLines(out);
  }

  started(header: RunHeader): void {
    this.startedAt = Date.now();
    this.resumed = header.resumed;
    const left = this.board.total - this.board.counts().succeeded;
    const steps = header.resumed ? `${left} of ${plural(this.board.total, 'step')} to run` : plural(this.board.total, 'step');
    this.line(`run ${header.runId} ${header.resumed ? 'resumed' : 'started'}: ${header.workflowName} (${steps}, concurrency ${header.concurrency})`);
  }

  stepChanged({ current }: StepChange): void {
    this.transitions.add(stamped(`${stepName(current)} ${transitionText(current)}`));
  }

  note(message: string): void {
    this.line(message);
  }

  finished(detail: RunDetail, interrupted: boolean): void {
    const [first, ...rest] = summaryLines(detail, runElapsedMs(detail, Date.now() - this.startedAt, this.resumed), { interrupted, extraArgs: this.extraArgs });
    this.line(first!);
    for (const line of rest) this.out.write(`${line}\n`);
  }

  /** Written at once, after the transitions before it: the header, a note (Ctrl-C, an approval asked for), the summary. */
  private line(text: string): void {
    this.transitions.flush();
    this.out.write(`${stamped(text)}\n`);
  }
}

function stamped(text: string): string {
  return `${new Date().toISOString()}  ${text}`;
}
