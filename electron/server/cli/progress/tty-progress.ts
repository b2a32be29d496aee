import type { RunDetail } from '../../../../shared/runs.js';
import { formatDuration } from '../format.js';
import type { ProgressView, RunHeader } from './progress-view.js';
import type { BoardStep, StepBoard, StepChange } from './step-board.js';
import { attemptText, itemsText, stepName, transitionText } from './step-text.js';
import { runElapsedMs, summaryLines } from './summary.js';

const hideCursor = '\x1b[?25l';
const showCursor = '\x1b[?25h';
const spinner = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const tickMs = 100;
const minRedrawMs = 40;

/**
 * A progress bar with counts and the running steps, redrawn in place below the lines that stay
 * (failures, retries, notes). Only the block it drew itself is ever erased.
 */
export class TtyProgress implements ProgressView {
  private header: RunHeader | undefined;
  private drawnLines = 0;
  private ticker: NodeJS.Timeout | undefined;
  private pendingDraw: NodeJS.Timeout | undefined;
  private frame = 0;
  private startedAt = Date.now();
  private resumed = false;
  private readonly restoreCursor = () => this.out.write(showCursor);

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly board: StepBoard,
    private readonly extraArgs: string,
  ) {}

  started(header: RunHeader): void {
    this.header = header;
    this.startedAt = Date.now();
    this.resumed = header.resumed;
    this.out.write(hideCursor);
    process.once('exit', this.restoreCursor);
    this.ticker = setInterval(() => {
      this.frame++;
      this.draw();
    }, tickMs).unref();
    this.draw();
  }

  stepChanged({ current }: StepChange): void {
    if (current.status === 'failed' || current.status === 'timed_out') this.keep(`✗ ${stepName(current)} ${transitionText(current)}`);
    else if (current.status === 'retrying') this.keep(`↻ ${stepName(current)} ${transitionText(current)}`);
    else this.scheduleDraw();
  }

  note(message: string): void {
    this.keep(message);
  }

  finished(detail: RunDetail, interrupted: boolean): void {
    clearInterval(this.ticker);
    clearTimeout(this.pendingDraw);
    const [first, ...rest] = summaryLines(detail, runElapsedMs(detail, Date.now() - this.startedAt, this.resumed), { interrupted, extraArgs: this.extraArgs });
    const mark = detail.status === 'succeeded' ? '✓' : '✗';
    const lasting = [...this.statusLines(mark).map((l) => this.fit(l)), `${mark} ${first!}`, ...rest];
    this.out.write(`${this.erase()}${lasting.map((l) => `${l}\n`).join('')}${showCursor}`);
    process.off('exit', this.restoreCursor);
  }

  /** Writes a line that stays above the live block. */
  private keep(text: string): void {
    this.out.write(`${this.erase()}${this.fit(text)}\n`);
    this.draw();
  }

  private scheduleDraw(): void {
    this.pendingDraw ??= setTimeout(() => {
      this.pendingDraw = undefined;
      this.draw();
    }, minRedrawMs);
  }

  private draw(): void {
    if (!this.header) return;
    const lines = [...this.statusLines(spinner[this.frame % spinner.length]!), ...this.activeLines()].map((l) => this.fit(l));
    this.out.write(this.erase() + lines.map((l) => `${l}\n`).join(''));
    this.drawnLines = lines.length;
  }

  /** Moves up over the block drawn last and clears it (returned, so a frame is one write). */
  private erase(): string {
    const sequence = this.drawnLines > 0 ? `\x1b[${this.drawnLines}A\r\x1b[J` : '';
    this.drawnLines = 0;
    return sequence;
  }

  private statusLines(mark: string): string[] {
    const header = this.header!;
    const c = this.board.counts();
    const width = Math.max(10, Math.min(40, this.columns() - 70));
    const filled = c.total === 0 ? width : Math.round((c.done / c.total) * width);
    const percent = c.total === 0 ? 100 : Math.floor((c.done / c.total) * 100);
    const extra = [c.running && `▶ ${c.running} running`, c.failed && `✗ ${c.failed} failed`, c.skipped && `↷ ${c.skipped} skipped`, c.cancelled && `${c.cancelled} cancelled`, c.retrying && `↻ ${c.retrying} retrying`, c.waitingForBudget && `⏸ ${c.waitingForBudget} waiting for a budget`, c.waitingForSlot && `⏸ ${c.waitingForSlot} waiting for an agent slot`].filter(Boolean);
    return [
      `${mark} ${header.workflowName}  run ${header.runId}  ${formatDuration(Date.now() - this.startedAt)}`,
      `  [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${String(percent).padStart(3)}%  ${c.done}/${c.total} done  ✓ ${c.succeeded}${extra.length ? `  ${extra.join('  ')}` : ''}`,
    ];
  }

  private activeLines(): string[] {
    const active = this.board.active();
    const room = Math.max(1, (this.out.rows || 24) - 4);
    const shown = active.length > room ? active.slice(0, room - 1) : active;
    const lines = shown.map((step) => this.activeLine(step));
    if (shown.length < active.length) lines.push(`    … and ${active.length - shown.length} more`);
    return lines;
  }

  private activeLine(step: BoardStep): string {
    if (step.status === 'retrying') {
      const wait = step.nextAttemptAt ? formatDuration(Math.max(0, Date.parse(step.nextAttemptAt) - Date.now())) : 'soon';
      return `  ↻ ${stepName(step)}  next attempt in ${wait}`;
    }
    if (step.items) return `  ▶ ${stepName(step)}  ${itemsText(step.items)}`;
    const elapsed = step.attemptSeenAt === null ? '' : `  ${formatDuration(Date.now() - step.attemptSeenAt)}`;
    return `  ▶ ${stepName(step)}  ${attemptText(step)}${elapsed}`;
  }

  /** One screen row: a wrapped line would break the count of lines to erase. */
  private fit(line: string): string {
    const max = this.columns() - 1;
    return line.length > max ? `${line.slice(0, Math.max(0, max - 1))}…` : line;
  }

  private columns(): number {
    return this.out.columns || 80;
  }
}
