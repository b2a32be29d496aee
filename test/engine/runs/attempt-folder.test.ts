import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runToEnd, shellStep, useSandbox } from '../helpers.js';

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
    // Only the logs stay, of the attempts that printed something.
    for (const step of [1, 2]) expect(readdirSync(join(runData, `step-${step}`))).toEqual([]);
    expect(readdirSync(join(runData, 'step-3'))).toEqual(['attempt-1.log']);
  });
});
