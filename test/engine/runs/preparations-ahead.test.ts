import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runToEnd, shellStep, stepOf, useSandbox, type StepSpec } from '../helpers.js';
import { watchHost } from './host-frames.js';

/**
 * The next step of a chain is prepared while the step before it runs (preparations-ahead.ts), so
 * that nothing of its preparation lies between that step's end and its own start. Ordered, never
 * timed: each step waits until the step after it is prepared (or 5 s), then ends.
 */
const sandbox = useSandbox('preparations-ahead');

/** In order: `prepare STEP` (a preparation asked for), `spawn STEP` (its process asked of the terminal host), `exit STEP`. */
const events = vi.hoisted(() => [] as string[]);

vi.mock('../../../electron/engine/runs/attempt-preparation.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../electron/engine/runs/attempt-preparation.js')>();
  const prepareAttempt: typeof actual.prepareAttempt = async (ctx, request) => {
    events.push(`prepare ${request.step.step}`);
    const prepared = await actual.prepareAttempt(ctx, request);
    // What the step before waits for, beside its own temp folder.
    const runFolder = join(ctx.dataDir, 'runs', request.run.id);
    mkdirSync(runFolder, { recursive: true });
    writeFileSync(join(runFolder, `step-${request.step.step}.prepared`), '');
    return prepared;
  };
  return { ...actual, prepareAttempt };
});

/** Records the spawn and exit frames between the engine and its terminal host while `work` runs. */
function watchSteps<T>(work: () => Promise<T>): Promise<T> {
  const steps = new Map<number, number>();
  return watchHost(work, {
    onSpawn: (step, id) => {
      steps.set(id, step);
      events.push(`spawn ${step}`);
    },
    onExit: (id) => void events.push(`exit ${steps.get(id)}`),
  });
}

/** Ends once the step after it is prepared, or after 5 s without it. */
const waitingForNext = (step: number, then = 'true') =>
  `i=0; while [ ! -e "\${TMPDIR%/*}/step-${step + 1}.prepared" ] && [ $i -lt 250 ]; do sleep 0.02; i=$((i+1)); done; ${then}`;

afterEach(() => {
  events.length = 0;
});

describe('the next attempt prepared ahead', () => {
  it("prepares each step of a chain while the step before it runs, and starts it at that step's end without preparing it again", async () => {
    const links = 4;
    const steps: StepSpec[] = Array.from({ length: links + 1 }, (_, i) => shellStep(i + 1, i < links ? waitingForNext(i + 1) : 'true', { dependencies: i === 0 ? [] : [i] }));
    const { status } = await watchSteps(() => runToEnd(sandbox, steps));
    expect(status).toBe('succeeded');
    for (let step = 2; step <= links + 1; step++) {
      expect(events.filter((event) => event === `prepare ${step}`)).toHaveLength(1);
      // Prepared before the step it waits for ended; started after.
      expect(events.indexOf(`prepare ${step}`)).toBeLessThan(events.indexOf(`exit ${step - 1}`));
      expect(events.indexOf(`spawn ${step}`)).toBeGreaterThan(events.indexOf(`exit ${step - 1}`));
    }
  });

  it("prepares a step whose command reads the output of the step before once that step has ended, and gives it that output", async () => {
    const { status, detail } = await watchSteps(() => runToEnd(sandbox, [shellStep(1, 'printf one'), shellStep(2, "printf 'got:[%s]' '{{steps.1.output}}'", { dependencies: [1] })]));
    expect(status).toBe('succeeded');
    expect(events.indexOf('prepare 2')).toBeGreaterThan(events.indexOf('exit 1'));
    expect(stepOf(detail, 2).output).toBe('got:[one]');
  });

  it("prepares a step's retry when it is due, for that attempt", async () => {
    const retryPolicy = { maxAttempts: 2, initialIntervalMs: 10 };
    const second = 'if [ "$PHOTON_ATTEMPT" -lt 2 ]; then exit 3; fi; printf "attempt %s" "$PHOTON_ATTEMPT"';
    const { status, detail } = await watchSteps(() => runToEnd(sandbox, [shellStep(1, waitingForNext(1)), shellStep(2, second, { dependencies: [1], retryPolicy })]));
    expect(status).toBe('succeeded');
    expect(stepOf(detail, 2)).toMatchObject({ attempts: 2, output: 'attempt 2' });
    // The first attempt ahead, while step 1 ran; the second once the first had failed.
    expect(events.filter((event) => event.endsWith(' 2'))).toEqual(['prepare 2', 'spawn 2', 'exit 2', 'prepare 2', 'spawn 2', 'exit 2']);
    expect(events.indexOf('prepare 2')).toBeLessThan(events.indexOf('exit 1'));
  });
});
