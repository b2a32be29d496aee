import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateWorkflowText } from '../../../electron/engine/index.js';
import { platformIds, platformInfo } from '../../../shared/platforms.js';
import { formatIssue } from '../../../shared/validate-workflow.js';
import { openDatabaseFile, shellStep, useSandbox } from '../helpers.js';

const sandbox = useSandbox('validation');

function stepOn(platform: string): Record<string, unknown> {
  const inputs = platformInfo(platform)?.primaryInput === 'command' ? { command: 'true' } : { prompt: 'write the tests' };
  return { step: 1, platform, inputs, dependencies: [] };
}

describe('platforms', () => {
  it('accepts every platform Photon knows, as the engine runs them all', async () => {
    const { runnablePlatforms } = await sandbox.engine.call('system.info', undefined);
    expect(runnablePlatforms).toEqual([...platformIds]);
    const result = validateWorkflowText(JSON.stringify({ name: 'p', workflow: platformIds.map((platform, index) => ({ ...stepOn(platform), step: index + 1 })) }));
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([]);
  });

  it("accepts the specification's seed-style steps as they are: its platform names, an action with inputs, agents by name or auto", async () => {
    const seed = {
      name: 'Code quality sweep',
      workflow: [
        { step: 1, agent: 'agent-a', platform: 'cursor', action: 'analyze-code-quality', inputs: { codebase: 'latest' }, dependencies: [] },
        { step: 2, agent: 'agent-b', platform: 'claude-code', action: 'generate-tests', inputs: { coverage: 80 }, dependencies: [1] },
        { step: 3, agent: 'auto', requires: ['code-analysis'], platform: 'gemini', action: 'review', inputs: { findings: '{{steps.1.output}}' }, dependencies: [1] },
        { step: 4, agent: 'agent-d', platform: 'zai', action: 'summarize', inputs: {}, dependencies: [2, 3] },
      ],
    };
    const result = validateWorkflowText(JSON.stringify(seed));
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([]);
    expect((await sandbox.engine.call('workflows.validate', { workflow: seed })).ok).toBe(true);
  });

  it('refuses an unknown platform by name', () => {
    const result = validateWorkflowText(JSON.stringify({ name: 'p', workflow: [{ ...stepOn('shell'), platform: 'powershell' }] }));
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([expect.stringMatching(/^workflow\[0\]\.platform: unknown platform "powershell"; use one of: shell, /)]);
  });
});

describe('validateWorkflowText', () => {
  it('gives the line and column of bad JSON', () => {
    const result = validateWorkflowText('{\n  "name": "x",\n  "workflow": [\n    { "step": 1 },\n  ]\n}\n');
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([expect.stringMatching(/^invalid JSON at line 5, column 3: /)]);
  });
});

describe('an invalid workflow', () => {
  it('is refused by runs.start with every issue, and nothing is written', async () => {
    const invalid = {
      name: 'bad',
      workflow: [shellStep(1, 'touch ran'), shellStep(2, 'true', { dependencies: [7] }), { step: 3, platform: 'powershell', inputs: { command: 'dir' }, dependencies: [] }],
    };
    const refusal = sandbox.engine.call('runs.start', { workflow: invalid, baseDir: sandbox.work });
    await expect(refusal).rejects.toMatchObject({ code: 'invalid' });
    const message = await refusal.catch((error: Error) => error.message);
    expect(message).toContain('workflow[1].dependencies[0]: step 7 does not exist');
    expect(message).toContain('workflow[2].platform: unknown platform "powershell"');

    expect(await sandbox.engine.call('runs.list', {})).toEqual([]);
    const db = openDatabaseFile(sandbox.dataDir);
    const counts = ['runs', 'steps', 'attempts', 'workflows'].map((table) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n);
    db.close();
    expect(counts).toEqual([0, 0, 0, 0]);
    expect(existsSync(join(sandbox.dataDir, 'runs'))).toBe(false);
    expect(existsSync(join(sandbox.work, 'ran'))).toBe(false);
  });

  it('is refused by workflows.save and reported by workflows.validate', async () => {
    const cyclic = { name: 'loop', workflow: [shellStep(2, 'true', { dependencies: [3] }), shellStep(3, 'true', { dependencies: [5] }), shellStep(5, 'true', { dependencies: [2] })] };
    await expect(sandbox.engine.call('workflows.save', { workflow: cyclic })).rejects.toMatchObject({ code: 'invalid', message: 'workflow: cycle: 2 -> 5 -> 3 -> 2' });
    expect(await sandbox.engine.call('workflows.list', undefined)).toEqual([]);
    expect(await sandbox.engine.call('workflows.validate', { workflow: cyclic })).toEqual({
      ok: false,
      issues: [{ path: 'workflow', message: 'cycle: 2 -> 5 -> 3 -> 2' }],
    });
  });
});
