/**
 * Lines written together, a short while after the first of them. `photon run` prints a line per
 * step transition, and stdout to a pipe or a file is written synchronously by Node: one write per
 * line woke the reader each time and cost the engine's main thread 0.25 ms a line on a loaded
 * machine (the largest self time in a 300-step chain's profile, two lines a link). A CI log or a
 * `| tee` shows the lines at most `delayMs` later; their timestamps are taken when they happen.
 */
export class CoalescedLines {
  private pending = '';
  private timer: NodeJS.Timeout | undefined;
  private readonly flushAtExit = () => this.flush();

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly delayMs = 50,
  ) {}

  /** Queues `text` (a whole line, without its newline). */
  add(text: string): void {
    this.pending += `${text}\n`;
    if (this.timer) return;
    this.timer = setTimeout(this.flushAtExit, this.delayMs);
    // Whatever ends the process (the run's end, an error, process.exit) still prints what is queued.
    process.once('exit', this.flushAtExit);
  }

  /** Writes what is queued, now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    process.removeListener('exit', this.flushAtExit);
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    this.out.write(text);
  }
}
