import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TerminalManager } from '../../../electron/engine/terminals/terminal-manager.js';
import { runToEnd, shellStep, useSandbox, type StepSpec } from '../helpers.js';

/**
 * An ended attempt's empty temp folder becomes a later attempt's (renamed, spare-folders.ts)
 * instead of one folder removed and another made for every step: on a disk that makes each new
 * folder look past the ones removed lately, that was a fifth of the engine's CPU in a big run.
 */
const sandbox = useSandbox('spare-folders');

/** Attempt folders made (by the engine's mkdir), removed (rmdir, rm) and given a mode (chmod), by path. */
const calls = vi.hoisted(() => ({ mkdir: [] as string[], removed: [] as string[], chmod: [] as string[], refuseRename: false }));
const isAttemptFolder = (path: unknown) => /step-\d+\.attempt-\d+\.tmp$/.test(String(path));
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const counted =
    <F extends (...args: never[]) => unknown>(list: string[], call: F) =>
    (...args: Parameters<F>) => {
      if (isAttemptFolder(args[0])) list.push(String(args[0]));
      return call(...args);
    };
  const mkdir = counted(calls.mkdir, actual.mkdir as (...args: never[]) => unknown) as typeof actual.mkdir;
  const rmdir = counted(calls.removed, actual.rmdir as (...args: never[]) => unknown) as typeof actual.rmdir;
  const chmodSync = counted(calls.chmod, actual.chmodSync as (...args: never[]) => unknown) as typeof actual.chmodSync;
  // As Windows refuses to rename a folder something still holds.
  const renameSync = ((from: string, to: string) => {
    if (calls.refuseRename && isAttemptFolder(from)) throw Object.assign(new Error(`EBUSY: resource busy or locked, rename '${from}'`), { code: 'EBUSY' });
    actual.renameSync(from, to);
  }) as typeof actual.renameSync;
  return { ...actual, mkdir, rmdir, renameSync, chmodSync, default: { ...actual, mkdir, rmdir, renameSync, chmodSync } };
});
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const rm: typeof actual.rm = (path, ...rest) => {
    if (isAttemptFolder(path)) calls.removed.push(String(path));
    return actual.rm(path, ...rest);
  };
  return { ...actual, rm, default: { ...actual, rm } };
});

/** The folders each terminal asked its host to make. */
function hostFolders(): string[] {
  const asked: string[] = [];
  const create = TerminalManager.prototype.create;
  vi.spyOn(TerminalManager.prototype, 'create').mockImplementation(function (this: TerminalManager, options) {
    asked.push(...(options.folders ?? []));
    return create.call(this, options);
  });
  return asked;
}

const chain = (commands: string[]): StepSpec[] => commands.map((command, i) => shellStep(i + 1, command, { dependencies: i === 0 ? [] : [i] }));

afterEach(() => {
  vi.restoreAllMocks();
  calls.mkdir.length = 0;
  calls.removed.length = 0;
  calls.chmod.length = 0;
  calls.refuseRename = false;
});

describe("an ended attempt's empty temp folder", () => {
  it('becomes a later step\'s: a 21-step chain makes and removes 2 folders, not 21, and leaves none', async () => {
    const byHost = hostFolders();
    const { runId, status } = await runToEnd(sandbox, chain(Array.from({ length: 21 }, () => 'test -d "$TMPDIR"')));
    expect(status).toBe('succeeded');
    // Step 1's by the host, step 2's ahead of it, then each step's is the one two steps before.
    expect(byHost.length + calls.mkdir.length, `made: ${[...byHost, ...calls.mkdir].join(', ')}`).toBeLessThanOrEqual(3);
    // The two spares left when the run ends.
    expect(calls.removed.length, `removed: ${calls.removed.join(', ')}`).toBeLessThanOrEqual(3);
    // No step changed its folder's mode: each was handed on by its rename alone.
    expect(calls.chmod).toEqual([]);
    expect(readdirSync(join(sandbox.dataDir, 'runs', runId)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('serves the steps of a wide graph as they start, not steps that wait their turn: a 2-layer graph of 24 at concurrency 2 makes at most 4 folders', async () => {
    const byHost = hostFolders();
    // Each step of the second layer waits for one of the first: made ready early, it waits behind the rest of the first layer.
    const steps = [...Array.from({ length: 12 }, (_, i) => shellStep(i + 1, 'true')), ...Array.from({ length: 12 }, (_, i) => shellStep(i + 13, 'true', { dependencies: [i + 1] }))];
    expect((await runToEnd(sandbox, steps, 2)).status).toBe('succeeded');
    expect(byHost.length + calls.mkdir.length, `made: ${[...byHost, ...calls.mkdir].join(', ')}`).toBeLessThanOrEqual(4);
  });

  it('is handed on empty and private: never with what its process left, nor with the mode its process gave it', async () => {
    // Step 1 leaves a file (its folder is removed); step 2 opens its (empty) folder to everyone, and
    // step 4 gets that folder; every later step finds its folder empty and 0700.
    const check = '[ -z "$(ls -A "$TMPDIR")" ] || exit 8; [ "$(stat -c %a "$TMPDIR")" = 700 ] || exit 9';
    const { status, detail } = await runToEnd(sandbox, chain(['touch "$TMPDIR/left"', 'chmod 777 "$TMPDIR"', check, check, check]));
    expect(detail.steps.map((step) => [step.step, step.status, step.exitCode])).toEqual([
      [1, 'succeeded', 0],
      [2, 'succeeded', 0],
      [3, 'succeeded', 0],
      [4, 'succeeded', 0],
      [5, 'succeeded', 0],
    ]);
    expect(status).toBe('succeeded');
    // Only step 2's folder, handed on to step 4, had its mode set back.
    expect(calls.chmod.map((path) => /step-\d+/.exec(path)?.[0])).toEqual(['step-4']);
  });

  it("is never a link a step put in its folder's place: the folder it points to keeps its mode, and no later step gets it", async () => {
    // Step 1 swaps its (empty) folder for a link to an empty folder of the user's, readable by all.
    const outside = join(sandbox.work, 'users-folder');
    mkdirSync(outside, { mode: 0o755 });
    chmodSync(outside, 0o755);
    const swap = `rmdir "$TMPDIR" && ln -s "${outside}" "$TMPDIR"`;
    const notLink = '[ ! -L "$TMPDIR" ] || exit 7';
    const { status, detail } = await runToEnd(sandbox, chain([swap, notLink, notLink]));
    expect(detail.steps.map((step) => [step.step, step.status, step.exitCode])).toEqual([
      [1, 'succeeded', 0],
      [2, 'succeeded', 0],
      [3, 'succeeded', 0],
    ]);
    expect(status).toBe('succeeded');
    expect(statSync(outside).mode & 0o777).toBe(0o755);
  });

  it('that cannot be renamed is made anew for the step, and removed rather than left after the run', async () => {
    calls.refuseRename = true;
    const { runId, status } = await runToEnd(sandbox, chain(Array.from({ length: 5 }, () => 'test -d "$TMPDIR"')));
    expect(status).toBe('succeeded');
    expect(readdirSync(join(sandbox.dataDir, 'runs', runId)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
