/**
 * `photon run` of a workflow with a sub-workflow step: it says the child run's id when the child
 * starts and how to follow it; `photon show` of the child names its parent, and of the parent its child.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../../electron/engine/index.js';
import { photon, tempFolder } from './helpers.js';

let temp: ReturnType<typeof tempFolder>;

beforeEach(() => {
  temp = tempFolder();
});
afterEach(() => temp.cleanup());

describe('photon run with a sub-workflow', () => {
  it('prints the child run it started; show links child and parent', { timeout: 120_000 }, async () => {
    const engine = await createEngine({ dataDir: temp.dataDir, host: 'cli' });
    try {
      await engine.call('workflows.save', { workflow: { name: 'Child', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'echo "child says {{inputs.word}}"' } }] } });
    } finally {
      await engine.close();
    }
    const file = join(temp.dir, 'parent.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'Parent',
        workflow: [
          { step: 1, label: 'Delegate', platform: 'workflow', inputs: { workflow: 'Child', word: 'hi' } },
          { step: 2, platform: 'shell', inputs: { command: 'echo "{{steps.1.output}}"' }, dependencies: [1] },
        ],
      }),
    );
    const data = ['--data-dir', temp.dataDir];
    const ran = await photon(['run', file, ...data]);
    expect(ran.code).toBe(0);
    const started = /step 1 "Delegate" started child run (\S+); follow it with: photon show (\S+) --data-dir (\S+)$/m.exec(ran.stdout);
    expect(started, ran.stdout + ran.stderr).not.toBeNull();
    const [, child, shown, dir] = started!;
    expect([shown, dir]).toEqual([child, temp.dataDir]);
    const parentId = /^\S+\s+run (\S+) started: Parent/m.exec(ran.stdout)![1]!;

    const childShown = await photon(['show', child!, ...data]);
    expect(childShown.stdout).toContain(`Run ${child}: Child`);
    expect(childShown.stdout).toContain(`  parent       run ${parentId}, step 1 (photon show ${parentId} --data-dir ${temp.dataDir})`);
    const parentShown = await photon(['show', parentId, ...data]);
    expect(parentShown.stdout).toContain(`  child run    step 1: ${child}`);
    const json = JSON.parse((await photon(['show', parentId, '--json', ...data])).stdout) as { steps: { step: number; output: string; childRunId?: string }[] };
    expect(json.steps.map((s) => [s.step, s.output, s.childRunId])).toEqual([
      [1, 'child says hi', child],
      [2, 'child says hi', undefined],
    ]);
  });
});
