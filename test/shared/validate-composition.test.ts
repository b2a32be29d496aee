import { describe, expect, it } from 'vitest';
import { renderTemplates } from '../../shared/template.js';
import { validateWorkflow } from '../../shared/validate-workflow.js';

const options = { runnablePlatforms: new Set(['shell']) };
const shell = (step: number, extra: Record<string, unknown> = {}) => ({ step, platform: 'shell', inputs: { command: 'true' }, ...extra });
const issuesOf = (workflow: unknown[]) => {
  const result = validateWorkflow({ name: 'w', workflow }, options);
  return result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`);
};

describe('checking races and sub-workflow steps before a run', () => {
  it('accepts a race over dependencies reading its winner, and a sub-workflow step naming a saved workflow', () => {
    expect(
      issuesOf([
        shell(1),
        shell(2),
        shell(3, { dependencies: [1, 2], race: [1, 2], inputs: { command: 'echo {{race.step}} {{race.output}}' } }),
        { step: 4, platform: 'workflow', inputs: { workflow: 'Review', topic: '{{steps.3.output}}' }, dependencies: [3] },
      ]),
    ).toEqual([]);
  });

  it('names the place and the fix of each problem', () => {
    expect(
      issuesOf([
        shell(1),
        shell(2),
        shell(3, { dependencies: [1], race: [1, 2] }),
        shell(4, { dependencies: [1, 2], race: [1, 9] }),
        shell(5, { dependencies: [1], race: [1, 1] }),
        shell(6, { dependencies: [1], inputs: { command: 'echo {{race.output}}' } }),
        { step: 7, platform: 'workflow', inputs: {} },
        { step: 8, platform: 'workflow', inputs: { workflow: '{{steps.1.output}}' }, dependencies: [1] },
      ]),
    ).toEqual([
      `workflow[2].race[1]: step 2 is not among step 3's dependencies; a race joins steps it depends on: add 2 to "dependencies"`,
      'workflow[3].race[1]: step 9 does not exist',
      'workflow[4].race[1]: step 1 is named twice in the race',
      'workflow[4].race: a race needs at least two different steps; with one, make it a plain dependency',
      'workflow[5].inputs: {{race.output}}: step 6 has no "race"; only a race\'s join step has a winner to read',
      'workflow[6].inputs.workflow: a sub-workflow step needs "workflow": the id or name of a saved workflow to run',
      'workflow[7].inputs.workflow: "{{steps.1.output}}" is a template; name the saved workflow itself (its id or name), and pass the values it needs as other inputs',
    ]);
  });

  it('refuses a race of fewer than two steps by its shape', () => {
    expect(issuesOf([shell(1), shell(2, { dependencies: [1], race: [1] })])).toEqual([expect.stringMatching(/^workflow\[1\]\.race: /)]);
  });
});

describe('run-named template values', () => {
  it('fills race and inputs values in one pass: a value holding a template is not expanded again', () => {
    const rendered = renderTemplates(
      { a: '{{race.step}}={{race.output}}', b: 'for {{inputs.topic}} ({{inputs.count}}, {{inputs.missing}})', c: '{{steps.1.output}}' },
      new Map([[1, '{{inputs.topic}}']]),
      new Map(),
      { race: { step: 4, output: 'won {{steps.1.output}}' }, inputs: { topic: 'docs', count: 3 } },
    );
    expect(rendered).toEqual({ a: '4=won {{steps.1.output}}', b: 'for docs (3, )', c: '{{inputs.topic}}' });
  });
});
