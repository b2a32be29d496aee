import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { methods, type MethodName } from '../../shared/api.js';
import { makeTempDir, removeDir, shellStep, startEngine, workflowOf } from '../engine/helpers.js';

/** The methods whose params schema has been built: a built one is a plain value, an unbuilt one still its getter. */
function builtSchemas(): MethodName[] {
  return (Object.keys(methods) as MethodName[]).filter((name) => 'value' in Object.getOwnPropertyDescriptor(methods[name], 'params')!);
}

// It asserts what a fresh process has built, so it runs isolated (vitest.config.ts), never after
// another file in the same process (renderer/agents/SecretsSection.tsx builds `secrets.set`'s as it loads).
// Building all of the contract's schemas when it loaded cost 13-24 ms of every `photon` start that
// opens the engine (shared/api/schema.ts, lazyMethods): each is now built when its method is first called.
describe("the contract's params schemas", () => {
  let root = '';
  afterEach(() => removeDir(root));

  it('are built only for the methods called: opening the engine and starting a run builds one', async () => {
    expect(builtSchemas()).toEqual([]);
    root = makeTempDir('api-lazy');
    mkdirSync(join(root, 'work'));
    const engine = await startEngine(join(root, 'data'));
    try {
      expect(builtSchemas()).toEqual([]);
      const { runId } = await engine.call('runs.start', { workflow: workflowOf([shellStep(1, 'true')]), baseDir: join(root, 'work') });
      expect(await engine.waitForRun(runId)).toBe('succeeded');
      expect(builtSchemas()).toEqual(['runs.start']);
    } finally {
      await engine.close();
    }
  });

  it('once built, are kept and still refuse bad params naming the place', async () => {
    const first = methods['runs.get'].params;
    expect(methods['runs.get'].params).toBe(first);
    const refused = first.safeParse({ runId: '' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(['runId']);
    expect(methods['secrets.set'].params.shape.name.safeParse('bad name').success).toBe(false);
    expect(methods['secrets.delete'].params.shape.name).toBe(methods['secrets.set'].params.shape.name);
  });
});
