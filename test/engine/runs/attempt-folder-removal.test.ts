import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { resourcesAddedBySteps, runToEnd, shellStep, useSandbox, withoutProcessRecording } from '../helpers.js';

// Every removal of an attempt's temp folder, by how it was asked for: a recursive rm costs several
// calls (some on the engine's main thread) where an empty folder needs one rmdir.
const removals = vi.hoisted(() => ({ rmdir: [] as string[], rm: [] as string[] }));
const isAttemptFolder = (path: unknown) => String(path).endsWith('.tmp');
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const rmdir = ((path: Parameters<typeof actual.rmdir>[0], ...rest: unknown[]) => {
    if (isAttemptFolder(path)) removals.rmdir.push(String(path));
    return (actual.rmdir as (...args: unknown[]) => void)(path, ...rest);
  }) as typeof actual.rmdir;
  return { ...actual, rmdir, default: { ...actual, rmdir } };
});
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const rm: typeof actual.rm = (path, ...rest) => {
    if (isAttemptFolder(path)) removals.rm.push(String(path));
    return actual.rm(path, ...rest);
  };
  const rmdir: typeof actual.rmdir = (path, ...rest) => {
    if (isAttemptFolder(path)) removals.rmdir.push(String(path));
    return actual.rmdir(path, ...rest);
  };
  return { ...actual, rm, rmdir, default: { ...actual, rm, rmdir } };
});

const sandbox = useSandbox('attempt-folder-removal');

describe("removing an attempt's temp folder", () => {
  it('takes one rmdir when the process left it empty, and the recursive removal only for the one that left files, which still goes', async () => {
    const { runId, status } = await runToEnd(sandbox, [
      ...[1, 2, 3, 4, 5].map((step) => shellStep(step, 'true')),
      shellStep(6, 'mkdir -p "$TMPDIR/cache/deep" && touch "$TMPDIR/cache/deep/file" "$TMPDIR/top"'),
    ]);
    expect(status).toBe('succeeded');
    const runData = join(sandbox.dataDir, 'runs', runId);
    const folder = (step: number) => join(runData, `step-${step}.attempt-1.tmp`);
    expect(removals.rm).toEqual([folder(6)]);
    // The empty ones are kept for the steps after them (spare-folders.ts) and removed as the run ends: one rmdir each.
    expect(removals.rmdir.length, removals.rmdir.join(', ')).toBeGreaterThan(0);
    expect(new Set(removals.rmdir).size, removals.rmdir.join(', ')).toBe(removals.rmdir.length);
    // Nothing printed, so no logs: the run's folder is empty once the attempts are over.
    expect(readdirSync(runData)).toEqual([]);
  });

  describe('for each step of a big workflow', () => {
    withoutProcessRecording();

    it("asks the file system through no promise-API request: the promise's machinery cost more than the rmdir", async () => {
      // What a run asks once (its start, its end) is the same for 1 step and for 21.
      expect(await resourcesAddedBySteps(sandbox, 'FSREQPROMISE')).toBe(0);
    });
  });
});
