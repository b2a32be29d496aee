import { describe, expect, it } from 'vitest';
import { promptFor } from '../../../electron/engine/tools/index.js';
import { step } from './tool-test-helpers.js';

describe('the prompt of an AI step', () => {
  it('is inputs.prompt when the step has one, untouched', () => {
    const prompt = '  Review {{steps.1.output}} carefully\n';
    expect(promptFor(step({ prompt, files: ['a.ts'] }, { action: 'review' }), { prompt, files: ['a.ts'] })).toBe(prompt);
  });

  it("is composed from a seed-style step's action and inputs", () => {
    const seed = step({ codebase: 'latest', depth: 3, strict: true, paths: ['src', 'lib'], notes: 'focus on\nerror handling' }, { action: 'analyze-code-quality', label: 'Quality gate' });
    expect(promptFor(seed, seed.inputs)).toBe(
      [
        'Perform the action "analyze-code-quality" (analyze code quality) in the current working directory.',
        'This is the workflow step "Quality gate".',
        '',
        'Inputs:',
        'codebase: latest',
        'depth: 3',
        'strict: true',
        'paths: ["src","lib"]',
        'notes: focus on',
        '  error handling',
        '',
        'When you are done, reply with the result as your final message.',
      ].join('\n'),
    );
  });

  it('reads camelCase and snake_case actions as words and works without inputs', () => {
    expect(promptFor(step({}, { action: 'generateUnitTests' }), {})).toBe(
      'Perform the action "generateUnitTests" (generate unit tests) in the current working directory.\n\nWhen you are done, reply with the result as your final message.',
    );
    expect(promptFor(step({}, { action: 'deploy_to_staging' }), {}).split('\n')[0]).toBe('Perform the action "deploy_to_staging" (deploy to staging) in the current working directory.');
    expect(promptFor(step({}, { action: 'summarize' }), {}).split('\n')[0]).toBe('Perform the action "summarize" in the current working directory.');
  });

  it('falls back to the label, and refuses a step with nothing to say', () => {
    expect(promptFor(step({ target: 'api' }, { label: 'Write the changelog' }), { target: 'api' }).split('\n')[0]).toBe('Carry out the workflow step "Write the changelog" in the current working directory.');
    expect(() => promptFor(step({}), {})).toThrow('step 1: an AI step needs inputs.prompt or an action to compose one from');
  });

  it('ignores an empty prompt in favour of the action', () => {
    expect(promptFor(step({ prompt: '  ' }, { action: 'lint' }), { prompt: '  ' }).split('\n')[0]).toBe('Perform the action "lint" in the current working directory.');
  });
});
