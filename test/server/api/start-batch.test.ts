import { describe, expect, it } from 'vitest';
import { createStartBatch } from '../../../electron/server/api/routes/start-batch.js';
import { shellStep, statementsRun, useSandbox, workflowOf } from '../../engine/helpers.js';

/**
 * Operations posted in one turn of the event loop (requests read from many connections at once)
 * are written in one transaction, yet each is its own start with its own answer. Counted against
 * a real engine and SQLite, never timed.
 */
const sandbox = useSandbox('start-batch');

/** COMMIT statements run while `work` runs. */
const commits = (work: () => Promise<unknown>): Promise<number> => statementsRun(/^\s*COMMIT/i, work);

/** Each request's handler runs in a callback of its own, as each connection's data does. */
const inSeparateCallbacks = <T>(count: number, each: (index: number) => Promise<T>): Promise<T[]> =>
  Promise.all(Array.from({ length: count }, (_, index) => new Promise<T>((resolve, reject) => setImmediate(() => each(index).then(resolve, reject)))));

describe('operations posted together', () => {
  it('are written in one commit, each started as asked, and one refused leaves the others started', async () => {
    const { engine, work } = sandbox;
    // The first start prepares the statements every start uses.
    await engine.waitForRun((await engine.call('runs.start', { baseDir: work, workflow: workflowOf([shellStep(1, 'true')]) })).runId);
    const batch = createStartBatch();
    let outcomes: PromiseSettledResult<{ runId: string }>[] = [];
    const counted = await commits(async () => {
      outcomes = await inSeparateCallbacks(6, (index) =>
        Promise.allSettled([
          batch(() => engine.call('runs.start', index === 3 ? { baseDir: work, workflowId: 'no-such-workflow' } : { baseDir: work, workflow: workflowOf([shellStep(1, `echo started-${index}`)]) })),
        ]).then(([outcome]) => outcome!),
      );
    });
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(counted).toBe(1);
    for (const [index, outcome] of outcomes.entries()) {
      if (outcome.status !== 'fulfilled') continue;
      expect(await engine.waitForRun(outcome.value.runId)).toBe('succeeded');
      expect((await engine.call('runs.get', { runId: outcome.value.runId })).steps[0]!.output).toBe(`started-${index}`);
    }
  });
});
