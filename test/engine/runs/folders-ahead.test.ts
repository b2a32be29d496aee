import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TerminalManager } from '../../../electron/engine/terminals/terminal-manager.js';
import { runToEnd, shellStep, useSandbox, type StepSpec } from '../helpers.js';

/**
 * The temp folder of a step that waits for one step alone is made while that step runs, so the
 * terminal host need not make it on the way from one step's end to the next one's start
 * (folders-ahead.ts); one whose step never runs goes with the run's end.
 */
const sandbox = useSandbox('folders-ahead');

/**
 * What happened in order: folders made ahead (`made STEP`: by mkdir, or from an ended attempt's
 * empty folder by rename, spare-folders.ts) and terminals started (`start STEP`).
 */
const events = vi.hoisted(() => [] as string[]);
/**
 * A folder made ahead gets a `.ready` file beside it once the engine has heard that it is made.
 * The step before waits for that, not for the folder: a folder already on disk whose callback the
 * engine has not run yet is rightly handed to the host again, and a loaded machine (CI) ran the
 * step's exit first.
 */
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const stepOf = (path: unknown) => /step-(\d+)\.attempt-\d+\.tmp$/.exec(String(path))?.[1];
  const mkdir = ((path: unknown, ...rest: unknown[]) => {
    const step = stepOf(path);
    if (!step) return (actual.mkdir as (...args: unknown[]) => unknown)(path, ...rest);
    events.push(`made ${step}`);
    const done = rest.pop() as (error: Error | null) => void;
    return (actual.mkdir as (...args: unknown[]) => unknown)(path, ...rest, (error: Error | null) => {
      done(error);
      // After the callback, whose promise jobs (marking the folder made) run before any later event.
      if (!error) actual.writeFileSync(`${String(path)}.ready`, '');
    });
  }) as typeof actual.mkdir;
  // A spare handed on is made at once: the engine knows it is there as the call returns.
  const renameSync = ((from: string, to: string) => {
    actual.renameSync(from, to);
    const step = stepOf(to);
    if (step) {
      events.push(`made ${step}`);
      actual.writeFileSync(`${to}.ready`, '');
    }
  }) as typeof actual.renameSync;
  return { ...actual, mkdir, renameSync, default: { ...actual, mkdir, renameSync } };
});

/** The folders each terminal the engine started asked its host to make, in order. */
function foldersAsked(): (string[] | undefined)[] {
  const asked: (string[] | undefined)[] = [];
  const create = TerminalManager.prototype.create;
  vi.spyOn(TerminalManager.prototype, 'create').mockImplementation(function (this: TerminalManager, options) {
    asked.push(options.folders);
    if (options.owner) events.push(`start ${options.owner.step}`);
    return create.call(this, options);
  });
  return asked;
}

/** A step that ends once the folder of the step after it is made ahead (it never waits long), or after 5 s without it. */
const waitingForNext = (step: number, then = 'true') =>
  `i=0; while [ ! -e "\${TMPDIR%/*}/step-${step + 1}.attempt-1.tmp.ready" ] && [ $i -lt 250 ]; do sleep 0.02; i=$((i+1)); done; ${then}`;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('temp folders made ahead', () => {
  it("start a chain's steps after the first without asking the terminal host for a folder, and all go with the run", async () => {
    const asked = foldersAsked();
    const steps: StepSpec[] = Array.from({ length: 6 }, (_, i) => shellStep(i + 1, i < 5 ? waitingForNext(i + 1) : 'test -d "$TMPDIR"', { dependencies: i === 0 ? [] : [i] }));
    const { runId, status } = await runToEnd(sandbox, steps);
    expect(status).toBe('succeeded');
    // The first step's folder is made by the host; each later one existed before its step started.
    expect(asked.map((folders) => folders?.length ?? 0)).toEqual([1, 0, 0, 0, 0, 0]);
    const runFolder = join(sandbox.dataDir, 'runs', runId);
    expect(existsSync(runFolder) ? readdirSync(runFolder).filter((name) => name.endsWith('.tmp')) : []).toEqual([]);
  });

  it("asks for the next step's folder only once the step just launched has started", async () => {
    foldersAsked();
    events.length = 0;
    const steps: StepSpec[] = Array.from({ length: 4 }, (_, i) => shellStep(i + 1, i < 3 ? waitingForNext(i + 1) : 'true', { dependencies: i === 0 ? [] : [i] }));
    expect((await runToEnd(sandbox, steps)).status).toBe('succeeded');
    // Asked for before it, the thread pool's request would delay each start by about 0.05 ms.
    expect(events).toEqual(['start 1', 'made 2', 'start 2', 'made 3', 'start 3', 'made 4', 'start 4']);
  });

  it('is removed by the run\'s end when its step never runs', async () => {
    // Step 2's folder is made as step 1 starts; step 1 fails, so step 2 is skipped and never uses it.
    const { runId, status, detail } = await runToEnd(sandbox, [shellStep(1, waitingForNext(1, 'exit 3')), shellStep(2, 'true', { dependencies: [1] })]);
    expect(status).toBe('failed');
    expect(detail.steps.map((step) => step.status)).toEqual(['failed', 'skipped']);
    const runFolder = join(sandbox.dataDir, 'runs', runId);
    expect(existsSync(runFolder) ? readdirSync(runFolder).filter((name) => name.endsWith('.tmp')) : []).toEqual([]);
  });
});
