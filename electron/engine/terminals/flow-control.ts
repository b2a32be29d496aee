/**
 * Per-terminal flow control, after VS Code's: each attached client acknowledges what its
 * terminal view has consumed; the pty pauses while any client is more than `high` characters
 * behind and resumes once every client is under `low`. A client that detaches stops counting,
 * and with nobody attached the pty runs free (output still goes to scrollback and disk).
 */
export class FlowControl {
  private readonly unacked = new Map<string, number>();
  private paused = false;

  constructor(
    private readonly pause: () => void,
    private readonly resume: () => void,
    private readonly high = 100_000,
    private readonly low = 5_000,
  ) {}

  attach(clientId: string): void {
    this.unacked.set(clientId, 0);
  }

  detach(clientId: string): void {
    this.unacked.delete(clientId);
    this.update();
  }

  isAttached(clientId: string): boolean {
    return this.unacked.has(clientId);
  }

  clients(): string[] {
    return [...this.unacked.keys()];
  }

  /** Characters just sent to every attached client. */
  sent(chars: number): void {
    for (const [client, count] of this.unacked) this.unacked.set(client, count + chars);
    this.update();
  }

  ack(clientId: string, chars: number): void {
    const count = this.unacked.get(clientId);
    if (count === undefined) return;
    this.unacked.set(clientId, Math.max(0, count - chars));
    this.update();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  private update(): void {
    const worst = Math.max(0, ...this.unacked.values());
    if (!this.paused && worst > this.high) {
      this.paused = true;
      this.pause();
    } else if (this.paused && worst < this.low) {
      this.paused = false;
      this.resume();
    }
  }
}
