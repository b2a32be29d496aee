/**
 * Operations posted in the same turn of the event loop are started one after another in a single
 * synchronous stretch, so the engine writes them in one transaction (storage/turn-transaction.ts
 * commits at the end of each stretch): under a burst of POSTs, one commit for many instead of one
 * each, and the pages they share (the runs table's last leaf, its indexes) written once. Each is
 * still its own engine call with its own answer, and a refusal of one touches no other. A lone
 * request waits one turn of the event loop (setImmediate) longer.
 */
export type StartBatch = <T>(start: () => Promise<T>) => Promise<T>;

export function createStartBatch(): StartBatch {
  let waiting: (() => void)[] = [];
  const flush = () => {
    const starts = waiting;
    waiting = [];
    for (const start of starts) start();
  };
  return (start) =>
    new Promise((resolve, reject) => {
      if (waiting.length === 0) setImmediate(flush);
      waiting.push(() => {
        start().then(resolve, reject);
      });
    });
}
