import { describe, expect, it } from 'vitest';
import { validateWorkflow } from '../../shared/validate-workflow.js';

const options = { runnablePlatforms: new Set(['shell']) };
const shell = (step: number, extra: Record<string, unknown> = {}) => ({ step, platform: 'shell', inputs: { command: 'true' }, ...extra });
const issuesOf = (workflow: unknown[]) => {
  const result = validateWorkflow({ name: 'w', workflow }, options);
  return result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`);
};

describe('checking when, output and approval gates before a run', () => {
  it('accepts a condition over ancestors, JSON read from a step that declares it, and a gate with a message', () => {
    expect(
      issuesOf([
        shell(1, { output: 'json', outputSchema: { type: 'object' } }),
        shell(2, { dependencies: [1], when: 'steps.1.json.ok && steps.1.status == "succeeded"', inputs: { command: 'echo {{steps.1.json.items.0}}' } }),
        { step: 3, platform: 'approval', inputs: { message: 'Go?' }, dependencies: [2] },
        shell(4, { dependencies: [3], when: 'steps.3.status == "failed" || steps.1.json.score >= 0.5' }),
      ]),
    ).toEqual([]);
  });

  it('names the place and the fix of each problem', () => {
    expect(
      issuesOf([
        shell(1),
        shell(2, { outputSchema: { type: 'object' } }),
        shell(3, { dependencies: [1], inputs: { command: 'echo {{steps.1.json.x}}' } }),
        shell(4, { dependencies: [1], when: 'steps.9.status == "failed"' }),
        shell(5, { dependencies: [1], when: 'steps.1.state == "x"' }),
        { step: 6, platform: 'approval', inputs: {} },
      ]),
    ).toEqual([
      'workflow[1].outputSchema: an outputSchema checks a JSON output: add "output": "json" to this step, or remove the schema',
      'workflow[2].inputs: {{steps.1.json…}}: step 1 does not declare "output": "json"; add it to step 1, or use {{steps.1.output}}',
      'workflow[3].when: steps.9.status: step 9 does not exist',
      'workflow[4].when: steps.1.state is not known; a step has status, output, json, exitCode in "steps.1.state == "x""',
      'workflow[5].inputs.message: an approval gate needs a non-empty "message" string: what the person approves',
    ]);
  });
});
