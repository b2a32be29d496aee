/**
 * Per-terminal flow control, after VS Code's: each attached client acknowledges what its
 * terminal view has consumed; the pty pauses while any client is more than `high` behind and
 * resumes once every client is under `low`. A client that detaches stops counting, and with
 * nobody attached the pty runs free (output still goes to scrollback and disk).
 *
 * Behind is counted in the view's work (`outputWork`), not in characters: clients acknowledge
 * characters, and each is matched to the batches it consumed, oldest first.
 */
export class FlowControl {
  private readonly clientsBehind = new Map<string, Behind>();
  private paused = false;

  constructor(
    private readonly pause: () => void,
    private readonly resume: () => void,
    private readonly high = 100_000,
    private readonly low = 5_000,
  ) {}

  attach(clientId: string): void {
    this.clientsBehind.set(clientId, new Behind());
  }

  detach(clientId: string): void {
    this.clientsBehind.delete(clientId);
    this.update();
  }

  isAttached(clientId: string): boolean {
    return this.clientsBehind.has(clientId);
  }

  clients(): string[] {
    return [...this.clientsBehind.keys()];
  }

  /** A batch of `chars` characters, costing a view `work` (as many as its characters when left out), just sent to every attached client. */
  sent(chars: number, work = chars): void {
    for (const behind of this.clientsBehind.values()) behind.sent(chars, work);
    this.update();
  }

  ack(clientId: string, chars: number): void {
    const behind = this.clientsBehind.get(clientId);
    if (!behind) return;
    behind.consumed(chars);
    this.update();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  private update(): void {
    let worst = 0;
    for (const behind of this.clientsBehind.values()) worst = Math.max(worst, behind.work);
    if (!this.paused && worst > this.high) {
      this.paused = true;
      this.pause();
    } else if (this.paused && worst < this.low) {
      this.paused = false;
      this.resume();
    }
  }
}

/** What one client has been sent and not yet consumed: the batches, oldest first, and their work in all. */
class Behind {
  private readonly batches: { chars: number; work: number }[] = [];
  /** Index of the oldest batch not wholly consumed (the array is compacted now and then). */
  private head = 0;
  work = 0;

  sent(chars: number, work: number): void {
    if (chars <= 0) return;
    this.batches.push({ chars, work });
    this.work += work;
  }

  consumed(chars: number): void {
    let left = chars;
    while (left > 0 && this.head < this.batches.length) {
      const batch = this.batches[this.head]!;
      if (batch.chars <= left) {
        left -= batch.chars;
        this.work -= batch.work;
        this.head++;
        continue;
      }
      // Part of a batch: its work shared out by characters.
      const work = Math.round((batch.work * left) / batch.chars);
      batch.chars -= left;
      batch.work -= work;
      this.work -= work;
      left = 0;
    }
    // Everything sent is consumed (or a client acknowledged more than it was sent): nothing is owed.
    if (this.head >= this.batches.length) {
      this.batches.length = 0;
      this.head = 0;
      this.work = 0;
    } else if (this.head > 64) {
      this.batches.splice(0, this.head);
      this.head = 0;
    }
  }
}
