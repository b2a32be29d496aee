import { describe, expect, it } from 'vitest';
import { recordLater } from '../../../electron/engine/runs/deferred-recording.js';

/** The one timer that every attempt's deferred process record waits on. */
describe('deferred recordings', () => {
  const fired = (ms: number, during?: () => void) => {
    let cancel!: () => void;
    const done = new Promise<void>((resolve) => {
      cancel = recordLater(ms, () => {
        during?.();
        resolve();
      });
    });
    return { done, cancel: () => cancel() };
  };
  const within = <T>(promise: Promise<T>, what: string) =>
    Promise.race([promise, new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error(`${what} never came`)), 10_000))]);

  it('come in order of their time, each once, none of those cancelled before it', async () => {
    const order: string[] = [];
    const late = fired(120, () => order.push('late'));
    const early = fired(40, () => order.push('early'));
    // The earliest, and the one the timer is armed for: its attempt ended first.
    const dropped = fired(10, () => order.push('dropped'));
    dropped.cancel();
    await within(Promise.all([early.done, late.done]), 'the records');
    expect(order).toEqual(['early', 'late']);
  });

  it("still come for the attempts waiting when one whose record was made ends (its cancel then changes nothing)", async () => {
    const first = fired(20);
    const second = fired(150);
    await within(first.done, 'the first record');
    // The first attempt ends after its record was made, while the second one waits for its own.
    first.cancel();
    first.cancel();
    await within(second.done, 'the second record');
  });
});
