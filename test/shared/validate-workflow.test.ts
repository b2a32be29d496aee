import { describe, expect, it } from 'vitest';
import { platformIds } from '../../shared/platforms.js';
import { maxNestingDepth } from '../../shared/input-limits.js';
import { formatIssue, parseWorkflowText, validateWorkflow, type ValidationResult } from '../../shared/validate-workflow.js';

const shellOnly = { runnablePlatforms: new Set(['shell']) };

function step(n: number, dependencies: number[] = [], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { step: n, platform: 'shell', inputs: { command: `echo ${n}` }, dependencies, ...extra };
}

function workflow(...steps: Record<string, unknown>[]): Record<string, unknown> {
  return { name: 'test', workflow: steps };
}

/** The issues of an invalid workflow, as the user reads them (`place: message`). */
function problems(result: ValidationResult): string[] {
  if (result.ok) throw new Error('expected the workflow to be refused');
  return result.issues.map(formatIssue);
}

function problemsOf(raw: unknown): string[] {
  return problems(validateWorkflow(raw, shellOnly));
}

describe('a valid workflow', () => {
  it('accepts the specification example, keeps its extra fields and fills in defaults', () => {
    const file = {
      name: 'Full-stack feature deployment',
      description: 'optional',
      priority: 'high',
      agents: [{ id: 'A' }],
      platforms: { shell: {} },
      metadata: { owner: 'me' },
      deadline: '2030-01-01T00:00:00Z',
      workflow: [
        {
          step: 1,
          agent: 'A',
          platform: 'shell',
          action: 'run',
          inputs: { command: 'npm test' },
          dependencies: [],
          timeout: 60000,
          retryPolicy: { maxAttempts: 3, initialIntervalMs: 1000, backoffCoefficient: 2, maxIntervalMs: 30000, nonRetryableExitCodes: [2] },
          continueOnFailure: false,
          cwd: 'optional folder',
          somethingNew: { kept: true },
        },
        { step: 2, platform: 'shell', inputs: { command: 'echo {{steps.1.output}}' }, dependencies: [1], retryPolicy: { maxAttempts: 2 } },
      ],
    };
    const result = validateWorkflow(file, shellOnly);
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
    expect(result.workflow.agents).toEqual([{ id: 'A' }]);
    expect(result.workflow.platforms).toEqual({ shell: {} });
    expect(result.workflow.metadata).toEqual({ owner: 'me' });
    expect(result.workflow.deadline).toBe('2030-01-01T00:00:00Z');
    expect(result.workflow.workflow[0]).toMatchObject({ timeout: 60000, cwd: 'optional folder', somethingNew: { kept: true } });
    // A partial retry policy gets the remaining fields' defaults; a missing flag is false.
    expect(result.workflow.workflow[1]!.retryPolicy).toEqual({
      maxAttempts: 2,
      initialIntervalMs: 1000,
      backoffCoefficient: 2,
      maxIntervalMs: 30000,
      nonRetryableExitCodes: [],
    });
    expect(result.workflow.workflow[1]!.continueOnFailure).toBe(false);
  });

  it('defaults dependencies to none', () => {
    const result = validateWorkflow({ name: 'x', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'true' } }] }, shellOnly);
    expect(result.ok && result.workflow.workflow[0]!.dependencies).toEqual([]);
  });
});

describe('graph errors name their place', () => {
  it('refuses duplicate step numbers', () => {
    expect(problemsOf(workflow(step(1), step(2), step(1)))).toEqual([
      'workflow[2].step: step 1 is already used by workflow[0]; step numbers must be unique',
    ]);
  });

  it('refuses a dependency on a step that does not exist', () => {
    expect(problemsOf(workflow(step(1), step(2, [1]), step(3, [7])))).toEqual(['workflow[2].dependencies[0]: step 7 does not exist']);
  });

  it('refuses a step that depends on itself', () => {
    expect(problemsOf(workflow(step(1), step(2, [1, 2])))).toEqual(['workflow[1].dependencies[1]: step 2 cannot depend on itself']);
  });

  it('reports several problems at once', () => {
    expect(problemsOf(workflow(step(1), step(1), step(3, [9])))).toHaveLength(2);
  });

  it('reports a cycle with its steps in order', () => {
    // 2 -> 5 -> 3 -> 2: 5 depends on 2, 3 on 5, 2 on 3; 1, 4 and 6 hang off it.
    const result = validateWorkflow(workflow(step(1), step(2, [1, 3]), step(3, [5]), step(4, [3]), step(5, [2]), step(6)), shellOnly);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues).toEqual([{ path: 'workflow', message: 'cycle: 2 -> 5 -> 3 -> 2' }]);
  });

  it('reports the same cycle whatever the order of the file and wherever the search enters it', () => {
    // Step 1 depends on 3, so the search reaches the cycle through 3 first.
    const raw = workflow(step(5, [2]), step(4), step(3, [5]), step(2, [3]), step(1, [3]));
    expect(problemsOf(raw)).toEqual(['workflow: cycle: 2 -> 5 -> 3 -> 2']);
  });
});

describe('bad JSON', () => {
  it('gives the line and column of a misplaced token', () => {
    const text = '{\n  "name": "x",\n  "workflow": [\n    { "step": 1, }\n  ]\n}\n';
    // The `}` after the trailing comma: line 4, column 18.
    expect(problems(parseWorkflowText(text, shellOnly))[0]).toMatch(/^invalid JSON at line 4, column 18: /);
  });

  it('gives the line and column of a trailing comma in a list, which Node reports without a position', () => {
    const text = '{\n  "name": "x",\n  "workflow": [\n    { "step": 1 },\n  ]\n}\n';
    const [message] = problems(parseWorkflowText(text, shellOnly));
    expect(message).toMatch(/^invalid JSON at line 5, column 3: /);
    expect(message).toContain("']'");
    expect(message).not.toContain('is not valid JSON');
  });

  it('points at the end of a file that stops early', () => {
    expect(problems(parseWorkflowText('{\n  "name": "x",\n', shellOnly))[0]).toMatch(/^invalid JSON at line 3, column 1: /);
  });

  it('validates good JSON as a workflow', () => {
    expect(problems(parseWorkflowText('{"name": "x", "workflow": []}', shellOnly))).toEqual(['workflow: Too small: expected array to have >=1 items']);
  });
});

describe('platforms', () => {
  it('refuses an unknown platform by name', () => {
    const [message] = problemsOf(workflow(step(1), { ...step(2), platform: 'bash' }));
    expect(message).toMatch(/^workflow\[1\]\.platform: unknown platform "bash"; use one of: shell, /);
  });

  it.each(platformIds.filter((id) => id !== 'shell'))('refuses %s, a known platform that cannot run yet, naming it', (platform) => {
    const [message] = problemsOf(workflow({ step: 1, platform, inputs: { prompt: 'write tests' } }));
    expect(message).toBe(`workflow[0].platform: platform "${platform}" is not supported by this version of Photon yet; runnable now: shell`);
  });

  it('accepts such a platform once the engine can run it', () => {
    expect(validateWorkflow(workflow({ step: 1, platform: 'claude-code', inputs: { prompt: 'hi' } }), { runnablePlatforms: new Set(['shell', 'claude-code']) }).ok).toBe(true);
  });

  it.each([
    ['missing', {}],
    ['blank', { command: '   ' }],
    ['not a string', { command: 42 }],
  ])('refuses a shell step whose command is %s', (_label, inputs) => {
    expect(problemsOf(workflow({ step: 1, platform: 'shell', inputs }))).toEqual([
      'workflow[0].inputs.command: a shell step needs a non-empty "command" string',
    ]);
  });
});

describe('output references', () => {
  it('accepts references to direct and indirect ancestors', () => {
    const raw = workflow(step(1), step(2, [1]), step(3, [2], { inputs: { command: 'echo {{steps.1.output}} {{ steps.2.output }}' } }));
    expect(validateWorkflow(raw, shellOnly).ok).toBe(true);
  });

  it('refuses a reference to a step that is not an ancestor', () => {
    const raw = workflow(step(1), step(2), step(3, [1], { inputs: { command: 'echo {{steps.2.output}}' } }));
    expect(problemsOf(raw)).toEqual([
      'workflow[2].inputs: {{steps.2.output}}: step 2 is not an ancestor of step 3; a step can only use the output of steps it depends on',
    ]);
  });

  it('refuses a reference to a descendant or to the step itself', () => {
    const raw = workflow(step(1, [], { inputs: { command: 'echo {{steps.2.output}} {{steps.1.output}}' } }), step(2, [1]));
    expect(problemsOf(raw)).toEqual([
      'workflow[0].inputs: {{steps.1.output}}: step 1 is not an ancestor of step 1; a step can only use the output of steps it depends on',
      'workflow[0].inputs: {{steps.2.output}}: step 2 is not an ancestor of step 1; a step can only use the output of steps it depends on',
    ]);
  });

  it('refuses a reference to a missing step, in nested inputs too', () => {
    const raw = workflow(step(1), step(2, [1], { inputs: { command: 'true', env: { A: ['{{steps.9.output}}'] } } }));
    expect(problemsOf(raw)).toEqual([
      'workflow[1].inputs: {{steps.9.output}}: step 9 does not exist; a step can only use the output of steps it depends on',
    ]);
  });
});

describe('shape errors name the place', () => {
  it.each([
    ['a timeout that is not a number', workflow(step(1, [], { timeout: '60s' })), 'workflow[0].timeout'],
    ['a negative timeout', workflow(step(1), step(2, [], { timeout: -5 })), 'workflow[1].timeout'],
    ['zero attempts', workflow(step(1, [], { retryPolicy: { maxAttempts: 0 } })), 'workflow[0].retryPolicy.maxAttempts'],
    ['a fractional dependency', workflow(step(1), step(2, [1.5])), 'workflow[1].dependencies[0]'],
    ['a step number below 1', workflow(step(0)), 'workflow[0].step'],
    ['a missing name', { workflow: [step(1)] }, 'name'],
    ['a blank name', { name: '  ', workflow: [step(1)] }, 'name'],
    ['no steps', { name: 'x', workflow: [] }, 'workflow'],
    ['a step that is not an object', { name: 'x', workflow: [step(1), 'step two'] }, 'workflow[1]'],
  ])('%s', (_label, raw, place) => {
    const issues = problemsOf(raw);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((issue) => issue.startsWith(`${place}: `))).toBe(true);
  });

  it('refuses a file that is not an object', () => {
    const result = validateWorkflow([1, 2], shellOnly);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]!.path).toBe('(top level)');
  });
});

describe('hostile input', () => {
  /** `{"a": … "x" …}` nested `depth` deep, as text (JSON.stringify itself overflows on it). */
  const nestedText = (depth: number) => `${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}`;

  it.each([
    ['inputs', `{"name":"n","workflow":[{"step":1,"platform":"shell","inputs":{"command":"true","deep":${nestedText(5000)}}}]}`, 'workflow[0].inputs.deep.a.a.a.a.….a.a'],
    ['metadata', `{"name":"n","metadata":{"deep":${nestedText(5000)}},"workflow":[{"step":1,"platform":"shell","inputs":{"command":"true"}}]}`, 'metadata.deep.a.a.a.a.a.a.….a.a'],
  ])('refuses %s nested 5,000 deep with its place, without overflowing the stack', (_where, text, place) => {
    expect(problems(parseWorkflowText(text, shellOnly))).toEqual([
      `${place}: nested more than ${maxNestingDepth} levels deep; Photon keeps at most ${maxNestingDepth} levels: flatten this value`,
    ]);
  });

  it('accepts nesting up to the limit, which can still be stored as JSON', () => {
    const text = `{"name":"n","metadata":${nestedText(maxNestingDepth - 2)},"workflow":[{"step":1,"platform":"shell","inputs":{"command":"true"}}]}`;
    const result = parseWorkflowText(text, shellOnly);
    expect(result.ok).toBe(true);
    if (result.ok) expect(() => JSON.stringify(result.workflow)).not.toThrow();
  });

  it('validates a 10,000-step cycle and a 10,000-step chain numbered in reverse', () => {
    const n = 10_000;
    const cycle = workflow(...Array.from({ length: n }, (_, i) => step(i + 1, [i === 0 ? n : i])));
    expect(problemsOf(cycle)[0]).toMatch(/^workflow: cycle of 10000 steps: 1 -> 2 -> /);
    const reverse = workflow(...Array.from({ length: n }, (_, i) => step(n - i, i === 0 ? [] : [n - i + 1])));
    expect(validateWorkflow(reverse, shellOnly).ok).toBe(true);
  });

  it('validates a 10,000-step chain where each step templates from the one before', () => {
    const n = 10_000;
    const chain = workflow(...Array.from({ length: n }, (_, i) => step(i + 1, i === 0 ? [] : [i], { inputs: { command: `echo {{steps.${i}.output}}` } })));
    // Step 1 refers to a step 0 that does not exist: the one problem, found among 10,000 references.
    expect(problemsOf(chain)).toEqual(['workflow[0].inputs: {{steps.0.output}}: step 0 does not exist; a step can only use the output of steps it depends on']);
  });

  it.each([
    ['null', 'null'],
    ['an array', '[]'],
    ['a string', '"workflow"'],
    ['a number', '42'],
  ])('places the problem of a workflow that is %s at the top level', (kind, text) => {
    expect(problems(parseWorkflowText(text, shellOnly))).toEqual([
      `(top level): a workflow is an object { "name": "…", "workflow": [ …steps ] }, not ${kind}`,
    ]);
  });

  it('refuses a NUL in any string input or folder, naming each place', () => {
    const raw = workflow(step(1, [], { inputs: { command: 'echo a\u0000b', env: { list: ['ok', 'x\u0000'] } }, cwd: 'dir\u0000' }));
    expect(problemsOf(raw)).toEqual([
      'workflow[0].inputs.command: holds a NUL character (\\u0000) at character 7; a process cannot be given one (the text would end there): remove it',
      'workflow[0].inputs.env.list[1]: holds a NUL character (\\u0000) at character 2; a process cannot be given one (the text would end there): remove it',
      'workflow[0].cwd: holds a NUL character (\\u0000) at character 4; a process cannot be given one (the text would end there): remove it',
    ]);
  });

  it('reads text that still starts with a byte order mark', () => {
    expect(parseWorkflowText(`\ufeff${JSON.stringify(workflow(step(1)))}`, shellOnly).ok).toBe(true);
  });
});

describe('a workspace', () => {
  it('is read with its defaults: the file\'s own folder, in worktrees, from the current branch', () => {
    const result = validateWorkflow({ ...workflow(step(1)), workspace: {} }, shellOnly);
    expect(result.ok && result.workflow.workspace).toEqual({ repo: '.', isolation: 'worktree' });
    const conflicted = validateWorkflow(workflow(step(1), step(2), step(3, [1, 2], { onConflict: 'agent' })), shellOnly);
    expect(conflicted.ok && conflicted.workflow.workflow[2]!.onConflict).toBe('agent');
  });

  it('names the field of a bad isolation, repository, base or conflict policy', () => {
    expect(problemsOf({ ...workflow(step(1)), workspace: { isolation: 'copy' } })).toEqual(['workspace.isolation: Invalid option: expected one of "worktree"|"none"']);
    expect(problemsOf({ ...workflow(step(1)), workspace: { repo: '' } })).toEqual(['workspace.repo: Too small: expected string to have >=1 characters']);
    expect(problemsOf({ ...workflow(step(1)), workspace: { repo: 'a\u0000b' } })).toEqual([expect.stringMatching(/^workspace\.repo: /)]);
    for (const base of ['--orphan', 'my branch', 'tab\tname']) {
      expect(problemsOf({ ...workflow(step(1)), workspace: { base } })).toEqual([
        `workspace.base: "${base}" is not a branch, tag or commit name: it cannot start with "-" or hold spaces or control characters; leave it out to use the repository's current branch`,
      ]);
    }
    expect(problemsOf(workflow(step(1), step(2, [1], { onConflict: 'merge' })))).toEqual(['workflow[1].onConflict: Invalid option: expected one of "fail"|"agent"']);
  });
});
