import { terminalToText } from './terminal-text.js';

/** Raw characters kept per step; older output falls off the front. */
export const defaultTailChars = 64_000;

interface StepTail {
  raw: string;
  /** The attempt the live text belongs to; 0 before any live text. */
  attempt: number;
  /** True once live output arrived, so a stored copy does not replace it. */
  live: boolean;
  /** Output was missed (the link dropped) since live text began. */
  gap: boolean;
}

/**
 * The live tail of every step of one run view, outside the store: step.output events append
 * here, bounded, and each step's output panel subscribes to its own step only.
 */
export class RunOutputFeed {
  private readonly steps = new Map<number, StepTail>();
  private readonly listeners = new Map<number, Set<() => void>>();

  constructor(private readonly limit = defaultTailChars) {}

  private tail(step: number): StepTail {
    let tail = this.steps.get(step);
    if (!tail) this.steps.set(step, (tail = { raw: '', attempt: 0, live: false, gap: false }));
    return tail;
  }

  private write(step: number, tail: StepTail, raw: string): void {
    tail.raw = raw.length > this.limit ? raw.slice(-this.limit) : raw;
    for (const listener of [...(this.listeners.get(step) ?? [])]) listener();
  }

  /** A `step.output` event's text. A new attempt gets a visible divider. */
  append(step: number, attempt: number, data: string): void {
    const tail = this.tail(step);
    let raw = tail.live ? tail.raw : '';
    if (tail.live && attempt !== tail.attempt) raw += `${raw.endsWith('\n') || raw === '' ? '' : '\n'}── attempt ${attempt} ──\n`;
    tail.live = true;
    tail.attempt = attempt;
    this.write(step, tail, raw + data);
  }

  /**
   * Output read from the engine's storage (a finished step's output, an attempt's tail). It fills
   * an empty panel, or replaces a live one that has a gap; a complete live tail stays.
   */
  seed(step: number, text: string): void {
    const tail = this.tail(step);
    if (tail.live && !tail.gap) return;
    tail.live = false;
    tail.gap = false;
    this.write(step, tail, text);
  }

  /** The link dropped: live tails may miss output from now on, and say so. */
  markGap(): void {
    for (const [step, tail] of this.steps) {
      if (!tail.live || tail.gap) continue;
      tail.gap = true;
      this.write(step, tail, `${tail.raw}${tail.raw.endsWith('\n') || tail.raw === '' ? '' : '\n'}[connection lost: some output may be missing here]\n`);
    }
  }

  /** True when the panel has no complete live tail, so stored output should fill it. */
  needsSeed(step: number): boolean {
    const tail = this.steps.get(step);
    return !tail || !tail.live || tail.gap;
  }

  /** What the panel shows: plain text, escape codes removed. */
  text(step: number): string {
    return terminalToText(this.steps.get(step)?.raw ?? '');
  }

  subscribe(step: number, listener: () => void): () => void {
    let set = this.listeners.get(step);
    if (!set) this.listeners.set(step, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }
}
