import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../electron/server/cli/main.js';
import { validateWorkflow } from '../../../shared/validate-workflow.js';
import { workflowSchema } from '../../../shared/workflow.js';
import { makeTempDir, removeDir } from '../../engine/helpers.js';

const chain = (length: number) => ({
  name: 'chain',
  workflow: Array.from({ length }, (_, index) => ({ step: index + 1, platform: 'shell', inputs: { command: 'true' }, dependencies: index === 0 ? [] : [index] })),
});

// `photon run` checks its file before opening any storage, then starts the run in its own engine,
// whose runs.start checks what it is given. The first check's workflow comes back frozen and
// remembered, so the second is not a second walk of every step (about 35 ms for 300 steps).
describe('photon run checks its workflow once', () => {
  let root = '';
  afterEach(() => {
    vi.restoreAllMocks();
    removeDir(root);
  });

  it("walks a 30-step workflow's shape once from the file to the run's end", async () => {
    root = makeTempDir('validate-once');
    const file = join(root, 'chain.json');
    writeFileSync(file, JSON.stringify(chain(30)));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const shapeChecks = vi.spyOn(workflowSchema, 'safeParse');
    expect(await main(['run', file, '--data-dir', join(root, 'data')])).toBe(0);
    expect(shapeChecks).toHaveBeenCalledTimes(1);
  });

  it('still checks whole a workflow that is equal but not the frozen one, or checked against other platforms', () => {
    const runnable = { runnablePlatforms: new Set(['shell']) };
    const checked = validateWorkflow(chain(3), { ...runnable, freeze: true });
    if (!checked.ok) throw new Error('expected the chain to pass');
    expect(() => {
      (checked.workflow.workflow[0]!.inputs as Record<string, unknown>).command = 'rm -rf /';
    }).toThrow(TypeError);
    const shapeChecks = vi.spyOn(workflowSchema, 'safeParse');
    expect(validateWorkflow(checked.workflow, runnable)).toEqual({ ok: true, workflow: checked.workflow });
    expect(shapeChecks).toHaveBeenCalledTimes(0);

    const copy = structuredClone(checked.workflow);
    copy.workflow[1]!.dependencies = [7];
    expect(validateWorkflow(copy, runnable)).toEqual({ ok: false, issues: [{ path: 'workflow[1].dependencies[0]', message: 'step 7 does not exist' }] });
    const elsewhere = validateWorkflow(checked.workflow, { runnablePlatforms: new Set(['claude']) });
    expect(elsewhere.ok).toBe(false);
    expect(shapeChecks).toHaveBeenCalledTimes(2);
  });
});
