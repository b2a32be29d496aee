import { describe, expect, it } from 'vitest';
import { resolveForEach } from '../../shared/fan-out.js';
import { renderTemplates } from '../../shared/template.js';
import { validateWorkflow } from '../../shared/validate-workflow.js';

const options = { runnablePlatforms: new Set(['shell']) };
const shell = (step: number, extra: Record<string, unknown> = {}) => ({ step, platform: 'shell', inputs: { command: 'true' }, ...extra });
const issuesOf = (workflow: unknown[], extra: Record<string, unknown> = {}) => {
  const result = validateWorkflow({ name: 'w', workflow, ...extra }, options);
  return result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`);
};

describe('checking forEach, maxParallel and item templates before a run', () => {
  it('accepts a literal list, a list from an ancestor\'s JSON (declared, or another fan-out\'s) and item templates in a fan-out step', () => {
    expect(
      issuesOf([
        shell(1, { output: 'json' }),
        shell(2, { dependencies: [1], forEach: '{{steps.1.json.files}}', maxParallel: 3, inputs: { command: 'echo {{item}} {{index}} {{item.name}}' } }),
        shell(3, { forEach: [{ name: 'a' }, { name: 'b' }], inputs: { command: 'echo {{item.name}}' } }),
        shell(4, { dependencies: [2], forEach: ' {{ steps.2.json }} ', inputs: { command: 'echo {{item}}' } }),
        shell(5, { dependencies: [4], inputs: { command: 'echo {{steps.4.json.0}}' }, when: 'steps.4.json[0] == "x"' }),
      ]),
    ).toEqual([]);
  });

  it('names the place and the fix of each problem', () => {
    expect(
      issuesOf([
        shell(1),
        shell(2, { output: 'json' }),
        shell(3, { maxParallel: 2 }),
        shell(4, { inputs: { command: 'echo {{item}}' } }),
        shell(5, { inputs: { command: 'echo {{index}}' } }),
        shell(6, { dependencies: [1], forEach: '{{steps.1.json.files}}' }),
        shell(7, { forEach: '{{steps.2.json.files}}' }),
        shell(8, { dependencies: [1], forEach: 'a,b,c' }),
        shell(9, { dependencies: [1], forEach: '{{steps.1.output}}' }),
        shell(10, { forEach: '{{steps.99.json}}' }),
        shell(11, { forEach: ['a', { name: 'b' }], inputs: { command: 'echo {{item.name}}' } }),
      ]),
    ).toEqual([
      'workflow[2].maxParallel: maxParallel limits how many items of a fan-out run at once: add "forEach" to this step, or remove maxParallel',
      'workflow[3].inputs: {{item}}: step 4 has no "forEach"; only a fan-out step runs once per item: add "forEach" (a list, or "{{steps.N.json.path}}"), or remove {{item}}',
      'workflow[4].inputs: {{index}}: step 5 has no "forEach"; only a fan-out step runs once per item: add "forEach" (a list, or "{{steps.N.json.path}}"), or remove {{index}}',
      'workflow[5].forEach: {{steps.1.json…}}: step 1 does not declare "output": "json"; add it to step 1, so its output is read as JSON',
      'workflow[6].forEach: {{steps.2.json…}}: step 2 is not an ancestor of step 7; the list must be known when it starts: add 2 to its dependencies',
      'workflow[7].forEach: "a,b,c" is not a list: write a JSON list ([…]) or one template naming an ancestor\'s JSON list, like "{{steps.2.json.files}}"',
      'workflow[8].forEach: "{{steps.1.output}}" is not a list: write a JSON list ([…]) or one template naming an ancestor\'s JSON list, like "{{steps.2.json.files}}" (a list comes from JSON: {{steps.N.output}} is text; declare "output": "json" on step N and read {{steps.N.json…}})',
      'workflow[9].forEach: {{steps.99.json…}}: step 99 does not exist',
      'workflow[10].forEach[0]: {{item.name}} reads a field of each item, and this item is "a", not an object; make every item an object, or use {{item}}',
    ]);
  });

  it('refuses a fan-out in a workflow with worktrees, and a fan-out step in a race', () => {
    expect(issuesOf([shell(1, { forEach: [1, 2] })], { workspace: { repo: '.' } })).toEqual([
      'workflow[0].forEach: a fan-out step cannot run in a workflow with a "workspace" yet: its items would each commit to the one worktree of the step; use "isolation": "none", or one step per item',
    ]);
    expect(issuesOf([shell(1, { forEach: [1, 2] })], { workspace: { repo: '.', isolation: 'none' } })).toEqual([]);
    expect(issuesOf([shell(1, { forEach: [1, 2] }), shell(2), shell(3, { dependencies: [1, 2], race: [1, 2] })])).toEqual([
      'workflow[2].race[0]: step 1 fans out; a race stops its losers as single processes, so race steps that run once, and fan out after the race',
    ]);
  });

  it('refuses a maxParallel below 1 and a forEach that is neither a list nor a string, by their place', () => {
    expect(issuesOf([shell(1, { forEach: [1], maxParallel: 0 })])[0]).toMatch(/^workflow\[0\]\.maxParallel: /);
    expect(issuesOf([shell(1, { forEach: { a: 1 } })])[0]).toMatch(/^workflow\[0\]\.forEach: /);
  });
});

describe('a fan-out list', () => {
  const json = (values: Record<number, unknown>) => (step: number) => values[step];

  it('is the literal list, or the list at the path of the ancestor\'s JSON output', () => {
    expect(resolveForEach({ forEach: ['a', 1] }, json({}))).toEqual({ ok: true, items: ['a', 1] });
    expect(resolveForEach({ forEach: '{{steps.2.json.files}}' }, json({ 2: { files: [{ n: 1 }] } }))).toEqual({ ok: true, items: [{ n: 1 }] });
    expect(resolveForEach({ forEach: '{{steps.2.json}}' }, json({ 2: [3, 4] }))).toEqual({ ok: true, items: [3, 4] });
  });

  it('fails with forEach and what it found when that is not a list', () => {
    const from = json({ 2: { files: { a: 1 }, name: 'x', list: [] } });
    expect(resolveForEach({ forEach: '{{steps.2.json.files}}' }, from)).toEqual({ ok: false, message: 'forEach "{{steps.2.json.files}}": an object at "files" of step 2\'s output, not a list' });
    expect(resolveForEach({ forEach: '{{steps.2.json.name}}' }, from)).toEqual({ ok: false, message: 'forEach "{{steps.2.json.name}}": the string "x" at "name" of step 2\'s output, not a list' });
    expect(resolveForEach({ forEach: '{{steps.2.json.missing}}' }, from)).toEqual({ ok: false, message: 'forEach "{{steps.2.json.missing}}": nothing at "missing" of step 2\'s output; the list must be there' });
    expect(resolveForEach({ forEach: '{{steps.3.json}}' }, from)).toEqual({ ok: false, message: 'forEach "{{steps.3.json}}": step 3 has no JSON output to read the list from' });
  });
});

describe('item templates', () => {
  it('render the item (a string as is, else JSON), its fields and its index, in one pass', () => {
    const inputs = { command: 'run {{item.name}} #{{index}} {{ item }} after {{steps.1.output}}', nested: ['{{item.tags.0}}'] };
    const rendered = renderTemplates(inputs, new Map([[1, 'built {{index}}']]), new Map(), { item: { value: { name: 'a.ts', tags: ['x'] }, index: 4 } });
    // A step's output holding `{{index}}` is not expanded again.
    expect(rendered).toEqual({ command: 'run a.ts #4 {"name":"a.ts","tags":["x"]} after built {{index}}', nested: ['x'] });
    expect(renderTemplates({ c: '{{item}}' }, new Map(), new Map(), { item: { value: 'plain', index: 0 } })).toEqual({ c: 'plain' });
    // An item holding a template is a value, not a template.
    expect(renderTemplates({ c: '{{item}}' }, new Map([[1, 'secret']]), new Map(), { item: { value: '{{steps.1.output}}', index: 0 } })).toEqual({ c: '{{steps.1.output}}' });
  });
});
