import type { EventBus } from '../events/index.js';

const outputBatchMs = 5;

/**
 * A run's live step output, announced in batches: what every attempt printed within a few
 * milliseconds goes out as one `step.output` per attempt, not one per chunk the process wrote.
 */
export class OutputBatch {
  private pending = new Map<string, { step: number; attempt: number; data: string }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly events: EventBus,
    private readonly runId: string,
  ) {}

  add(step: number, attempt: number, data: string): void {
    if (!this.events.hasListeners('step.output')) return;
    const key = `${step}:${attempt}`;
    const pending = this.pending.get(key);
    if (pending) pending.data += data;
    else this.pending.set(key, { step, attempt, data });
    this.timer ??= setTimeout(() => this.flush(), outputBatchMs);
  }

  /** Announces what is pending now: an attempt's last output goes out before its end does. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    if (batch.size === 0) return;
    this.pending = new Map();
    for (const { step, attempt, data } of batch.values()) {
      this.events.emit('step.output', { runId: this.runId, step, attempt, data });
    }
  }
}
