import type { AgentChoice } from '../agents/index.js';
import type { PreparedAttempt } from './attempt-preparation.js';

/**
 * Attempts prepared before their launch, by step: the next attempt of a step that waits for one
 * running step alone, prepared while that step runs (folders-ahead.ts picks them, once their temp
 * folder is made). Its launch then asks for the process as soon as the attempt before is written,
 * instead of first building its command and environment through the preparation's promise jobs
 * on the way from one step's end to the next one's start (0.08 to 0.14 ms of each link of a chain
 * of `true` steps, traced at load 1 to 2). Only steps whose preparation reads nothing the step
 * before can change are prepared ahead (AttemptRunner.prepareAhead).
 */
export class PreparationsAhead {
  private readonly ahead = new Map<number, { attempt: number; platform: string; prepared?: PreparedAttempt }>();

  /**
   * Starts `prepare` for the step's attempt `attempt` unless it is already under way. Its result is
   * kept once it is there; a preparation that fails is forgotten, and the launch prepares the
   * attempt again, meeting the failure (or not) then.
   */
  start(step: number, attempt: number, platform: string, prepare: () => Promise<PreparedAttempt>): void {
    if (this.ahead.get(step)?.attempt === attempt) return;
    const entry: { attempt: number; platform: string; prepared?: PreparedAttempt } = { attempt, platform };
    this.ahead.set(step, entry);
    prepare().then(
      (prepared) => {
        if (this.ahead.get(step) === entry) entry.prepared = prepared;
      },
      () => {
        if (this.ahead.get(step) === entry) this.ahead.delete(step);
      },
    );
  }

  /**
   * What was prepared for the step's attempt `attempt`, if that preparation is done and was made
   * for the tool it launches with (and no saved agent); the step's entry is forgotten either way.
   */
  take(step: number, attempt: number, choice: AgentChoice | Error): PreparedAttempt | undefined {
    const entry = this.ahead.get(step);
    if (!entry) return undefined;
    this.ahead.delete(step);
    if (choice instanceof Error || choice.agent !== null || choice.platform !== entry.platform || entry.attempt !== attempt) return undefined;
    return entry.prepared;
  }
}
