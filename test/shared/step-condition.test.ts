import { describe, expect, it } from 'vitest';
import { evaluateCondition, parseCondition, type ConditionStep } from '../../shared/step-condition.js';
import { parseJsonOutput } from '../../shared/typed-output.js';
import { renderTemplates } from '../../shared/template.js';

const step = (status: string, json?: unknown, output = ''): ConditionStep => ({ status, output, json, exitCode: status === 'succeeded' ? 0 : 1 });
const holds = (expression: string, steps: [number, ConditionStep][]) => evaluateCondition(parseCondition(expression), new Map(steps));

describe('conditions', () => {
  it('reads statuses, outputs and JSON paths without coercing types', () => {
    const steps: [number, ConditionStep][] = [[2, step('succeeded')], [3, step('succeeded', { score: 0.9, tags: ['x'], n: '1' })]];
    expect(holds('steps.2.status == "succeeded" && steps.3.json.score > 0.8', steps)).toBe(true);
    expect(holds('steps.3.json.tags[0] == "x" && steps.3.json.tags.length == 1', steps)).toBe(true);
    expect(holds('steps.3.json.n == 1', steps)).toBe(false);
    expect(holds('steps.3.json.n > 0', steps)).toBe(false);
    expect(holds('steps.3.json.missing == null && !steps.3.json.missing', steps)).toBe(true);
  });

  it('never reaches a prototype or a function', () => {
    const steps: [number, ConditionStep][] = [[1, step('succeeded', { a: 1 })]];
    expect(holds('steps.1.json.constructor', steps)).toBe(false);
    expect(holds('steps.1.json["__proto__"]', steps)).toBe(false);
    expect(() => parseCondition('steps.1.json.constructor.constructor("return 1")()')).toThrow(/cannot call functions/);
    expect(() => parseCondition('globalThis')).toThrow(/unknown name "globalThis"/);
  });

  it('keeps "steps.2" inside a string literal as written, and reports positions as the user wrote them', () => {
    expect(holds('steps.1.output == "steps.2 done"', [[1, step('succeeded', undefined, 'steps.2 done')]])).toBe(true);
    expect(() => parseCondition('steps.1.status == "a" &&')).toThrow(/at character 25/);
    expect(() => parseCondition('steps.1.state == "a"')).toThrow(/steps\.1\.state is not known; a step has status, output, json, exitCode/);
    expect(() => parseCondition('steps.1.status.length > 1')).toThrow(/only steps\.N\.json can be read into/);
  });
});

describe('JSON outputs', () => {
  it('takes one code fence off, and says where bad JSON breaks', () => {
    expect(parseJsonOutput('```json\n{"a": [1, 2]}\n```\n')).toEqual({ ok: true, value: { a: [1, 2] } });
    expect(parseJsonOutput('  [true]  ')).toEqual({ ok: true, value: [true] });
    const bad = parseJsonOutput('```\n{"a": 1,\n "b": }\n```');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toMatch(/^the output is not JSON: invalid JSON at line 2, column 7.* \(inside its code fence\)$/);
    expect(parseJsonOutput('').ok).toBe(false);
  });

  it('fills {{steps.N.json.path}} with strings as they are and other values as JSON', () => {
    const json = new Map([[1, { title: 'Fix', files: ['a', 'b'], n: 2 }]]);
    expect(renderTemplates({ c: '{{steps.1.json.title}} {{ steps.1.json.files }} {{steps.1.json.files.0}} {{steps.1.json.n}} [{{steps.1.json.none}}]' }, new Map([[1, 'raw']]), json)).toEqual({
      c: 'Fix ["a","b"] a 2 []',
    });
  });
});
