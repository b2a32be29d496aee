import { describe, expect, it } from 'vitest';
import { referencedSteps, renderTemplates } from '../../shared/template.js';

describe('referencedSteps', () => {
  it('finds every reference in nested strings, once each, in order', () => {
    const inputs = {
      command: 'deploy {{steps.3.output}} after {{ steps.1.output }}',
      env: { A: '{{steps.3.output}}', list: ['x', '{{steps.12.output}}'] },
      count: 4,
      flag: null,
    };
    expect(referencedSteps(inputs)).toEqual([1, 3, 12]);
  });

  it('ignores what only looks like a reference', () => {
    expect(referencedSteps({ a: '{{steps.x.output}} {{steps.1.result}} {steps.1.output} {{step.1.output}}' })).toEqual([]);
  });
});

describe('renderTemplates', () => {
  const outputs = new Map([
    [1, 'one'],
    [3, 'three\nlines'],
  ]);

  it('replaces references in nested strings and leaves other values alone', () => {
    const inputs = { command: 'echo {{steps.1.output}}-{{ steps.3.output }}', nested: { list: ['{{steps.1.output}}', 7, true] }, none: null };
    expect(renderTemplates(inputs, outputs)).toEqual({
      command: 'echo one-three\nlines',
      nested: { list: ['one', 7, true] },
      none: null,
    });
  });

  it('does not change the value it was given', () => {
    const inputs = { command: '{{steps.1.output}}' };
    renderTemplates(inputs, outputs);
    expect(inputs.command).toBe('{{steps.1.output}}');
  });

  it('renders a step without output as empty text', () => {
    expect(renderTemplates('[{{steps.2.output}}]', outputs)).toBe('[]');
  });

  it('inserts output literally, even when it holds replacement patterns', () => {
    expect(renderTemplates('{{steps.1.output}}', new Map([[1, "$& $' $1"]]))).toBe("$& $' $1");
  });
});

/** A value nested `depth` objects deep around `leaf`, built without recursion. */
function nested(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

describe('templates in deeply nested inputs', () => {
  it('finds and renders a reference 5,000 levels deep without overflowing the stack', () => {
    const inputs = { command: 'echo', deep: nested(5000, ['{{steps.4.output}}']) };
    expect(referencedSteps(inputs)).toEqual([4]);
    let rendered = renderTemplates(inputs, new Map([[4, 'four']])).deep as unknown;
    for (let i = 0; i < 5000; i++) rendered = (rendered as { a: unknown }).a;
    expect(rendered).toEqual(['four']);
  });

  it('keeps a key named __proto__ a plain key, as JSON.parse made it', () => {
    const inputs = JSON.parse('{"__proto__": {"x": "{{steps.1.output}}"}}') as Record<string, unknown>;
    const rendered = renderTemplates(inputs, new Map([[1, 'one']]));
    expect(Object.getPrototypeOf(rendered)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(rendered, '__proto__')?.value).toEqual({ x: 'one' });
  });
});
