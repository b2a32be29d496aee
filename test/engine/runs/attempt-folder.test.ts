import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runToEnd, shellStep, stepOf, useSandbox } from '../helpers.js';

const sandbox = useSandbox('attempt-folder');

describe("an attempt's temp folder", () => {
  it('is gone when the attempt ends, whether the process left it empty or left files and folders in it', async () => {
    const { runId, status } = await runToEnd(sandbox, [
      shellStep(1, 'true'),
      shellStep(2, 'mkdir -p "$TMPDIR/cache/deep" && touch "$TMPDIR/cache/deep/file" "$TMPDIR/top"'),
      shellStep(3, 'echo failing; touch "$TMPDIR/failed-here"; exit 3'),
    ]);
    expect(status).toBe('failed');
    const runData = join(sandbox.dataDir, 'runs', runId);
    // Only the logs stay, of the attempts that printed something: no temp folder, and no folder for
    // the steps that printed nothing.
    expect(readdirSync(runData)).toEqual(['step-3']);
    expect(readdirSync(join(runData, 'step-3'))).toEqual(['attempt-1.log']);
  });

  it('exists, empty and private to the user, when the command starts', async () => {
    const { status, detail } = await runToEnd(sandbox, [shellStep(1, 'test -d "$TMPDIR" && ls -A "$TMPDIR" | wc -l && stat -c %a "$TMPDIR"')]);
    expect(status).toBe('succeeded');
    expect(stepOf(detail, 1).output?.split(/\s+/)).toEqual(['0', '700']);
  });

  it('fails its attempt, naming the folder, when it cannot be made; the run goes on without what depends on it', async () => {
    // The runs' folder is a file: no attempt's folder can be made under it.
    writeFileSync(join(sandbox.dataDir, 'runs'), '');
    const { runId, status, detail } = await runToEnd(sandbox, [shellStep(1, 'true'), shellStep(2, 'true', { dependencies: [1] })]);
    expect(status).toBe('failed');
    expect(stepOf(detail, 1).status).toBe('failed');
    expect(stepOf(detail, 1).error).toContain(`cannot make its folder ${join(sandbox.dataDir, 'runs', runId, 'step-1.attempt-1.tmp')}`);
    expect(stepOf(detail, 2).status).toBe('skipped');
  });
});
